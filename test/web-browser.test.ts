/**
 * The web form in a real browser: Debian chromium driven by playwright-core against the app served
 * on a loopback port, with the model mocked by MSW (streamed Chat Completions).
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { overallScore } from "../src/core/score.js";
import { countTokens, isFirstPersonPlural, tokenize } from "../src/core/tokens.js";
import { SAMPLE_ANSWER } from "./support/app.js";
import { skipWithoutBrowser } from "./support/browser.js";
import { modelGrade } from "./support/openai-mock.js";
import { listen, OUT, startWebHarness, type FormInput, type WebHarness } from "./support/web-harness.js";
import { streamingLlmGrader } from "./support/web.js";
import { send } from "./reliability/http-client.js";
import { buildSecureApp } from "./reliability/support.js";
import { questionsFor } from "../src/core/questions.js";

const SKIP = skipWithoutBrowser("web-browser.test");

const QUESTION = "Tell me about a time you fixed a problem nobody owned.";
// SAMPLE_ANSWER plus an Action sentence that leans on "we", so the Action part has several to mark.
const ANSWER = SAMPLE_ANSWER.replace("Then I added an index", "We reviewed our options together with the on-call team. Then I added an index");

let web: WebHarness;
let base: string;
let ctx: WebHarness["ctx"];
let mock: WebHarness["mock"];

describe.skipIf(SKIP)("web form in a real browser", () => {
  beforeAll(async () => {
    web = await startWebHarness({ grader: () => streamingLlmGrader({ maxRetries: 0 }) });
    ({ base, ctx, mock } = web);
  }, 60_000);
  afterEach(() => mock.reset());
  afterAll(() => web?.close());

  const openPage = (options: { javaScriptEnabled?: boolean } = {}) => web.openPage(options);
  const fillForm = (page: Page, values: FormInput) => web.fillForm(page, values);

  it("grades an answer: streams, then shows the annotated answer, scores and ownership figures", async () => {
    const { page, dialogs, errors, close } = await openPage();
    await fillForm(page, { principle: "ownership", question: QUESTION, answer: ANSWER });

    // Live length while typing, by the contract's counting rules.
    const counts = countTokens(ANSWER);
    await expect.poll(() => page.textContent("#live-words")).toContain(`${counts.words} words`);

    const grade = modelGrade(ANSWER);
    mock.reply({ kind: "json", content: JSON.stringify(grade), chunkDelayMs: 40 });
    await page.click("#submit");

    // Progressive: the computed figures and the coloured sentences come first, then model text.
    await page.waitForSelector("#result.streaming .answer-text .seg-action");
    await page.waitForFunction(() => (document.querySelector("#result.streaming .part-situation .part-feedback")?.textContent ?? "").length > 0);
    expect(await page.$("#result.streaming")).not.toBeNull();
    // The live view is drawn with the result page's components: the same figures and "we" marks.
    expect(await page.textContent("#result.streaming #fig-words")).toBe(String(counts.words));
    expect(await page.textContent("#result.streaming #fig-we")).toBe(String(counts.weCount));
    expect(await page.$$eval("#result.streaming #annotated-answer mark.we", (els) => els.length)).toBeGreaterThanOrEqual(3);

    await page.waitForSelector("#result[data-id]:not(.streaming)");
    const id = await page.getAttribute("#result", "data-id");
    expect(page.url()).toBe(`${base}/result/${id}`);
    expect(mock.calls[0]!.body.stream).toBe(true);
    const stored = (await ctx.store.getGrading(id!))!;

    // Scores: overall from the part scores by code, each part's bar.
    const expected = overallScore({ situation: 3, task: 3, action: 4, result: 2, principleFit: 3 });
    expect(stored.overall.score).toBe(expected);
    expect(await page.textContent("#overall-score")).toBe(String(expected));
    for (const [part, label, score] of [["situation", "Situation", 3], ["task", "Task", 3], ["action", "Action", 4], ["result", "Result", 2]] as const) {
      expect(await page.getAttribute(`.part-${part} .part-head .bar`, "aria-label")).toBe(`${label} score: ${score} of 4`);
      expect(await page.textContent(`.part-${part} .part-feedback`)).toBe(grade[part].feedback);
    }

    // The annotated answer: every sentence coloured by its part, in order, covering the answer.
    const analysis = analyze(ANSWER);
    const segs = await page.$$eval("#annotated-answer .seg", (els) => els.map((e) => ({ part: e.getAttribute("data-part"), text: [...e.childNodes].filter((n) => !(n instanceof HTMLElement && (n.classList.contains("seg-tag") || n.classList.contains("sr-only")))).map((n) => n.textContent).join("") })));
    expect(segs).toEqual(analysis.sentences.map((s) => ({ part: s.part, text: s.text })));
    expect(new Set(segs.map((s) => s.part))).toEqual(new Set(["situation", "task", "action", "result"]));

    // Every "we" token of the Action part is marked, and no other word.
    const expectedWe = analysis.sentences.filter((s) => s.part === "action").flatMap((s) => tokenize(s.text).filter(isFirstPersonPlural));
    expect(expectedWe.length).toBeGreaterThanOrEqual(3);
    const marked = await page.$$eval("#annotated-answer mark.we", (els) => els.map((e) => ({ text: e.textContent, part: e.closest(".seg")?.getAttribute("data-part") })));
    expect(marked).toEqual(expectedWe.map((text) => ({ text, part: "action" })));
    // "we" outside the Action part (the Result's "we handled") is not marked.
    expect(await page.$$eval("#annotated-answer .seg-result mark.we", (els) => els.length)).toBe(0);

    // Evidence: each quote the scores rest on is highlighted in the answer.
    const evidenceText = await page.$$eval("#annotated-answer mark.ev", (els) => els.map((e) => e.textContent).join(" "));
    for (const part of ["situation", "task", "action", "result"] as const) {
      for (const quote of stored.star[part].evidence) expect(evidenceText.replace(/\s+/g, " ")).toContain(quote.replace(/[.]$/, ""));
    }

    // Ownership and length figures, as counted by the contract.
    expect(await page.textContent("#fig-i")).toBe(String(counts.iCount));
    expect(await page.textContent("#fig-we")).toBe(String(counts.weCount));
    expect(await page.textContent("#fig-action-ratio")).toBe(`${Math.round(analysis.actionIRatio! * 100)}%`);
    expect(await page.textContent("#fig-words")).toBe(String(counts.words));

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUT}/result.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${OUT}/result-phone.png`, fullPage: true });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  const HOSTILE = `I fixed it. <script>alert(1)</script> Then I shipped <img src=x onerror="window.__pwned=1;alert(2)"> and we measured a 20% drop in errors afterwards.`;

  it("shows HTML in the answer, question and model output literally and runs none of it", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { page, dialogs, errors, close } = await openPage({ javaScriptEnabled });
      await fillForm(page, { principle: "dive-deep", question: `<b onmouseover="alert(3)">Why?</b>`, answer: HOSTILE });
      mock.reply(mock.grade(modelGrade(HOSTILE, { improvements: [`<img src=x onerror="window.__pwned=1">`] })));
      await page.click("#submit");
      await page.waitForSelector("#result[data-id]:not(.streaming)");
      if (!javaScriptEnabled) {
        // The no-JS result page, then the same page with scripts on: still inert.
        await close();
        const again = await openPage();
        await again.page.goto(page.url());
        expect(await again.page.evaluate(() => (window as any).__pwned)).toBeUndefined();
        await again.close();
        continue;
      }
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.textContent("#annotated-answer")).toContain("<script>alert(1)</script>");
      expect(await page.textContent("#annotated-answer")).toContain(`<img src=x onerror="window.__pwned=1;alert(2)">`);
      expect(await page.textContent(".improvements")).toContain(`<img src=x onerror="window.__pwned=1">`);
      expect(await page.textContent(".score-head .context")).toContain(`<b onmouseover="alert(3)">Why?</b>`);
      expect(await page.$$eval("#result img, #result script, #result b", (els) => els.length)).toBe(0);
      expect(await page.inputValue("#answer")).toBe(HOSTILE);
      await close();
    }
  }, 60_000);

  it("an empty answer or a model failure shows a friendly error and keeps what was typed", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { page, close } = await openPage({ javaScriptEnabled });
      await fillForm(page, { principle: "earn-trust", question: QUESTION, answer: "   \n  " });
      await page.click("#submit");
      await page.waitForSelector("#form-error:not([hidden])");
      expect(await page.textContent("#form-error")).toContain("The answer is empty");
      expect(await page.inputValue("#question")).toBe(QUESTION);
      expect(await page.inputValue("#principle")).toBe("earn-trust");
      expect(await page.inputValue("#answer")).toBe("   \n  ");

      // A model failure (the provider rejects the key) keeps the full answer too.
      await page.fill("#answer", SAMPLE_ANSWER);
      mock.reply({ kind: "status", status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error" } } });
      await page.click("#submit");
      await page.waitForFunction(() => /API key/.test(document.getElementById("form-error")?.textContent ?? ""));
      expect(await page.inputValue("#answer")).toBe(SAMPLE_ANSWER);
      expect(await page.inputValue("#question")).toBe(QUESTION);
      if (javaScriptEnabled) expect(await page.getAttribute("#form-error", "role")).toBe("alert");
      await close();
    }
    expect(mock.calls).toHaveLength(2);
  }, 60_000);

  it("a grading refused by the rate limit shows the server's message, never raw JSON, and keeps the text", async () => {
    const limited = buildSecureApp({ grader: await streamingLlmGrader({ maxRetries: 0 }), security: { rateLimitPerMinute: 1 } });
    const limitedServer = await listen(limited.app.fetch);
    const limitedBase = limitedServer.base;
    try {
      // The one grading this minute allows.
      mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
      const first = await send(limitedBase, "POST", "/v1/grade", { "content-type": "application/json" }, JSON.stringify({ answer: SAMPLE_ANSWER, principle: "ownership" }));
      expect(first.status).toBe(200);
      for (const javaScriptEnabled of [true, false]) {
        const { page, errors, close } = await openPage({ javaScriptEnabled });
        await page.goto(`${limitedBase}/`);
        await page.selectOption("#principle", "earn-trust");
        await page.fill("#question", QUESTION);
        await page.fill("#answer", ANSWER);
        await page.click("#submit");
        await page.waitForFunction(() => /Too many gradings/.test(document.getElementById("form-error")?.textContent ?? ""));
        expect(await page.textContent("body")).not.toContain('{"error"');
        expect(await page.inputValue("#answer")).toBe(ANSWER);
        expect(await page.inputValue("#question")).toBe(QUESTION);
        expect(await page.inputValue("#principle")).toBe("earn-trust");
        expect(errors).toEqual([]);
        await close();
      }
      expect(mock.calls).toHaveLength(1);
    } finally {
      await limitedServer.close();
      await limited.store.close();
    }
  }, 60_000);

  it("offers the question bank per principle and a random question, with and without JavaScript", async () => {
    const frugal = questionsFor("frugality").map((q) => q.text);
    const { page, close } = await openPage();
    await page.goto(`${base}/`);
    await page.selectOption("#principle", "frugality");
    await expect.poll(() => page.textContent("#question-bank option:first-child")).toBe(`Pick one of ${frugal.length} questions from the bank…`);
    expect(await page.textContent("#principle-summary")).toMatch(/\w/);
    expect(await page.$$eval("#question-bank option", (els) => els.map((e) => (e as HTMLOptionElement).value).filter(Boolean))).toEqual(frugal);
    await page.fill("#answer", "Draft kept while picking a question.");
    await page.click("#random-question");
    expect(frugal).toContain(await page.inputValue("#question"));
    expect(page.url()).toBe(`${base}/`); // stayed on the page
    await close();

    const noJs = await openPage({ javaScriptEnabled: false });
    await noJs.page.goto(`${base}/?principle=frugality`);
    await noJs.page.fill("#answer", "Draft kept while picking a question.");
    await noJs.page.click("#random-question");
    expect(frugal).toContain(await noJs.page.inputValue("#question"));
    expect(await noJs.page.inputValue("#answer")).toBe("Draft kept while picking a question.");
    expect(await noJs.page.inputValue("#principle")).toBe("frugality");
    await noJs.close();
  }, 60_000);

  it("history: re-grading an edited answer shows the change per part; open and delete past gradings", async () => {
    const question = "Tell me about a time you simplified a process.";
    const v1 = "In my last job our release process took two days. I was asked to shorten it. We talked about it a lot. It got better.";
    const v2 = "In my last job our release process took two days of manual steps. My task was to cut it to under an hour. I mapped every step, I automated the 14 manual checks and I wrote a one-page runbook. As a result, releases dropped from 2 days to 40 minutes.";
    const { page, close } = await openPage();
    await fillForm(page, { principle: "invent-and-simplify", question, answer: v1 });
    const base1 = modelGrade(v1);
    mock.reply(mock.grade({ ...base1, action: { ...base1.action, score: 1 }, result: { ...base1.result, score: 1 } }));
    await page.click("#submit");
    await page.waitForSelector("#result[data-id]:not(.streaming)");
    const firstId = await page.getAttribute("#result", "data-id");
    expect(await page.$(".part-action .delta")).toBeNull(); // nothing to compare with yet

    // Edit the answer in place and grade again: same principle and question.
    await page.fill("#answer", v2);
    const base2 = modelGrade(v2);
    mock.reply(mock.grade({ ...base2, action: { ...base2.action, score: 4 }, result: { ...base2.result, score: 3 } }));
    await page.click("#submit");
    await page.waitForFunction((id) => { const r = document.getElementById("result"); return r && r.dataset.id && r.dataset.id !== id && !r.classList.contains("streaming"); }, firstId);
    const secondId = await page.getAttribute("#result", "data-id");
    expect((await page.textContent(".part-action .delta"))?.startsWith("+3")).toBe(true);
    expect((await page.textContent(".part-result .delta"))?.startsWith("+2")).toBe(true);
    expect((await page.textContent(".part-situation .delta"))?.startsWith("±0")).toBe(true);
    const first = (await ctx.store.getGrading(firstId!))!;
    const second = (await ctx.store.getGrading(secondId!))!;
    const overallDelta = second.overall.score - first.overall.score;
    expect(overallDelta).toBeGreaterThan(0);
    expect(await page.textContent(".score-head .delta")).toContain(`+${overallDelta}`);
    expect(await page.getAttribute(".score-head .meta a", "href")).toBe(`/result/${firstId}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUT}/regrade.png` });

    await page.goto(`${base}/history`);
    const rows = () => page.$$eval("tbody tr[data-id]", (els) => els.map((e) => e.getAttribute("data-id")));
    expect((await rows()).slice(0, 2)).toEqual([secondId, firstId]);
    expect(await page.textContent(`tr[data-id="${secondId}"]`)).toContain(question);
    expect(await page.textContent(`tr[data-id="${secondId}"] .score-pill`)).toBe(String(second.overall.score));

    await page.click(`tr[data-id="${firstId}"] a`);
    await page.waitForURL(`${base}/result/${firstId}`);
    expect(await page.textContent("#overall-score")).toBe(String(first.overall.score));
    expect(await page.inputValue("#answer")).toBe(v1); // opened gradings can be edited and re-graded

    await page.goto(`${base}/history`);
    await page.click(`tr[data-id="${firstId}"] summary`); // Delete asks first
    await page.click(`tr[data-id="${firstId}"] .confirm-box button`);
    await page.waitForURL(/\/history\?deleted=1$/);
    expect(await rows()).not.toContain(firstId);
    expect(await rows()).toContain(secondId);
    expect(await ctx.store.getGrading(firstId!)).toBeNull();
    await page.goto(`${base}/history`);
    await page.screenshot({ path: `${OUT}/history.png`, fullPage: true });
    await close();
  }, 60_000);
});
