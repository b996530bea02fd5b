/**
 * The "Stronger version" panel and "Practise this version" in a real browser (Debian chromium via
 * playwright-core): offline with the page script on, and with the model (MSW) and no JavaScript,
 * where the model's invented sentence, name and figure never reach the page.
 */
import { serve, type ServerType } from "@hono/node-server";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { launchChromium, skipWithoutBrowser } from "./support/browser.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GAPS } from "../src/core/rewrite.js";
import { buildTestApp, llmGrader, llmRewriter, SAMPLE_ANSWER } from "./support/app.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";
import { FAITHFUL, modelReply } from "./support/rewrite.js";

const SKIP = skipWithoutBrowser("web-rewrite-browser.test");

const OUT = "test-output";
const QUESTION = "Tell me about a time you disagreed with your team.";
// An Action sentence told with "we", so the rewrite has the speaker's own part to ask for.
const ANSWER = SAMPLE_ANSWER.replace("Then I added an index", "We reviewed our options together with the on-call team. Then I added an index");

const mock = createOpenAiMock();
let browser: Browser;
const servers: ServerType[] = [];

async function start(app: { fetch: (r: Request) => Response | Promise<Response> }): Promise<string> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.skipIf(SKIP)("the stronger version in a real browser", () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    mock.server.listen({ onUnhandledFrame: "error" });
    browser = await launchChromium();
  }, 60_000);
  afterEach(() => mock.reset());
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await new Promise((r) => s.close(r));
    mock.server.close();
  });

  async function openPage(javaScriptEnabled: boolean) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, errors, close: () => context.close() };
  }

  it("offline: shows the rewrite beside the original, then opens it in the form as a new version of the story", async () => {
    const ctx = await buildTestApp();
    const base = await start(ctx.app);
    const { page, errors, close } = await openPage(true);
    await page.goto(`${base}/`);
    await page.selectOption("#principle", "have-backbone-disagree-and-commit");
    await page.fill("#question", QUESTION);
    await page.fill("#answer", ANSWER);
    await page.click("#submit");
    await page.waitForSelector("#result[data-id]:not(.streaming)");
    const id = (await page.getAttribute("#result", "data-id"))!;
    const rewrite = await (await ctx.app.request(`/v1/gradings/${id}/rewrite`, { method: "POST" })).json();

    // The panel: one row per rewritten sentence, in S-T-A-R order, next to the sentences it comes from.
    await page.waitForSelector("#rewrite .rw-diff");
    const rows = await page.$$eval("#rewrite .rw-row[data-part]", (els) =>
      els.map((e) => ({ part: e.getAttribute("data-part"), from: e.getAttribute("data-from"), text: e.querySelector(".rw-new")!.textContent!.replace(/^[STAR]\(\w+\) /, "") })),
    );
    expect(rows).toEqual(rewrite.sentences.map((s: { part: string; from: number[]; text: string }) => ({ part: s.part, from: s.from.join(","), text: s.text })));
    expect(await page.textContent("#rewrite-notice")).toMatch(/^Offline rewrite:/);
    // "we" became a question about the speaker's own part: marked as a placeholder, the changed words as insertions.
    const row = page.locator("#rewrite .rw-row", { hasText: "on-call team" }).first();
    expect(await row.locator(".rw-new mark.ph").textContent()).toBe(GAPS.ownStep);
    expect(await row.locator(".rw-new ins").allTextContents()).toEqual(["I", "when"]);
    expect(await row.locator(".rw-old").textContent()).toBe("We reviewed our options together with the on-call team.");
    expect(await page.$$eval("#rewrite-placeholders li", (els) => els.map((e) => e.textContent))).toEqual(rewrite.placeholders);
    await page.locator("#rewrite").screenshot({ path: `${OUT}/rewrite-panel.png` });

    // Practise this version: the form with the rewrite, the principle and the question.
    await page.click("#practise-rewrite");
    await page.waitForURL(`${base}/?rewriteOf=${id}`);
    expect(await page.inputValue("#answer")).toBe(rewrite.text);
    expect(await page.inputValue("#principle")).toBe("have-backbone-disagree-and-commit");
    expect(await page.inputValue("#question")).toBe(QUESTION);
    expect(await page.inputValue("input[name=versionOf]")).toBe(id);
    expect(await page.textContent("#form-note")).toContain("Replace the [bracketed] gap");

    // Fill the gap and grade it: the new version is compared with the previous one.
    await page.fill("#answer", rewrite.text.replace(GAPS.ownStep, "drafted the rollback plan"));
    await page.click("#submit");
    await page.waitForSelector("#result[data-id]:not(.streaming)");
    expect(await page.getAttribute("#result", "data-id")).not.toBe(id);
    expect(await page.getAttribute(`.score-head a[href="/result/${id}"]`, "href")).toBe(`/result/${id}`);
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  it("with the model and no JavaScript: the button asks for the rewrite; invented parts never reach the page", async () => {
    const ctx = await buildTestApp({ grader: await llmGrader({ maxRetries: 0 }), rewriter: await llmRewriter({ maxRetries: 0 }) });
    const base = await start(ctx.app);
    const { page, close } = await openPage(false);
    await page.goto(`${base}/`);
    await page.selectOption("#principle", "have-backbone-disagree-and-commit");
    await page.fill("#question", QUESTION);
    await page.fill("#answer", SAMPLE_ANSWER);
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    await page.click("#submit");
    await page.waitForSelector("#result[data-id]");
    // No rewrite yet: asking for one is a model call, so it waits for the button.
    expect(await page.$("#rewrite .rw-diff")).toBeNull();
    expect(mock.calls).toHaveLength(1);

    // A failed call keeps the page and says why.
    mock.reply({ kind: "status", status: 500 });
    await page.click("#make-rewrite");
    await page.waitForSelector("#rewrite-error");
    expect(await page.textContent("#rewrite-error")).toContain("The model provider failed");

    mock.reply(
      modelReply([
        ...FAITHFUL.slice(0, 5),
        { part: "action", from: [5], text: "I presented the data to my manager, Priya, and she approved the fix." },
        { part: "action", from: [5], text: "I also mentored the junior engineers on the team, and they later led the migration themselves." },
        { part: "result", from: [7], text: "As a result, the error rate dropped to 0.2% within 48 hours and we handled 3x the traffic on Black Friday with no incidents." },
      ]),
    );
    await page.click("#make-rewrite");
    await page.waitForSelector("#rewrite .rw-diff");
    expect(page.url()).toMatch(/\/result\/[^/]+#rewrite$/);
    const panel = (await page.textContent("#rewrite"))!;
    expect(panel).not.toMatch(/Priya|mentored|48 hours/);
    expect(await page.textContent("#rewrite-checked")).toContain("2 sentences dropped");
    expect(await page.textContent("#rewrite-checked")).toContain("1 figure not in your answer turned into a placeholder");
    expect(await page.$$eval("#rewrite .rw-new mark.ph", (els) => els.map((e) => e.textContent))).toContain(GAPS.figure);
    expect(await page.textContent("#rewrite header")).toContain("written by gpt-4.1-mini, checked by code");

    // The page again: the rewrite comes from the grading's row, with no new model call.
    await page.reload();
    await page.waitForSelector("#rewrite .rw-diff");
    expect(mock.calls).toHaveLength(3); // the grading, the failed rewrite, the rewrite
    await close();
  }, 90_000);
});
