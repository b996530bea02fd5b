/**
 * A mock interview answered by voice, over HTTP: the real app on SQLite, the real transcription
 * client against the MSW-mocked transcription API (verbose_json with word timings), offline rules
 * grading. Also: a server without transcription, bad uploads, and deleting a mock.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findFillers } from "../src/core/delivery.js";
import { createTranscriber } from "../src/transcribe/transcriber.js";
import { buildTestApp, SAMPLE_ANSWER, type TestApp } from "./support/app.js";
import { silentWav } from "./support/audio.js";
import { createTranscriptionMock, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";

const stt = createTranscriptionMock();
beforeAll(() => stt.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => stt.reset());
afterAll(() => stt.server.close());

const TRANSCRIPT =
  "Um, last year our support team was drowning in three hundred tickets a week about failed imports. Nobody owned the importer, so I decided to own it. " +
  "My goal was to halve those tickets in one quarter. I read fifty tickets, you know, and found three root causes. Then I wrote a validator that explains each error. " +
  "As a result, import tickets fell by sixty two percent in eight weeks.";

const transcriber = () => createTranscriber({ apiKey: "sk-stt", baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 2_000, maxRetries: 0 });

async function call(app: TestApp, method: string, path: string, body?: unknown) {
  const res = await app.request(path, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
  return { status: res.status, json: res.status === 204 ? null : ((await res.json()) as any) };
}

function recording(audio: Uint8Array | null, fields: Record<string, string>): FormData {
  const form = new FormData();
  if (audio) form.set("audio", new Blob([audio as Uint8Array<ArrayBuffer>], { type: "audio/wav" }), "answer.wav");
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return form;
}

async function speakAnswer(app: TestApp, id: string, body: FormData | string, headers: Record<string, string> = {}) {
  const res = await app.request(`/v1/mocks/${id}/answers/audio`, { method: "POST", body, headers });
  return { status: res.status, json: (await res.json()) as any };
}

describe("a mock question answered by speaking", () => {
  it("grades the transcript like a typed mock answer, times it by the recording, and shows its delivery in the debrief", async () => {
    const { app, store } = await buildTestApp({ transcriber: transcriber() });
    const mock = (await call(app, "POST", "/v1/mocks", { role: "tpm", count: 2 })).json;

    // Question 1: a 75-second recording with a 3.4 s silence, transcribed with word timings.
    const words = timeWords(TRANSCRIPT, { start: 0.5, perWord: 0.62, pauses: { 20: 3.4 } });
    stt.reply({ kind: "transcript", text: TRANSCRIPT, words, duration: 75.1 });
    const first = await speakAnswer(app, mock.id, recording(silentWav(75, 8_000), { index: "0" }));
    expect(first.status).toBe(200);
    expect(stt.calls).toHaveLength(1);
    expect(stt.calls[0]).toMatchObject({ responseFormat: "verbose_json", granularities: expect.arrayContaining(["word"]) });
    const a0 = first.json.answers[0];
    expect(a0).toMatchObject({ index: 0, elapsedSeconds: 75, timing: "audio", overrun: false });
    expect(first.json.pendingFollowUp).toBe(0);
    expect(a0.followUp.question).toEqual(expect.any(String));

    // The same grading as a typed mock answer: bar-raiser mode, the question, a new story; plus delivery.
    const graded = (await store.getGrading(a0.gradingId))!;
    expect(graded).toMatchObject({ answer: TRANSCRIPT, question: mock.questions[0].text, principle: { id: mock.questions[0].principle.id }, storyId: a0.storyId });
    expect(graded.barRaiser?.hireSignal).toEqual(expect.any(String));
    expect(graded.delivery).toMatchObject({ durationSeconds: 75, fillers: { count: findFillers(TRANSCRIPT).length } });
    expect(graded.delivery!.longPauses).toHaveLength(1);
    expect(graded.length.speakingSeconds).toBe(75);

    // The follow-up, typed; then question 2 by voice, over the 2:00 target.
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers/0/followup`, { answer: "I read the tickets myself and sorted them by cause before writing any code." })).status).toBe(200);
    stt.reply({ kind: "transcript", text: SAMPLE_ANSWER, duration: 130 });
    const second = await speakAnswer(app, mock.id, recording(silentWav(130, 8_000), { index: "1" }));
    expect(second.status).toBe(200);
    expect(second.json.answers[1]).toMatchObject({ elapsedSeconds: 130, timing: "audio", overrun: true });

    const finished = await call(app, "POST", `/v1/mocks/${mock.id}/finish`);
    expect(finished.status).toBe(200);
    const time = finished.json.debrief.time;
    expect(time.map((t: { elapsedSeconds: number }) => t.elapsedSeconds)).toEqual([75, 130]);
    expect(time[0].delivery).toEqual(graded.delivery);
    expect(time[1].delivery.durationSeconds).toBe(130);
    expect(finished.json.debrief.principles[1].reasons.join(" ")).toMatch(/2:10, over the 2:00/);
  });

  it("a typed answer's debrief row has no delivery", async () => {
    const { app } = await buildTestApp({ transcriber: transcriber() });
    const mock = (await call(app, "POST", "/v1/mocks", { count: 1 })).json;
    await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: SAMPLE_ANSWER, elapsedSeconds: 90 });
    const finished = await call(app, "POST", `/v1/mocks/${mock.id}/finish`);
    expect(finished.json.debrief.time[0]).toMatchObject({ elapsedSeconds: 90, delivery: null });
    expect(stt.calls).toHaveLength(0);
  });

  it("offline (no transcription endpoint): 503 transcription_unavailable naming the settings; nothing is answered", async () => {
    const { app } = await buildTestApp();
    const mock = (await call(app, "POST", "/v1/mocks", { count: 1 })).json;
    const res = await speakAnswer(app, mock.id, recording(silentWav(3, 8_000), { index: "0" }));
    expect([res.status, res.json.error.code]).toEqual([503, "transcription_unavailable"]);
    expect(res.json.error.message).toMatch(/OPENAI_API_KEY.*STARCOACH_TRANSCRIBE_BASE_URL/);
    expect((await call(app, "GET", `/v1/mocks/${mock.id}`)).json).toMatchObject({ current: 0, answers: [] });
    // The typed path still works.
    expect((await call(app, "POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: SAMPLE_ANSWER })).status).toBe(200);
  });

  it("refuses bad uploads with a precise 4xx, before anything is transcribed", async () => {
    const { app } = await buildTestApp({ transcriber: transcriber() });
    const mock = (await call(app, "POST", "/v1/mocks", { count: 2 })).json;
    const wav = silentWav(2, 8_000);
    const cases: Array<[string, () => Promise<{ status: number; json: any }>, number, string]> = [
      ["no file", () => speakAnswer(app, mock.id, recording(null, { index: "0" })), 400, "audio_missing"],
      ["an empty file", () => speakAnswer(app, mock.id, recording(new Uint8Array(), { index: "0" })), 400, "audio_empty"],
      ["a text file", () => speakAnswer(app, mock.id, recording(new TextEncoder().encode("Um, my answer typed out."), { index: "0" })), 415, "unsupported_audio_format"],
      ["a cut-short WAV", () => speakAnswer(app, mock.id, recording(wav.slice(0, 20), { index: "0" })), 400, "audio_unreadable"],
      ["JSON instead of multipart", () => speakAnswer(app, mock.id, JSON.stringify({ index: 0 }), { "content-type": "application/json" }), 415, "unsupported_media_type"],
      ["no index", () => speakAnswer(app, mock.id, recording(wav, {})), 400, "invalid_request"],
      ["a later question", () => speakAnswer(app, mock.id, recording(wav, { index: "1" })), 409, "mock_out_of_order"],
      ["an unknown mock", () => speakAnswer(app, "nope", recording(wav, { index: "0" })), 404, "mock_not_found"],
    ];
    for (const [name, send, status, code] of cases) {
      const res = await send();
      expect({ name, status: res.status, code: res.json.error?.code }).toEqual({ name, status, code });
    }
    expect(stt.calls).toHaveLength(0);

    // Silence transcribed as nothing: 400 no_speech, and the question is still open.
    stt.reply({ kind: "transcript", text: "  ", words: [] });
    const silent = await speakAnswer(app, mock.id, recording(wav, { index: "0" }));
    expect([silent.status, silent.json.error.code]).toEqual([400, "no_speech"]);
    expect((await call(app, "GET", `/v1/mocks/${mock.id}`)).json.current).toBe(0);
  });
});
