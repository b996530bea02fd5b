/**
 * A mock interview question answered by voice in a real browser: Debian chromium with a fake
 * microphone playing a WAV spoken by espeak-ng records through the mock page's recorder, the page
 * uploads it to the app on loopback, the transcription API is mocked by MSW, and the debrief shows
 * the graded transcript's delivery with the recording's length read from Chromium's own WebM. The
 * page's clock is the browser's mocked clock, moved forward by the test; the only real wait is the
 * recording itself. Also: a server without transcription, axe-core at 390 px, deleting the mock.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { audioDuration } from "../src/audio/duration.js";
import { findFillers } from "../src/core/delivery.js";
import { createTranscriber } from "../src/transcribe/transcriber.js";
import { clock } from "../src/web/format.js";
import { buildTestApp, SAMPLE_ANSWER } from "./support/app.js";
import { audioDir, bytesOf, HAVE_AUDIO_TOOLS } from "./support/audio.js";
import { launchChromium, skipWithoutBrowser } from "./support/browser.js";
import { activeId, recordFor } from "./support/recording.js";
import { createTranscriptionMock, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";
import { axeViolations, listen, OUT, practicePage } from "./support/web-harness.js";

const SKIP = skipWithoutBrowser("mock-spoken-browser.test");

// What the fake microphone says (with a real 3-second silence), and what the mocked service hears.
const SPOKEN_SSML = '<speak>Um, last year I owned the importer that nobody wanted. <break time="3s"/> I rewrote the validator, and import tickets fell by sixty percent.</speak>';
const TRANSCRIPT = "Um, last year I owned the importer that nobody wanted. I rewrote the validator, and import tickets fell by sixty percent.";

const stt = createTranscriptionMock();

async function startServer(options: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(options);
  const server = await listen(ctx.app.fetch, { overrideGlobalObjects: false });
  return { ctx, base: server.base, close: async () => (await server.close(), await ctx.store.close()) };
}

describe.skipIf(SKIP || !HAVE_AUDIO_TOOLS)("a mock interview question answered by voice, in a real browser", () => {
  let wavSeconds: number;
  let browser: Browser;
  let online: Awaited<ReturnType<typeof startServer>>;
  let offline: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const wavFile = join(audioDir(), "mock-answer.wav");
    execFileSync("espeak-ng", ["-m", "-s", "165", "-w", wavFile, SPOKEN_SSML]);
    wavSeconds = audioDuration(bytesOf(wavFile), "wav")!;
    stt.server.listen({ onUnhandledFrame: "error" });
    online = await startServer({ transcriber: createTranscriber({ apiKey: "sk-stt", baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 10_000, maxRetries: 0 }) });
    offline = await startServer({});
    browser = await launchChromium(["--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wavFile}`]);
  }, 60_000);
  afterEach(() => stt.reset());
  afterAll(async () => {
    await browser?.close();
    await online?.close();
    await offline?.close();
    stt.server.close();
  });

  const openPage = (width: number, audit = false) => practicePage(browser, width, audit);

  async function startMock(page: Page, base: string) {
    await page.goto(`${base}/mock`);
    await page.selectOption("#mock-count", "1");
    await page.click("#mock-start");
    await page.waitForURL(/\/mock\/[\w-]+$/);
    return page.url().split("/").pop()!;
  }

  /** Keyboard only, from Submit answer to Record; the page's clock moves with the real recording. */
  async function record(page: Page, ms: number) {
    await recordFor(page, ms, { from: "mock-submit", tabs: ["rec-start"], moveClock: true });
    expect(await activeId(page)).toBe("rec-submit");
  }

  it("records the answer, grades the transcript, and shows the recording's length and delivery in the debrief; the mock is then deleted from the list", async () => {
    const { page, errors, close } = await openPage(390);
    const id = await startMock(page, online.base);
    expect(await page.isVisible("#recorder")).toBe(true);
    expect(await page.textContent("#rec-privacy")).toMatch(/not stored/);
    expect(await page.textContent("#rec-submit")).toBe("Submit the recording");

    const ms = Math.round(wavSeconds * 1000);
    await record(page, ms);
    // The page's own timers moved with the simulated time: the recorder's and the question's.
    expect(await page.textContent("#rec-timer")).toBe(`${clock(ms / 1000)} / 2:00`);
    expect(await page.textContent("#mock-step .timer-clock")).toBe(clock(120 - Math.floor(ms / 1000)));

    stt.reply({ kind: "transcript", text: TRANSCRIPT, words: timeWords(TRANSCRIPT, { start: 0.3, perWord: 0.32, pauses: { 9: 3.0 } }) });
    await page.keyboard.press("Enter"); // "Submit the recording"
    await page.waitForSelector('#mock-step[data-step="followup"]');
    expect(stt.calls).toHaveLength(1);
    expect(stt.calls[0]!.file).toMatchObject({ name: "audio.webm", type: "audio/webm" });

    // Stored like a typed mock answer, timed by the recording Chromium made.
    const mock = (await (await online.ctx.app.request(`/v1/mocks/${id}`)).json()) as { answers: Array<{ gradingId: string; elapsedSeconds: number; timing: string }> };
    const answer = mock.answers[0]!;
    expect(answer.timing).toBe("audio");
    const graded = (await online.ctx.store.getGrading(answer.gradingId))!;
    expect(graded.answer).toBe(TRANSCRIPT);
    const seconds = graded.delivery!.durationSeconds;
    console.log(`[mock-spoken] WAV ${wavSeconds.toFixed(2)} s, recorded by Chromium ${seconds} s (read from its WebM)`);
    expect(Math.abs(seconds - wavSeconds)).toBeLessThanOrEqual(0.5);
    expect(answer.elapsedSeconds).toBe(Math.round(seconds));

    await page.click("#mock-skip");
    await page.waitForSelector("#mock-finish.primary");
    await page.click("#mock-finish");
    await page.waitForSelector("#debrief");

    // The debrief: time from the audio, the delivery line, and the graded transcript behind the score.
    const times = await page.$$eval("#times tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
    expect(times).toEqual([["1", `${clock(Math.round(seconds))} · spoken`, "—"]]);
    const shown = Number(await page.getAttribute('#mock-delivery [data-index="0"] .delivery-duration', "data-seconds"));
    expect(Math.abs(shown - wavSeconds)).toBeLessThanOrEqual(0.5);
    const line = (await page.textContent('#mock-delivery [data-index="0"]'))!;
    expect(line).toContain(`${graded.delivery!.wordsPerMinute} words/min`);
    expect(findFillers(TRANSCRIPT)).toHaveLength(1);
    expect(line).toContain(`1 filler word (“${graded.delivery!.fillers.examples[0]}”)`);
    expect(line).toContain("1 long pause");
    expect(await page.textContent(`#signals a[href="/result/${answer.gradingId}"]`)).toBe(`${graded.overall.score}/100`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${OUT}/mock-spoken-debrief-phone.png`, fullPage: true });

    await page.click(`#signals a[href="/result/${answer.gradingId}"]`);
    await page.waitForSelector("#delivery-card");
    expect(await page.$$eval("#annotated-answer mark.filler", (els) => els.map((e) => e.textContent))).toEqual(["Um"]);

    // Deleted from the /mock list, after the confirmation.
    await page.goto(`${online.base}/mock`);
    const row = `.recent-mock[data-mock="${id}"]`;
    await page.click(`${row} summary`);
    await page.click(`${row} button[type=submit]`);
    await page.waitForURL(/\/mock\?deleted=1$/);
    expect(await page.textContent(".flash")).toContain("deleted");
    expect(await page.$(row)).toBeNull();
    expect((await online.ctx.app.request(`/v1/mocks/${id}`)).status).toBe(404);
    expect(await online.ctx.store.getGrading(answer.gradingId)).toBeNull();
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  it("offline: the page says transcription is unavailable with the settings to set, keeps the recording's length and the typed path", async () => {
    const { page, errors, close } = await openPage(390);
    await startMock(page, offline.base);
    expect(await page.textContent("#rec-privacy")).toMatch(/Transcription is not set up.*STARCOACH_TRANSCRIBE_BASE_URL/);
    await record(page, 1_000);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#mock-error:not([hidden])");
    expect(await page.textContent("#mock-error")).toMatch(/transcription endpoint.*OPENAI_API_KEY.*STARCOACH_TRANSCRIBE_BASE_URL/);
    expect(await page.getAttribute("#recorder", "data-state")).toBe("recorded");
    expect(await page.textContent("#rec-timer")).toBe("0:01 / 2:00");
    expect(await page.textContent("#rec-status")).toMatch(/0:01 recording is still here/);
    expect(stt.calls).toHaveLength(0);

    // The typed answer still goes through, timed by the page.
    await page.fill("#mock-answer", SAMPLE_ANSWER);
    await page.clock.fastForward(60_000);
    await page.click("#mock-submit");
    await page.waitForSelector('#mock-step[data-step="followup"]');
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it("axe-core finds no serious or critical violation on the mock question with its recorder at 390 px, before and after recording", async () => {
    const { page, close } = await openPage(390, true);
    await startMock(page, online.base);
    await page.waitForSelector("#recorder:not([hidden])");
    expect({ state: "idle", violations: await axeViolations(page) }).toEqual({ state: "idle", violations: [] });
    await page.click("#rec-start");
    await page.waitForSelector("#recorder[data-state=recording]");
    await new Promise((r) => setTimeout(r, 800));
    await page.click("#rec-stop");
    await page.waitForSelector("#recorder[data-state=recorded]");
    expect({ state: "recorded", violations: await axeViolations(page) }).toEqual({ state: "recorded", violations: [] });
    await page.screenshot({ path: `${OUT}/mock-recorder-phone.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await close();
  }, 60_000);
});
