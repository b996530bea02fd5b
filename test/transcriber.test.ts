/**
 * The transcription adapter against the MSW-mocked OpenAI transcription API: word timings with
 * verbose_json, the plain-json fallback, and the faults a person must be told about precisely.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { TranscriptionError } from "../src/transcribe/errors.js";
import { createTranscriber, VERBATIM_PROMPT, type TranscribeSettings } from "../src/transcribe/transcriber.js";
import { silentWav } from "./support/audio.js";
import { createTranscriptionMock, INVALID_FORMAT_BODY, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";

const stt = createTranscriptionMock();
beforeAll(() => stt.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => stt.reset());
afterAll(() => stt.server.close());

const TEXT = "Um, last year I owned the importer. Nobody else would, you know.";
const audio = silentWav(3);
const transcriber = (overrides: Partial<TranscribeSettings> = {}) =>
  createTranscriber({ apiKey: "sk-stt", baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 5_000, maxRetries: 0, ...overrides });

async function failure(promise: Promise<unknown>): Promise<TranscriptionError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TranscriptionError);
  return error as TranscriptionError;
}

describe("transcriber", () => {
  it("asks for verbose_json with word timestamps and returns the words and the service's duration", async () => {
    const words = timeWords(TEXT, { pauses: { 6: 3.1 } });
    stt.reply({ kind: "transcript", text: TEXT, words, duration: 8.2 });
    const result = await transcriber().transcribe(audio);

    expect(result).toEqual({ text: TEXT, words, durationSeconds: 8.2 });
    expect(stt.calls).toHaveLength(1);
    expect(stt.calls[0]).toEqual({
      model: "whisper-1",
      responseFormat: "verbose_json",
      granularities: ["word"],
      prompt: VERBATIM_PROMPT,
      file: { name: "audio.wav", type: "audio/wav", size: audio.length },
      authorization: "Bearer sk-stt",
    });
  });

  it("the upload is named after the container the bytes are (the API reads the extension)", async () => {
    stt.always({ kind: "transcript", text: TEXT });
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]);
    const ogg = new TextEncoder().encode("OggS\0\x02rest-of-page");
    await transcriber().transcribe(webm);
    await transcriber().transcribe(ogg);
    expect(stt.calls.map((c) => c.file.name)).toEqual(["audio.webm", "audio.ogg"]);
  });

  it("falls back to plain json when the model refuses verbose_json, and remembers", async () => {
    stt.supportsVerboseJson(false);
    stt.always({ kind: "transcript", text: TEXT });
    const t = transcriber({ model: "gpt-4o-transcribe" });

    expect(await t.transcribe(audio)).toEqual({ text: TEXT, words: null, durationSeconds: null });
    expect(stt.calls.map((c) => c.responseFormat)).toEqual(["verbose_json", "json"]);
    expect(stt.calls[1]!.granularities).toEqual([]);

    await t.transcribe(audio);
    expect(stt.calls.map((c) => c.responseFormat)).toEqual(["verbose_json", "json", "json"]);
  });

  it("429: rate-limited, with the provider's Retry-After", async () => {
    stt.always({ kind: "status", status: 429, headers: { "retry-after": "7" }, body: { error: { message: "Rate limit reached", type: "requests", param: null, code: "rate_limit_exceeded" } } });
    const e = await failure(transcriber().transcribe(audio));
    expect([e.code, e.status, e.retryAfterSeconds]).toEqual(["transcription_rate_limited", 503, 7]);
  });

  it("429 then success: the SDK's retry honours Retry-After and the answer comes through", async () => {
    stt.reply({ kind: "status", status: 429, headers: { "retry-after": "0" } }, { kind: "transcript", text: TEXT });
    const result = await transcriber({ maxRetries: 1 }).transcribe(audio);
    expect(result.text).toBe(TEXT);
    expect(stt.calls).toHaveLength(2);
  });

  it("500 after the retries: transcription_failed with the status", async () => {
    stt.always({ kind: "status", status: 500, headers: { "retry-after-ms": "0" } });
    const e = await failure(transcriber({ maxRetries: 2 }).transcribe(audio));
    expect([e.code, e.status]).toEqual(["transcription_failed", 502]);
    expect(e.message).toContain("HTTP 500");
    expect(stt.calls).toHaveLength(3);
  });

  it("no answer in time: transcription_timeout, naming the setting", async () => {
    stt.reply({ kind: "delay", ms: 3_000, text: TEXT });
    const started = performance.now();
    const e = await failure(transcriber({ timeoutMs: 300 }).transcribe(audio));
    expect([e.code, e.status]).toEqual(["transcription_timeout", 504]);
    expect(e.message).toContain("STARCOACH_TRANSCRIBE_TIMEOUT_MS");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("a file the service cannot decode: 415 unsupported_audio_format, not retried as plain json", async () => {
    stt.reply({ kind: "status", status: 400, body: INVALID_FORMAT_BODY });
    const e = await failure(transcriber().transcribe(audio));
    expect([e.code, e.status]).toEqual(["unsupported_audio_format", 415]);
    expect(e.message).toContain("Invalid file format");
    expect(stt.calls).toHaveLength(1);
  });

  it("a rejected key and an unreachable server are told apart", async () => {
    stt.reply({ kind: "status", status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } } });
    expect((await failure(transcriber().transcribe(audio))).code).toBe("transcription_auth_failed");
    stt.reply({ kind: "network-error" });
    const e = await failure(transcriber().transcribe(audio));
    expect(e.code).toBe("transcription_failed");
    expect(e.message).toContain("could not be reached");
  });
});

describe("transcription settings", () => {
  it("follow the model's key and endpoint by default, with whisper-1", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-a", OPENAI_BASE_URL: "https://llm.example/v1" }).transcription).toEqual({
      apiKey: "sk-a", baseURL: "https://llm.example/v1", model: "whisper-1", explicit: false, timeoutMs: 120_000, maxRetries: 2,
    });
    expect(loadConfig({ OPENAI_API_KEY: "sk-a" }).transcription).toMatchObject({ baseURL: "https://api.openai.com/v1" });
  });

  it("a local server needs only its address; its own key and model win", () => {
    const local = loadConfig({ STARCOACH_TRANSCRIBE_BASE_URL: "http://127.0.0.1:8000/v1", STARCOACH_TRANSCRIBE_MODEL: "Systran/faster-whisper-small" }).transcription;
    expect(local).toMatchObject({ baseURL: "http://127.0.0.1:8000/v1", model: "Systran/faster-whisper-small", explicit: true });
    expect(local).not.toHaveProperty("apiKey");
    expect(loadConfig({ OPENAI_API_KEY: "sk-a", STARCOACH_TRANSCRIBE_API_KEY: "gsk-b", STARCOACH_TRANSCRIBE_BASE_URL: "https://stt.example/v1" }).transcription).toMatchObject({ apiKey: "gsk-b", baseURL: "https://stt.example/v1" });
  });

  it("off without a key, and when offline mode is forced without a transcription endpoint of its own", () => {
    expect(loadConfig({}).transcription).toBeNull();
    expect(loadConfig({ OPENAI_API_KEY: "sk-a", STARCOACH_OFFLINE: "1" }).transcription).toBeNull();
    expect(loadConfig({ OPENAI_API_KEY: "sk-a", STARCOACH_OFFLINE: "1", STARCOACH_TRANSCRIBE_BASE_URL: "http://127.0.0.1:8000/v1" }).transcription).not.toBeNull();
    expect(() => loadConfig({ STARCOACH_TRANSCRIBE_BASE_URL: "not a url" })).toThrow(/STARCOACH_TRANSCRIBE_BASE_URL/);
    expect(loadConfig({ STARCOACH_KEEP_AUDIO: "1" }).keepAudio).toBe(true);
    expect(loadConfig({}).keepAudio).toBe(false);
  });
});
