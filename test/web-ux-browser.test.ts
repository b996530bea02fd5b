/**
 * The pages as a new user meets them, in a real browser at a laptop size (1280×900) and a phone
 * size (390×844): what can be read and reached, what moves, what a screen reader hears, and an
 * axe-core audit of every page.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findPrinciple } from "../src/core/principles.js";
import { questionsFor } from "../src/core/questions.js";
import { readableDate } from "../src/web/format.js";
import { buildBatchTestApp, SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { skipWithoutBrowser } from "./support/browser.js";
import { modelGrade } from "./support/openai-mock.js";
import { axeViolations, listen, OUT, startWebHarness, VIEWPORTS, type ViewportName, type WebHarness } from "./support/web-harness.js";
import { streamingLlmGrader } from "./support/web.js";

const SKIP = skipWithoutBrowser("web-ux-browser.test");
const BATCH_FIXTURE = readFileSync(new URL("./fixtures/batch-answers.jsonl", import.meta.url), "utf8");
const SIZES = Object.keys(VIEWPORTS) as ViewportName[];

let web: WebHarness;

/** Text that fits its box: nothing cut off to the side or below (a field scrolled to its end fails). */
async function shownInFull(page: Page, selector: string): Promise<boolean> {
  return page.$eval(selector, (el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
}

describe.skipIf(SKIP)("the web pages at laptop and phone sizes", () => {
  beforeAll(async () => {
    web = await startWebHarness({ grader: () => streamingLlmGrader({ maxRetries: 0 }) });
  }, 60_000);
  afterEach(() => web.mock.reset());
  afterAll(() => web?.close());

  it("/docs leads back to the app, and its Try it out grades without adding to history", async () => {
    const { page, close } = await web.openPage();
    await page.goto(`${web.base}/docs`);
    await page.waitForSelector(".opblock");
    const before = await web.ctx.store.listGradings({ limit: 100 });
    const op = page.locator("#operations-grading-post_v1_grade");
    await op.locator(".opblock-summary").click();
    await op.getByRole("button", { name: "Try it out" }).click();
    for (let i = 0; i < 3; i++) web.mock.reply(web.mock.grade(modelGrade("In my last role, I led …"))); // the example asks for 3 samples
    await op.getByRole("button", { name: "Execute" }).click();
    await expect.poll(() => op.locator(".live-responses-table .response .response-col_status").first().textContent(), { timeout: 15_000 }).toBe("200");
    expect(web.mock.calls.length).toBeGreaterThan(0); // it really graded
    expect(await web.ctx.store.listGradings({ limit: 100 })).toEqual(before);
    await page.getByRole("link", { name: "starcoach" }).click();
    await page.waitForURL(`${web.base}/`);
    expect(await page.isVisible("#grade-form")).toBe(true);
    await close();
  });

  describe.each(SIZES)("%s", (size) => {
    it("shows the chosen question in full, and Random question leaves the focus where it was", async () => {
      const { page, errors, close } = await web.openPage({ size });
      await page.goto(`${web.base}/?principle=ownership`);
      const bank = questionsFor("ownership").map((q) => q.text);
      const longest = [...bank].sort((a, b) => b.length - a.length)[0]!;
      await page.selectOption("#question-bank", longest);
      expect(await page.inputValue("#question")).toBe(longest);
      expect(await shownInFull(page, "#question")).toBe(true);

      await page.click("#random-question");
      const picked = await page.inputValue("#question");
      expect(bank).toContain(picked);
      expect(picked).not.toBe(longest);
      expect(await shownInFull(page, "#question")).toBe(true);
      // The focus is not moved into the field (on a phone that opens the keyboard); it is announced.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("random-question");
      expect(await page.textContent("#question-status")).toBe(`Question: ${picked}`);
      expect(errors).toEqual([]);
      await close();
    });

    it("history: each grading fits the screen, Open and Delete are apart and named per row, and Delete asks first", async () => {
      const graded = await web.seed({ principle: "ownership", question: "Tell me about a time you took on something well outside your own area of responsibility, and how you saw it through to the end.", answer: SAMPLE_ANSWER });
      const { page, close } = await web.openPage({ size });
      await page.goto(`${web.base}/history`);
      const width = VIEWPORTS[size].viewport.width;
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

      const name = `grading of ${readableDate(graded.createdAt)}, Ownership`;
      const row = page.locator(`tr[data-id="${graded.id}"]`);
      const open = row.getByRole("link", { name: `Open ${name}`, exact: true });
      const remove = row.getByText(`Delete ${name}`, { exact: true });
      for (const box of [await row.locator(".score-pill").boundingBox(), await open.boundingBox(), await remove.boundingBox()]) {
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      }
      const [a, b] = [(await open.boundingBox())!, (await remove.boundingBox())!];
      expect(b.x - (a.x + a.width)).toBeGreaterThanOrEqual(12); // not flush together

      // Delete opens a confirmation; only its button deletes.
      await remove.click();
      expect(await web.ctx.store.getGrading(graded.id)).not.toBeNull();
      const confirm = row.getByRole("button", { name: `Yes, delete ${name}`, exact: true });
      const c = (await confirm.boundingBox())!;
      expect(c.x + c.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${OUT}/history-${size}.png`, fullPage: true });
      await confirm.click();
      await page.waitForURL(/\/history\?deleted=1$/);
      expect(await web.ctx.store.getGrading(graded.id)).toBeNull();
      await close();
    });

    it("a better-fitting principle re-grades the same answer and question for it", async () => {
      const question = "Tell me about a time you fixed a problem nobody owned.";
      const answer = `${SAMPLE_ANSWER} I shared the ${size} runbook.`;
      const better = "dive-deep";
      const graded = modelGrade(answer);
      web.mock.reply(web.mock.grade({ ...graded, principleFit: { ...graded.principleFit, betterFits: [better] } }));
      const first = await web.ctx.grading.grade({ principle: "ownership", question, answer });
      expect(first.principleFit.betterFits).toEqual([better]);
      const { page, errors, close } = await web.openPage({ size });
      await page.goto(`${web.base}/result/${first.id}`);
      web.mock.reply(web.mock.grade(modelGrade(answer)));
      await page.getByRole("button", { name: `Grade this answer for ${findPrinciple(better)!.name}` }).click();
      await page.waitForFunction((id) => { const r = document.getElementById("result"); return !!r?.dataset.id && r.dataset.id !== id && !r.classList.contains("streaming"); }, first.id);
      const regraded = (await web.ctx.store.getGrading((await page.getAttribute("#result", "data-id"))!))!;
      expect([regraded.principle.id, regraded.question, regraded.answer]).toEqual([better, question, answer]);
      expect(await page.inputValue("#principle")).toBe(better);
      expect(await page.textContent("#result .score-head .context")).toContain(findPrinciple(better)!.name);
      expect(errors).toEqual([]);
      await close();
    });

    it("first screen: the button in view on a laptop, a neutral counter, no gap in the top bar; after grading the score is in view", async () => {
      const { page, errors, close } = await web.openPage({ size });
      const { width, height } = VIEWPORTS[size].viewport;
      await page.goto(`${web.base}/`);
      if (size === "desktop") expect((await page.locator("#submit").boundingBox())!.y + 48).toBeLessThanOrEqual(height);
      // Nothing typed is not "too short": the hint, without a verdict colour.
      expect(await page.getAttribute("#answer-stats", "class")).toBe("live");
      expect(await page.textContent("#live-words")).toBe("Word count and speaking time appear as you type");
      // The mode badge shares a line with the brand (a phone used to give it a line of its own).
      const [brand, badge] = [(await page.locator(".brand").boundingBox())!, (await page.locator(".topbar .mode").boundingBox())!];
      expect(Math.abs(brand.y + brand.height / 2 - (badge.y + badge.height / 2))).toBeLessThan(8);
      expect(badge.x + badge.width).toBeLessThanOrEqual(width);

      // Scroll down to the button as a user does, grade; the score comes into view.
      await page.selectOption("#principle", "ownership");
      await page.fill("#answer", SAMPLE_ANSWER);
      await page.locator("#submit").scrollIntoViewIfNeeded();
      web.mock.reply(web.mock.grade(modelGrade(SAMPLE_ANSWER)));
      await page.click("#submit");
      await page.waitForSelector("#result[data-id]:not(.streaming)");
      await expect.poll(async () => {
        const dial = (await page.locator("#result .dial").boundingBox())!;
        return dial.y >= 0 && dial.y + dial.height <= height;
      }).toBe(true);
      expect(errors).toEqual([]);
      await close();
    });

    it("an offline result keeps its notice inside the score card, with the score at the top", async () => {
      const graded = await web.seed({ principle: "ownership", question: "", answer: SAMPLE_ANSWER });
      const { page, close } = await web.openPage({ size });
      await page.goto(`${web.base}/result/${graded.id}`);
      expect(await page.$eval("#mode-notice", (n) => n.closest(".score-head") !== null)).toBe(true);
      expect(await page.$eval("#result", (r) => r.firstElementChild?.classList.contains("score-head"))).toBe(true);
      if (size === "phone") {
        // On a phone the result comes first: the score card starts right under the top bar.
        const dial = (await page.locator("#result .dial").boundingBox())!;
        expect(dial.y + dial.height).toBeLessThanOrEqual(VIEWPORTS.phone.viewport.height / 2);
      }
      await close();
    });

    it("a paste over the limit is kept whole and the counter and message agree on it; an answer error goes once the answer is edited", async () => {
      const { page, close } = await web.openPage({ size });
      await page.goto(`${web.base}/`);
      await page.click("#submit");
      await page.waitForSelector("#form-error:not([hidden])");
      expect(await page.textContent("#form-error")).toContain("The answer is empty");
      await page.fill("#answer", SAMPLE_ANSWER);
      expect(await page.isHidden("#form-error")).toBe(true); // the stale alert is gone

      const long = `${SAMPLE_ANSWER} `.repeat(40).slice(0, 25_000);
      await page.fill("#answer", long);
      expect((await page.inputValue("#answer")).length).toBe(25_000); // nothing cut without a word
      expect(await page.textContent("#live-words")).toContain("25,000 characters: 5,000 over the 20,000 limit");
      expect(await page.getAttribute("#answer", "aria-invalid")).toBe("true");
      await page.click("#submit");
      await page.waitForSelector("#form-error:not([hidden])");
      const message = (await page.textContent("#form-error"))!;
      expect(message).toContain("The answer has 25000 characters; the limit is 20000. Cut 5000 characters");
      expect(message).not.toMatch(/minutes/); // the counter shows the spoken time; the limit is in characters
      await page.fill("#answer", long.slice(0, 19_000));
      expect(await page.isHidden("#form-error")).toBe(true);
      expect(await page.getAttribute("#answer", "aria-invalid")).toBeNull();
      expect(await page.textContent("#live-words")).toContain("19,000 of 20,000 characters");
      await close();
    });

    it("keyboard and screen reader: the count is spoken on a pause, fields show a 3 px ring, a keyboard submit lands on the result heading", async () => {
      const { page, close } = await web.openPage({ size });
      await page.goto(`${web.base}/`);
      // Record what every live region says while a sentence is typed key by key.
      await page.evaluate(() => {
        const said: string[] = [];
        (window as unknown as { said: string[] }).said = said;
        new MutationObserver((records) => {
          for (const r of records) {
            const region = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest("[aria-live]");
            if (region) said.push(region.textContent ?? "");
          }
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.click("#answer");
      await page.keyboard.type("I fixed the build myself.", { delay: 40 });
      await page.waitForTimeout(1_500);
      const said = await page.evaluate(() => [...new Set((window as unknown as { said: string[] }).said)]);
      expect(said).toEqual([await page.textContent("#live-words")]); // once, after the pause
      expect(said[0]).toContain("5 words");

      for (const field of ["#principle", "#question", "#answer"]) {
        await page.focus(field);
        expect(await page.$eval(field, (el) => { const s = getComputedStyle(el); return `${s.outlineStyle} ${s.outlineWidth}`; })).toBe("solid 3px");
      }

      await page.fill("#answer", SAMPLE_ANSWER);
      web.mock.reply(web.mock.grade(modelGrade(SAMPLE_ANSWER)));
      await page.focus("#submit");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#result[data-id]:not(.streaming)");
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("result-title");
      await close();
    });

    it("the streamed view is the result view: every section from the first event, evidence underlined, and nothing moves when it finishes", async () => {
      const { page, errors, close } = await web.openPage({ size });
      const answer = `${SAMPLE_ANSWER} I wrote it up for the ${size} team.`; // not a cached grading
      // A question of its own: a re-grade of the same one would add a score change to the header.
      await web.fillForm(page, { principle: "ownership", question: `Tell me about a time you fixed a problem nobody owned (${size}).`, answer });
      // Each time the result area is redrawn, note where its sections sit and what they show.
      await page.evaluate(() => {
        const states: unknown[] = [];
        (window as unknown as { states: unknown[] }).states = states;
        const note = () => {
          const r = document.getElementById("result")!;
          const top = (sel: string) => Math.round(r.querySelector(sel)?.getBoundingClientRect().top ?? -1) + window.scrollY;
          states.push({
            streaming: r.classList.contains("streaming"),
            tops: [".score-head", ".annotated", ".figures", ".parts", ".part-result", ".fit", ".two"].map(top),
            height: Math.round(r.getBoundingClientRect().height),
            sections: ["#fit-title", ".improvements", ".followups", ".part-action .part-feedback"].every((sel) => r.querySelector(sel)),
            underlined: r.querySelectorAll("#annotated-answer mark.ev").length,
            evidence: r.querySelectorAll(".part .evidence li").length,
            fixes: r.querySelectorAll(".part .fix").length,
            font: getComputedStyle(r.querySelector(".part-feedback")!).font,
          });
        };
        new MutationObserver(note).observe(document.querySelector(".col-result")!, { childList: true });
      });
      web.mock.reply({ kind: "json", content: JSON.stringify(modelGrade(answer)), chunkDelayMs: 30 });
      await page.click("#submit");
      await page.waitForSelector("#result[data-id]:not(.streaming)");
      type State = { streaming: boolean; tops: number[]; height: number; sections: boolean; underlined: number; evidence: number; fixes: number; font: string };
      const states = await page.evaluate(() => (window as unknown as { states: State[] }).states);
      const live = states.filter((st) => st.streaming);
      const final = states[states.length - 1]!;
      expect(final.streaming).toBe(false);
      expect(live.length).toBeGreaterThan(2);
      expect(live.every((st) => st.sections)).toBe(true); // placeholders from the first event on
      const last = live[live.length - 1]!;
      expect(last.underlined).toBeGreaterThan(0); // evidence underlined while streaming
      expect(last.evidence).toBe(final.evidence);
      expect(last.fixes).toBe(final.fixes);
      expect(last.font).toBe(final.font);
      // The finished result replaces the live one in place: no section moves. (Only the last
      // section, the lists, may grow: code adds its own improvements to the model's.)
      for (const [i, t] of last.tops.entries()) expect(Math.abs(t - final.tops[i]!)).toBeLessThanOrEqual(1);
      expect(final.height).toBeGreaterThanOrEqual(last.height);
      expect(errors).toEqual([]);
      await close();
    });

    it("axe-core finds no serious or critical violation on the form, a result and history", async () => {
      const graded = await web.seed({ principle: "ownership", question: "Tell me about a time you fixed a problem nobody owned.", answer: SAMPLE_ANSWER });
      const { page, close } = await web.openPage({ size, audit: true });
      const pages: Record<string, string> = { form: "/", result: `/result/${graded.id}`, history: "/history" };
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${web.base}${path}`);
        if (name === "history") await page.click(`tr[data-id="${graded.id}"] summary`); // with its confirmation open
        expect({ page: name, violations: await axeViolations(page) }).toEqual({ page: name, violations: [] });
      }
      await close();
    });

    it("the batch report: no serious axe violation, as wide as the screen, each answer's link opens its feedback", async () => {
      const batch = buildBatchTestApp(tempDbFile());
      const server = await listen(batch.app.fetch);
      const { page, close } = await web.openPage({ size, audit: true });
      try {
        // In-process requests (this file's mocked model intercepts Node's network calls).
        const res = await batch.app.request("/v1/batches", { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: BATCH_FIXTURE });
        const { id } = (await res.json()) as { id: string };
        await expect.poll(async () => ((await (await batch.app.request(`/v1/batches/${id}`)).json()) as { status: string }).status, { timeout: 10_000 }).toBe("done");
        // Served over HTTP, under the app's CSP (its inline stylesheet allowed by hash).
        await page.goto(`${server.base}/v1/batches/${id}/report`);
        expect(await axeViolations(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORTS[size].viewport.width);
        await page.screenshot({ path: `${OUT}/report-${size}.png`, fullPage: true });

        // An answer named in the weakest table links to its full feedback, which opens in view.
        const link = page.locator("#weakest ~ table a").first();
        const target = (await link.getAttribute("href"))!.slice(1);
        await link.click();
        await expect.poll(() => page.$eval(`[id="${target}"]`, (el) => (el.closest("details") as HTMLDetailsElement).open)).toBe(true);
        const box = (await page.locator(`[id="${target}"]`).boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeLessThan(VIEWPORTS[size].viewport.height);
        expect(await axeViolations(page)).toEqual([]); // with an answer open
      } finally {
        await close();
        await server.close();
        await batch.close();
      }
    });
  });
});
