/**
 * The story bank, a follow-up drill and a mock interview in a real browser (Debian chromium via
 * playwright-core) against the app on a loopback port, offline. Time on the page is the browser's
 * mocked clock, moved forward by the test: nothing sleeps.
 */
import { serve, type ServerType } from "@hono/node-server";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, postGrade, SAMPLE_ANSWER } from "./support/app.js";
import { launchChromium, skipWithoutBrowser } from "./support/browser.js";
import { axeViolations, practicePage } from "./support/web-harness.js";

const SKIP = skipWithoutBrowser("practice-browser.test");
const OUT = "test-output";

const V1 = "At Acme I was asked to look into slow checkouts. I looked at some dashboards. We fixed a query. It got better.";
const V2 =
  "At Acme checkouts timed out for 4% of customers at peak. My task was to get errors under 0.5% before Black Friday. I read two weeks of traces and found that 80% of the timeouts came from one query. I added an index and a cache, and I rolled them out behind a flag. As a result errors fell to 0.2% and Black Friday ran without an incident.";
const OTHER =
  "Our data pipeline failed silently twice a month and finance found the gaps weeks later. I owned the pipeline, so I traced every failure for a quarter and found that 9 of 11 came from one vendor file format. I wrote a schema check that stops the load and pages the on-call engineer. Silent failures went from two a month to zero for six months.";
const FOLLOW_UP = "I ranked the three candidate fixes by how many timeouts each would remove. The index covered 80% of them, so I shipped it first because it could be rolled back in seconds.";

let browser: Browser;
let server: ServerType;
let base: string;
let ctx: Awaited<ReturnType<typeof buildTestApp>>;

// A browser test does many page loads: 90 s each leaves room for a loaded 2-core CI machine (the default 20 s did not).
describe.skipIf(SKIP)("story bank, drills and mock interviews in a real browser", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ctx = await buildTestApp();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await ctx?.store.close();
  });

  const openPage = (width = 1280, audit = false) => practicePage(browser, width, audit);

  const cell = (page: Page, id: string) => page.getAttribute(`.coverage [data-principle="${id}"]`, "data-status");

  async function grade(page: Page, answer: string, button = "#submit") {
    const before = await page.getAttribute("#result", "data-id");
    await page.fill("#answer", answer);
    await page.click(button);
    await page.waitForFunction((id) => {
      const r = document.getElementById("result");
      return Boolean(r?.dataset.id && r.dataset.id !== id && !r.classList.contains("streaming"));
    }, before);
    return (await page.getAttribute("#result", "data-id"))!;
  }

  it("a story grows two versions and the coverage grid updates", async () => {
    const { page, errors, close } = await openPage();
    await page.goto(`${base}/stories`);
    expect(await cell(page, "dive-deep")).toBe("missing");

    await page.goto(`${base}/?principle=dive-deep`);
    const first = await grade(page, V1);
    await page.goto(`${base}/stories`);
    expect(await cell(page, "dive-deep")).toBe("thin");
    expect(await page.textContent('.coverage [data-principle="dive-deep"]')).toContain("1/2 stories");

    // Edit and grade again: the same story, version 2.
    await page.goto(`${base}/result/${first}`);
    const second = await grade(page, V2);
    expect(await page.textContent("#story-link")).toContain("Version 2 of 2");
    const storyId = (await ctx.store.getGrading(second))!.storyId;
    expect((await ctx.store.getGrading(first))!.storyId).toBe(storyId);

    // Another story for the same principle, from the same page: "Grade as a new story".
    await grade(page, OTHER, "#submit-new-story");
    await page.goto(`${base}/stories`);
    expect(await cell(page, "dive-deep")).toBe("covered");
    expect(await page.textContent('.coverage [data-principle="dive-deep"]')).toContain("2/2 stories");
    await page.screenshot({ path: `${OUT}/stories.png`, fullPage: true });

    // The cell links to its stories; the story page shows both versions and what changed.
    await page.click('.coverage [data-principle="dive-deep"] a');
    await page.waitForURL(/principle=dive-deep/);
    expect(await page.$$eval(".story-card", (els) => els.length)).toBe(2);
    await page.click(`.story-card[data-story="${storyId}"] h3 a`);
    await page.waitForURL(`${base}/stories/${storyId}`);
    expect(await page.$$eval("#versions > li", (els) => els.length)).toBe(2);
    expect(await page.textContent('#versions [data-version="2"] .word-diff ins')).toBeTruthy();
    expect(await page.textContent('#versions [data-version="2"] .word-diff del')).toBeTruthy();

    // Rename it; the bank shows the new title.
    await page.fill("#story-title-input", "Checkout timeouts before Black Friday");
    await page.click(".story-edit button[type=submit]");
    await page.waitForURL(/saved=1/);
    expect(await page.textContent("#story-title")).toBe("Checkout timeouts before Black Friday");
    expect(errors).toEqual([]);
    await close();
  });

  it("axe-core finds no serious or critical violation on the bank, a story, a result with its drills and the mock pages", async () => {
    const graded = await postGrade(ctx.app, { answer: SAMPLE_ANSWER, principle: "earn-trust" });
    await postGrade(ctx.app, { answer: V2, principle: "earn-trust", storyId: graded.json.storyId });
    await ctx.app.request(`/v1/gradings/${graded.json.id}/followups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ question: "Why?", answer: FOLLOW_UP }) });
    const { page, close } = await openPage(390, true);
    for (const path of ["/stories", `/stories/${graded.json.storyId}`, `/result/${graded.json.id}`, "/mock"]) {
      await page.goto(`${base}${path}`);
      expect({ path, violations: await axeViolations(page) }).toEqual({ path, violations: [] });
    }
    await page.click("#mock-start");
    await page.waitForURL(/\/mock\/[\w-]+$/);
    expect({ path: "mock question", violations: await axeViolations(page) }).toEqual({ path: "mock question", violations: [] });
    await close();
  });

  it("a follow-up drill is answered against its timer", async () => {
    const { page, errors, close } = await openPage();
    await page.goto(`${base}/?principle=ownership`);
    const id = await grade(page, SAMPLE_ANSWER);
    await page.goto(`${base}/result/${id}#drills`);
    const question = await page.getAttribute('#drill-form input[name="question"]:checked', "value");
    expect(question).toBeTruthy();
    expect(await page.textContent("#drill-form .timer-clock")).toBe("1:00");
    // The timer starts with the first keystroke; 45 simulated seconds pass while typing.
    await page.fill("#drill-answer", FOLLOW_UP);
    await page.clock.fastForward(45_000);
    expect(await page.textContent("#drill-form .timer-clock")).toBe("0:15");
    await page.click("#drill-submit");
    await page.waitForSelector(".drill");
    const drill = (await ctx.stories.drills<{ length: { elapsedSeconds: number }; question: string; score: number }>(id))[0]!;
    expect(drill.result.question).toBe(question);
    expect(drill.result.length.elapsedSeconds).toBe(45);
    expect(await page.textContent(".drill")).toContain("took 0:45");
    expect(await page.textContent(".drill .drill-score")).toContain(`${drill.result.score}/4`);
    expect(errors).toEqual([]);
    await close();
  });

  it("a 4-question mock interview runs to its debrief on a phone, with simulated time", async () => {
    const { page, errors, close } = await openPage(390);
    await page.goto(`${base}/mock`);
    await page.check('input[name="role"][value="tpm"]');
    expect(await page.inputValue("#mock-count")).toBe("4");
    await page.click("#mock-start");
    await page.waitForURL(/\/mock\/[\w-]+$/);

    const answers = [SAMPLE_ANSWER, V2, OTHER, `${SAMPLE_ANSWER} It is still the story I tell most often.`];
    const seconds = [95, 150, 70, 110];
    const questions: string[] = [];
    for (let i = 0; i < 4; i++) {
      expect(await page.textContent("#mock-step h1")).toBe(`Question ${i + 1} of 4`);
      questions.push((await page.textContent("#mock-question"))!);
      expect(await page.textContent("#mock-step .timer-clock")).toBe("2:00");
      await page.fill("#mock-answer", answers[i]!);
      await page.clock.fastForward(seconds[i]! * 1000);
      if (seconds[i]! > 120) expect(await page.textContent("#mock-step .timer-clock")).toBe(`+0:${seconds[i]! - 120}`);
      await page.keyboard.press("Tab"); // keyboard: the submit button follows the answer
      await page.keyboard.press("Enter");
      await page.waitForSelector('#mock-step[data-step="followup"]');
      expect(await page.textContent("#mock-step .timer-clock")).toBe("1:00");
      if (i === 2) {
        await page.click("#mock-skip");
      } else {
        await page.fill("#mock-answer", FOLLOW_UP);
        await page.clock.fastForward(40_000);
        await page.click("#mock-submit");
      }
      await page.waitForURL(/\/mock\/[\w-]+$/);
    }
    expect(new Set(questions).size).toBe(4);
    await page.click("#mock-finish");
    await page.waitForSelector("#debrief");
    expect(await page.$$eval("#signals > li", (els) => els.length)).toBe(4);
    const times = await page.$$eval("#times tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
    expect(times.map((t) => t[1])).toEqual(["1:35", "2:30 over by 0:30", "1:10", "1:50"]);
    expect(times.map((t) => t[2])).toEqual(["0:40", "0:40", "—", "0:40"]);
    expect(await page.$$eval("#practise-next li", (els) => els.length)).toBe(3);
    expect(await page.textContent(".story-warning")).toContain("Answers 1 and 4 tell the same story");
    // Readable at 390 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${OUT}/mock-debrief-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
    await close();
  });
});
