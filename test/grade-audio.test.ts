/**
 * POST /v1/grade/audio end to end: the real app (and the real Node wiring), the real transcription
 * client against the MSW-mocked transcription API, the real grading use case and SQLite.
 */
import { serve, type ServerType } from "@hono/node-server";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyze, DEFAULT_LENGTH } from "../src/core/analyze.js";
import { countTokens } from "../src/core/tokens.js";
import { loadConfig } from "../src/config.js";
import { createApp } from "../src/http/app.js";
import { createNodeDeps } from "../src/node-deps.js";
import { MAX_AUDIO_BYTES } from "../src/spoken.js";
import { createTranscriber } from "../src/transcribe/transcriber.js";
import { buildTestApp, llmGrader, tempDbFile, type TestApp } from "./support/app.js";
import { runCli } from "./support/cli.js";
import { audioDir, bytesOf, encodeStreamedWebm, HAVE_AUDIO_TOOLS, silentWav, speak, SPOKEN_TEXT } from "./support/audio.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";
import { createTranscriptionMock, INVALID_FORMAT_BODY, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";

const execFileAsync = promisify(execFile);
const chat = createOpenAiMock();
const stt = createTranscriptionMock();
/** The app most tests share: offline grading, the real transcriber against the mocked API. */
let ctx: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  chat.server.listen({ onUnhandledFrame: "error" });
  chat.server.use(...stt.handlers);
  ctx = await buildTestApp({ transcriber: transcriber() });
});
afterEach(() => {
  chat.reset();
  stt.reset();
});
afterAll(async () => {
  chat.server.close();
  await ctx.store.close();
});

const TRANSCRIPT =
  "Um, last year our support team was drowning in three hundred tickets a week about failed imports. Nobody owned the importer, so I decided to own it. " +
  "My goal was to halve those tickets in one quarter. I read fifty tickets, you know, and found three root causes. Then I wrote a validator that, like, explains each error. " +
  "As a result, import tickets fell by sixty two percent in eight weeks.";
const QUESTION = "Tell me about a time you took on something outside your job.";

const transcriber = (maxRetries = 0) => createTranscriber({ apiKey: "sk-stt", baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 2_000, maxRetries });

function upload(audio: Uint8Array | string, fields: Record<string, string> = { principle: "ownership", question: QUESTION }, type = "audio/webm"): FormData {
  const form = new FormData();
  if (typeof audio === "string") form.set("audio", audio);
  else form.set("audio", new Blob([audio as Uint8Array<ArrayBuffer>], { type }), "answer.webm");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

function fieldsOnly(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

async function post(app: TestApp, body: FormData | string, headers: Record<string, string> = {}) {
  const res = await app.request("/v1/grade/audio", { method: "POST", body, headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

describe("a spoken answer is transcribed, measured and graded like a typed one", () => {
  it("returns Feedback with the transcript as the answer, delivery figures, and the real length", async () => {
    const audio = silentWav(75, 8_000);
    const words = timeWords(TRANSCRIPT, { start: 0.5, perWord: 0.62, pauses: { 20: 3.4 } });
    stt.reply({ kind: "transcript", text: TRANSCRIPT, words, duration: 75.1 });
    const { status, json } = await post(ctx.app, upload(audio));

    expect(status).toBe(200);
    expect(json.answer).toBe(TRANSCRIPT);
    expect(json.question).toBe(QUESTION);
    expect(json.principle.id).toBe("ownership");
    const words60 = countTokens(TRANSCRIPT).words;
    // The length comes from the WAV header (75.0 s), not from the service's 75.1 s or a words-per-minute estimate.
    expect(json.delivery).toEqual({
      durationSeconds: 75,
      wordsPerMinute: Math.round(words60 / 1.25),
      fillers: { count: 3, perMinute: 2.4, examples: ["um", "you know", "like"] },
      longPauses: [{ at: expect.closeTo(words[20]!.end, 1), seconds: expect.closeTo(3.4 + 0.62 * 0.15, 1), offset: expect.any(Number) }],
    });
    expect(TRANSCRIPT.slice(0, json.delivery.longPauses[0].offset).endsWith(words[20]!.text)).toBe(true);
    const typed = analyze(TRANSCRIPT, DEFAULT_LENGTH);
    expect(typed.lengthVerdict).toBe("too_short"); // at 150 words/min the transcript would look short…
    expect(json.length).toMatchObject({ words: words60, speakingSeconds: 75, wordsPerMinute: json.delivery.wordsPerMinute, verdict: "ok" }); // …but it was spoken for 75 s
    expect(json.improvements.join(" ")).not.toMatch(/under 60s/);
    expect(json.meta.mode).toBe("offline");

    // Stored like a typed answer: history, and the same document back.
    expect(await ctx.store.getGrading(json.id)).toEqual(json);
    const res = await ctx.app.request(`/v1/gradings/${json.id}`);
    expect(((await res.json()) as any).delivery).toEqual(json.delivery);

    // The service got the bytes as uploaded, named by their real container (the part said answer.webm).
    expect(stt.calls).toHaveLength(1);
    expect(stt.calls[0]).toMatchObject({ model: "whisper-1", responseFormat: "verbose_json", granularities: ["word"], file: { name: "audio.wav", size: audio.length } });
  });

  it("without word timings (plain json), pauses are not guessed; everything else is measured", async () => {
    stt.supportsVerboseJson(false);
    stt.always({ kind: "transcript", text: TRANSCRIPT });
    const { status, json } = await post(ctx.app, upload(silentWav(40, 8_000)));
    expect(status).toBe(200);
    expect(json.delivery).toMatchObject({ durationSeconds: 40, longPauses: [], fillers: { count: 3 } });
    expect(json.length).toMatchObject({ speakingSeconds: 40, verdict: "too_short" });
    expect(stt.calls.map((c) => c.responseFormat)).toEqual(["verbose_json", "json"]);
  });

  it.skipIf(!HAVE_AUDIO_TOOLS)("a browser-style WebM (no Duration element) is timed from its last block", async () => {
    const dir = audioDir();
    const webm = bytesOf(encodeStreamedWebm(speak(dir, SPOKEN_TEXT), join(dir, "answer.webm")));
    stt.reply({ kind: "transcript", text: SPOKEN_TEXT });
    const { status, json } = await post(ctx.app, upload(webm));
    expect(status).toBe(200);
    const wav = bytesOf(join(dir, "spoken.wav"));
    const truth = new DataView(wav.buffer, wav.byteOffset).getUint32(40, true) / new DataView(wav.buffer, wav.byteOffset).getUint32(28, true);
    expect(Math.abs(json.delivery.durationSeconds - truth)).toBeLessThanOrEqual(0.1);
    expect(stt.calls[0]!.file.name).toBe("audio.webm");
  });

  it("a recording with storyId is the story's next version; an unknown story is refused before transcribing", async () => {
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    const first = await post(ctx.app, upload(silentWav(5, 8_000), { principle: "ownership" }));
    expect(first.status).toBe(200);
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    const second = await post(ctx.app, upload(silentWav(5, 8_000), { principle: "ownership", storyId: first.json.storyId }));
    expect(second.status).toBe(200);
    expect(second.json.storyId).toBe(first.json.storyId);
    const calls = stt.calls.length;
    const unknown = await post(ctx.app, upload(silentWav(5, 8_000), { principle: "ownership", storyId: "importer-2025" }));
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "story_not_found"]);
    expect(stt.calls).toHaveLength(calls);
  });
});

describe("bad uploads get a precise 4xx, before any transcription is paid for", () => {
  const cases: Array<[string, number, string, () => FormData | string, Record<string, string>]> = [
    ["JSON instead of multipart", 415, "unsupported_media_type", () => JSON.stringify({ principle: "ownership" }), { "content-type": "application/json" }],
    ["no audio field", 400, "audio_missing", () => fieldsOnly({ principle: "ownership" }), {}],
    ["audio sent as a text field", 400, "audio_missing", () => upload("not a file"), {}],
    ["no principle", 400, "invalid_request", () => upload(silentWav(2), {}), {}],
    ["an empty file", 400, "audio_empty", () => upload(new Uint8Array()), {}],
    ["a text file", 415, "unsupported_audio_format", () => upload(new TextEncoder().encode("Um, this is my answer typed out.")), {}],
    ["a PNG", 415, "unsupported_audio_format", () => upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), {}],
    ["a WAV cut off in its header", 400, "audio_unreadable", () => upload(silentWav(2).subarray(0, 30)), {}],
    ["over 10 minutes (from the WAV header)", 413, "audio_too_long", () => upload(silentWav(601, 50)), {}],
    ["an unknown principle", 400, "unknown_principle", () => upload(silentWav(2), { principle: "frugalness" }), {}],
    ["a question over 1,000 characters", 400, "question_too_long", () => upload(silentWav(2), { principle: "ownership", question: "why ".repeat(300) }), {}],
    ["a storyId over 100 characters", 400, "invalid_request", () => upload(silentWav(2), { principle: "ownership", storyId: "s".repeat(101) }), {}],
  ];
  it.each(cases)("%s → %i %s", async (_name, status, code, body, headers) => {
    const res = await post(ctx.app, body(), headers);
    expect(res.status).toBe(status);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.message.length).toBeGreaterThan(10);
    expect(stt.calls).toHaveLength(0);
  });

  it("Content-Length over the limit: 413 before the body is read", async () => {
    const res = await ctx.app.request("/v1/grade/audio", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(MAX_AUDIO_BYTES + 1024 * 1024) },
      body: "--x--",
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("audio_too_large");
  });

  it("a streamed body without Content-Length is cut off at the limit: 413", async () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_AUDIO_BYTES * 2) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await ctx.app.request("/v1/grade/audio", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x" }, body, duplex: "half" } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("audio_too_large");
    expect(sent).toBeLessThan(MAX_AUDIO_BYTES * 2); // reading stopped near the limit, not at the end
  });

  it("no speech recognised: 400 no_speech", async () => {
    stt.reply({ kind: "transcript", text: " ", words: [] });
    const res = await post(ctx.app, upload(silentWav(3)));
    expect([res.status, res.json.error.code]).toEqual([400, "no_speech"]);
  });
});

describe("transcription faults reach the client with their own codes", () => {
  it("429 → 503 transcription_rate_limited with Retry-After", async () => {
    stt.reply({ kind: "status", status: 429, headers: { "retry-after": "12" } });
    const res = await post(ctx.app, upload(silentWav(3)));
    expect([res.status, res.json.error.code, res.headers.get("retry-after")]).toEqual([503, "transcription_rate_limited", "12"]);
  });

  it("500 → 502 transcription_failed; a file the service cannot decode → 415; no answer in time → 504", async () => {
    const before = (await ctx.store.listGradings({ limit: 200 })).length;
    stt.reply({ kind: "status", status: 500 });
    expect((await post(ctx.app, upload(silentWav(3)))).json.error.code).toBe("transcription_failed");
    stt.reply({ kind: "status", status: 400, body: INVALID_FORMAT_BODY });
    const rejected = await post(ctx.app, upload(silentWav(3)));
    expect([rejected.status, rejected.json.error.code]).toEqual([415, "unsupported_audio_format"]);
    stt.reply({ kind: "delay", ms: 4_000, text: TRANSCRIPT });
    const slow = await post(ctx.app, upload(silentWav(3)));
    expect([slow.status, slow.json.error.code]).toEqual([504, "transcription_timeout"]);
    expect((await ctx.store.listGradings({ limit: 200 })).length).toBe(before); // nothing half-done was stored
  });
});

describe("model gradings of spoken answers are cached like typed ones", () => {
  it("same recording twice: one model call, the second served from the cache; another length: a new grading", async () => {
    const ctx = await buildTestApp({ grader: await llmGrader({ maxRetries: 0 }), transcriber: transcriber() });
    chat.always(chat.grade(modelGrade(TRANSCRIPT)));
    stt.always({ kind: "transcript", text: TRANSCRIPT });
    const first = await post(ctx.app, upload(silentWav(80, 8_000)));
    const second = await post(ctx.app, upload(silentWav(80, 8_000)));
    expect(first.status).toBe(200);
    expect(first.json.meta).toMatchObject({ mode: "llm", cached: false });
    expect(second.json.meta.cached).toBe(true);
    expect(second.json.delivery).toEqual(first.json.delivery);
    expect(chat.calls).toHaveLength(1);
    // The model is told the real length, not the estimate.
    expect(chat.calls[0]!.body.messages.map((m) => m.content).join("\n")).toContain("80s");

    const third = await post(ctx.app, upload(silentWav(130, 8_000)));
    expect(third.json.meta.cached).toBe(false);
    expect(third.json.length).toMatchObject({ speakingSeconds: 130, verdict: "too_long" });
    expect(chat.calls).toHaveLength(2);
    await ctx.store.close();
  });
});

describe("Node wiring (createNodeDeps from the environment)", () => {
  async function nodeApp(env: Record<string, string>) {
    const dbFile = tempDbFile();
    const deps = await createNodeDeps(loadConfig({ STARCOACH_DB: dbFile, STARCOACH_LOG: "off", ...env }));
    return { app: createApp(deps), deps, dbFile, audioDir: join(dbFile, "..", "audio") };
  }

  it("offline (no key, no transcription endpoint): 503 transcription_unavailable naming the settings", async () => {
    const { app, deps } = await nodeApp({});
    const res = await post(app as TestApp, upload(silentWav(3)));
    expect([res.status, res.json.error.code]).toEqual([503, "transcription_unavailable"]);
    expect(res.json.error.message).toMatch(/OPENAI_API_KEY/);
    expect(res.json.error.message).toMatch(/STARCOACH_TRANSCRIBE_BASE_URL/);
    // Also when the upload would be refused anyway: availability is checked before the body is read.
    expect((await post(app as TestApp, "{}", { "content-type": "application/json" })).status).toBe(503);
    await deps.store.close();
  });

  it("a local transcription server needs only its address; recordings are not kept by default", async () => {
    const { app, deps, audioDir: dir } = await nodeApp({ STARCOACH_TRANSCRIBE_BASE_URL: TRANSCRIBE_BASE_URL });
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    const res = await post(app as TestApp, upload(silentWav(3)));
    expect(res.status).toBe(200);
    expect(res.json.meta.mode).toBe("offline");
    expect(existsSync(dir)).toBe(false);
    await deps.store.close();
  });

  it("STARCOACH_KEEP_AUDIO=1 keeps the recording beside the database, and deleting the grading deletes it", async () => {
    const { app, deps, audioDir: dir } = await nodeApp({ STARCOACH_TRANSCRIBE_BASE_URL: TRANSCRIBE_BASE_URL, STARCOACH_KEEP_AUDIO: "1" });
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    const audio = silentWav(3);
    const res = await post(app as TestApp, upload(audio));
    expect(readdirSync(dir)).toEqual([`${res.json.id}.wav`]);
    expect(bytesOf(join(dir, `${res.json.id}.wav`))).toEqual(audio);
    expect((await app.request(`/v1/gradings/${res.json.id}`, { method: "DELETE" })).status).toBe(204);
    expect(readdirSync(dir)).toEqual([]);

    // Deleting everything deletes the recordings' folder too.
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    await post(app as TestApp, upload(audio));
    expect(readdirSync(dir)).toHaveLength(1);
    expect((await app.request("/v1/gradings?confirm=all-my-data", { method: "DELETE" })).status).toBe(200);
    expect(existsSync(dir)).toBe(false);
    await deps.store.close();
  });

  it("starcoach data wipe --yes deletes kept recordings with the database's data, even with the setting now off", async () => {
    const { app, deps, dbFile, audioDir: dir } = await nodeApp({ STARCOACH_TRANSCRIBE_BASE_URL: TRANSCRIBE_BASE_URL, STARCOACH_KEEP_AUDIO: "1" });
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    expect((await post(app as TestApp, upload(silentWav(3)))).status).toBe(200);
    await deps.store.close();
    expect(readdirSync(dir)).toHaveLength(1);
    const wiped = await runCli(["data", "wipe", "--yes", "--db", dbFile]);
    expect(wiped.code).toBe(0);
    expect(wiped.stderr).toContain("deleted the kept recordings");
    expect(existsSync(dir)).toBe(false);
  });

  it("the per-client grading rate limit covers spoken answers, and is checked before the transcription is paid for", async () => {
    // Offline gradings count on a server others can reach (not on loopback without a token).
    const { app, deps } = await nodeApp({ STARCOACH_TRANSCRIBE_BASE_URL: TRANSCRIBE_BASE_URL, STARCOACH_RATE_LIMIT: "1", HOST: "0.0.0.0" });
    stt.always({ kind: "transcript", text: TRANSCRIPT });
    expect((await post(app as TestApp, upload(silentWav(3)))).status).toBe(200);
    const limited = await post(app as TestApp, upload(silentWav(3)));
    expect([limited.status, limited.json.error.code]).toEqual([429, "rate_limited"]);
    expect(stt.calls).toHaveLength(1);
    await deps.store.close();
  });
});

// curl runs as its own process, so its request reaches the server's socket for real (MSW in this
// process only intercepts the server's own calls to the transcription API).
const HAVE_CURL = existsSync("/usr/bin/curl");

describe.skipIf(!HAVE_CURL)("over a real HTTP socket, with curl -F", () => {
  let server: ServerType;
  let base: string;
  let dir: string;
  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      // Keep the platform's Request/Response: once MSW has intercepted a request in this process,
      // @hono/node-server's replacements would let the server's calls slip past the mock.
      const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1", overrideGlobalObjects: false }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), "starcoach-upload-"));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  async function curl(...args: string[]): Promise<{ status: number; json: any }> {
    const { stdout } = await execFileAsync("curl", ["-s", "-w", "\n%{http_code}", ...args], { maxBuffer: 16 * 1024 * 1024 });
    const cut = stdout.lastIndexOf("\n");
    return { status: Number(stdout.slice(cut + 1)), json: JSON.parse(stdout.slice(0, cut)) };
  }

  it("the README's example: a recording and the principle as form fields", async () => {
    const file = join(dir, "answer.wav");
    writeFileSync(file, silentWav(65, 8_000));
    stt.reply({ kind: "transcript", text: TRANSCRIPT });
    const res = await curl(`${base}/v1/grade/audio`, "-F", `audio=@${file}`, "-F", "principle=ownership", "-F", `question=${QUESTION}`);
    expect(res.json.error).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ answer: TRANSCRIPT, question: QUESTION, delivery: { durationSeconds: 65 }, length: { speakingSeconds: 65 } });
  });

  it("a file over 25 MB is refused from its Content-Length: 413 audio_too_large, nothing transcribed", async () => {
    const file = join(dir, "huge.wav");
    writeFileSync(file, silentWav((MAX_AUDIO_BYTES + 1024) / 2 / 16_000));
    const res = await curl(`${base}/v1/grade/audio`, "-F", `audio=@${file}`, "-F", "principle=ownership");
    expect([res.status, res.json.error.code]).toEqual([413, "audio_too_large"]);
    expect(stt.calls).toHaveLength(0);
  });

  it("documented in the OpenAPI document as multipart/form-data", async () => {
    const { json: doc } = await curl(`${base}/openapi.json`);
    const op = doc.paths["/v1/grade/audio"].post;
    expect(Object.keys(op.requestBody.content)).toEqual(["multipart/form-data"]);
    expect(op.requestBody.content["multipart/form-data"].schema.properties.audio).toMatchObject({ type: "string", format: "binary" });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "413", "415", "503"]));
    expect(doc.components.schemas.Feedback.properties.delivery).toBeDefined();
  });
});
