/**
 * Spoken practice in a real browser: Debian chromium with a fake microphone that plays a WAV spoken
 * by espeak-ng records through the page's MediaRecorder, the page uploads it to the app on loopback,
 * the transcription API is mocked by MSW, and the graded transcript comes back with the recording's
 * length read from Chromium's own WebM. Keyboard only. Also: a server without transcription, a
 * microphone permission refused, and no microphone at all.
 */
import { serve, type ServerType } from "@hono/node-server";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { audioDuration } from "../src/audio/duration.js";
import { findFillers } from "../src/core/delivery.js";
import { clock } from "../src/web/format.js";
import { createTranscriber } from "../src/transcribe/transcriber.js";
import { buildTestApp } from "./support/app.js";
import { activeId, recordFor } from "./support/recording.js";
import { CHROMIUM, skipWithoutBrowser } from "./support/browser.js";
import { audioDir, bytesOf, HAVE_AUDIO_TOOLS } from "./support/audio.js";
import { createTranscriptionMock, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const SKIP_BROWSER = skipWithoutBrowser("web-spoken.test");

const OUT = "test-output";
const BASE_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--autoplay-policy=no-user-gesture-required"];
// What the fake microphone says (with a real 3-second silence), and what the mocked service hears.
const SPOKEN_SSML = '<speak>Um, last year I owned the importer that nobody wanted. <break time="3s"/> I rewrote the validator, and import tickets fell by sixty percent.</speak>';
const TRANSCRIPT = "Um, last year I owned the importer that nobody wanted. I rewrote the validator, and import tickets fell by sixty percent.";
const QUESTION = "Tell me about a time you took on something outside your job.";

const stt = createTranscriptionMock();

async function startServer(options: Parameters<typeof buildTestApp>[0]) {
  const ctx = await buildTestApp(options);
  const server = await new Promise<ServerType>((resolve) => {
    // The platform's Request/Response stay, so MSW keeps intercepting the server's calls to the transcription API.
    const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects: false }, () => resolve(s));
  });
  return { ctx, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function openPage(browser: Browser, base: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/`);
  return { page, errors, close: () => context.close() };
}

/** Keyboard only: Tab from the answer box past Get feedback (it stays on the first screen) to Record. */
const recordAnswer = (page: Page, ms: number) => recordFor(page, ms, { from: "answer", tabs: ["submit", "rec-start"] });

describe.skipIf(SKIP_BROWSER || !HAVE_AUDIO_TOOLS)("spoken practice in a real browser with a fake microphone", () => {
  let wavFile: string;
  let wavSeconds: number;
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    wavFile = join(audioDir(), "answer.wav");
    execFileSync("espeak-ng", ["-m", "-s", "165", "-w", wavFile, SPOKEN_SSML]);
    wavSeconds = audioDuration(bytesOf(wavFile), "wav")!;
    stt.server.listen({ onUnhandledFrame: "error" });
    app = await startServer({ transcriber: createTranscriber({ apiKey: "sk-stt", baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 10_000, maxRetries: 0 }) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...BASE_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-audio-capture=${wavFile}`],
    });
  }, 60_000);
  afterEach(() => stt.reset());
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => app?.server.close(r));
    await app?.ctx.store.close();
    stt.server.close();
  });

  it("records with a timer and a level meter, uploads, and shows the graded transcript with the recording's real length", async () => {
    expect(wavSeconds).toBeGreaterThan(5);
    const { page, errors, close } = await openPage(browser, app.base);
    await page.selectOption("#principle", "ownership");
    await page.fill("#question", QUESTION);
    expect(await page.isVisible("#recorder")).toBe(true);
    expect(await page.textContent("#rec-privacy")).toMatch(/not stored/);

    // While recording: the timer runs against the 2:00 target and the meter moves with the voice.
    const levels: string[] = [];
    const sampling = (async () => {
      await page.waitForSelector("#recorder[data-state=recording]");
      for (let i = 0; i < 12; i++) {
        levels.push(await page.$eval("#rec-level", (e) => (e as HTMLElement).style.width));
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    await recordAnswer(page, wavSeconds * 1000);
    await sampling;
    expect(levels.some((w) => parseInt(w, 10) > 0)).toBe(true);
    const shown = (await page.textContent("#rec-timer"))!.split(" / ");
    expect(shown[1]).toBe("2:00");
    const [m, s] = shown[0]!.split(":").map(Number);
    expect(Math.abs(m! * 60 + s! - wavSeconds)).toBeLessThanOrEqual(1); // whole seconds on the page
    expect(await activeId(page)).toBe("rec-submit");
    expect(await page.isVisible("#rec-playback")).toBe(true);

    const words = timeWords(TRANSCRIPT, { start: 0.3, perWord: 0.32, pauses: { 9: 3.0 } });
    stt.reply({ kind: "transcript", text: TRANSCRIPT, words });
    await page.keyboard.press("Enter"); // "Grade the recording"
    await page.waitForSelector("#result[data-id]");
    const id = (await page.getAttribute("#result", "data-id"))!;
    expect(page.url()).toBe(`${app.base}/result/${id}`);

    // The browser's own recording went up as WebM/Opus; its length was read from the file.
    expect(stt.calls).toHaveLength(1);
    expect(stt.calls[0]!.file).toMatchObject({ name: "audio.webm", type: "audio/webm" });
    const stored = (await app.ctx.store.getGrading(id))!;
    expect(stored.answer).toBe(TRANSCRIPT);
    console.log(`[web-spoken] WAV ${wavSeconds.toFixed(2)} s, recorded by Chromium ${stored.delivery!.durationSeconds} s (read from its WebM)`);
    expect(Math.abs(stored.delivery!.durationSeconds - wavSeconds)).toBeLessThanOrEqual(0.5);
    expect(stored.length.speakingSeconds).toBe(Math.round(stored.delivery!.durationSeconds));

    // The page: the graded transcript, the delivery card, fillers and the pause marked in place.
    const annotated = await page.$eval("#annotated-answer", (e) => [...e.querySelectorAll(".seg")].map((s) => [...s.childNodes].filter((n) => !(n instanceof HTMLElement && (n.classList.contains("seg-tag") || n.classList.contains("sr-only") || n.classList.contains("pause")))).map((n) => n.textContent).join("")).join(" "));
    expect(annotated).toBe(TRANSCRIPT);
    expect(Number(await page.getAttribute("#delivery-duration", "data-seconds"))).toBe(stored.delivery!.durationSeconds);
    expect(await page.textContent("#delivery-fillers")).toBe(String(findFillers(TRANSCRIPT).length));
    expect(await page.$$eval("#annotated-answer mark.filler", (els) => els.map((e) => e.textContent))).toEqual(["Um"]);
    expect(await page.$$eval("#annotated-answer .pause", (els) => els.length)).toBe(1);
    expect(await page.textContent("#delivery-pauses")).toBe("1");
    expect(await page.inputValue("#answer")).toBe(TRANSCRIPT); // ready to edit and grade as text
    expect(await page.textContent("#rec-status")).toMatch(new RegExp(`^Graded your ${clock(stored.delivery!.durationSeconds)} recording`));
    await page.screenshot({ path: `${OUT}/spoken-result.png`, fullPage: true });
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it("a server without transcription answers transcription_unavailable, and the page keeps the recording and its length", async () => {
    const offline = await startServer({});
    try {
      const { page, errors, close } = await openPage(browser, offline.base);
      expect(await page.textContent("#rec-privacy")).toMatch(/Transcription is not set up/);
      await recordAnswer(page, 2_200);
      await page.keyboard.press("Enter");
      await page.waitForSelector("#form-error:not([hidden])");
      expect(await page.textContent("#form-error")).toMatch(/transcription endpoint.*OPENAI_API_KEY/);
      expect(await page.getAttribute("#recorder", "data-state")).toBe("recorded");
      expect(await page.textContent("#rec-timer")).toBe("0:02 / 2:00");
      expect(await page.textContent("#rec-status")).toMatch(/0:02 recording is still here/);
      expect(await page.isVisible("#rec-submit")).toBe(true);
      expect(stt.calls).toHaveLength(0);
      expect(errors).toEqual([]);
      await close();
    } finally {
      await new Promise((r) => offline.server.close(r));
      await offline.ctx.store.close();
    }
  }, 60_000);
});

describe.skipIf(SKIP_BROWSER)("the microphone refused or missing: a clear message", () => {
  let app: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    app = await startServer({});
  });
  afterAll(async () => {
    await new Promise((r) => app?.server.close(r));
    await app?.ctx.store.close();
  });

  it.each([
    ["permission refused", ["--use-fake-device-for-media-stream"], /Microphone access was denied/],
    ["no microphone", ["--use-fake-ui-for-media-stream"], /No microphone was found/],
  ] as const)("%s", async (_name, flags, message) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...flags] });
    try {
      const { page, errors, close } = await openPage(browser, app.base);
      await page.focus("#rec-start");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#recorder[data-state=denied]");
      expect(await page.textContent("#rec-status")).toMatch(message);
      expect(await activeId(page)).toBe("rec-start"); // ready to try again from the keyboard
      expect(await page.isEnabled("#rec-start")).toBe(true);
      expect(errors).toEqual([]);
      await close();
    } finally {
      await browser.close();
    }
  }, 60_000);
});
