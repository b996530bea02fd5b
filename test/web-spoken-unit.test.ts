/** The spoken answer on the pages, without a browser: marks in the annotated answer, the delivery card, the recorder. */
import { describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { findFillers } from "../src/core/delivery.js";
import { highlightAnswer } from "../src/web/highlight.js";
import { buildTestApp } from "./support/app.js";
import { silentWav } from "./support/audio.js";
import { createTranscriptionMock, timeWords, TRANSCRIBE_BASE_URL } from "./support/transcription-mock.js";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createTranscriber } from "../src/transcribe/transcriber.js";

const segmentsOf = (answer: string) => analyze(answer).sentences.map((s) => ({ start: s.start, end: s.end, part: s.part }));
const text = (pieces: ReturnType<typeof highlightAnswer>) => pieces.map((p) => (p.kind === "gap" ? p.text : p.runs.map((r) => r.text).join(""))).join("");

describe("highlightAnswer with a spoken answer's marks", () => {
  const answer = "Um, I owned the importer. Then, like, I rewrote the validator.";
  const segs = segmentsOf(answer);

  it("marks the fillers and puts a pause marker where the silence fell, keeping the text exact", () => {
    const offset = answer.indexOf("importer") + "importer".length;
    const pieces = highlightAnswer(answer, segs, [], { fillers: findFillers(answer), pauses: [{ offset, seconds: 3.1 }] });
    expect(text(pieces)).toBe(answer);
    const runs = pieces.flatMap((p) => (p.kind === "sentence" ? p.runs : []));
    expect(runs.filter((r) => r.filler).map((r) => r.text)).toEqual(["Um", "like"]);
    const at = runs.findIndex((r) => r.pause !== undefined);
    expect(runs[at]).toMatchObject({ text: "", pause: 3.1 });
    expect(runs.slice(0, at).map((r) => r.text).join("")).toBe("Um, I owned the importer");
  });

  it("a pause between sentences goes to the end of the sentence before it", () => {
    const offset = answer.indexOf(" Then"); // in the gap after "importer."
    const pieces = highlightAnswer(answer, segs, [], { fillers: [], pauses: [{ offset, seconds: 2.8 }] });
    const first = pieces.find((p) => p.kind === "sentence")!;
    expect(first.kind === "sentence" && first.runs.at(-1)).toMatchObject({ text: "", pause: 2.8 });
    expect(text(pieces)).toBe(answer);
  });

  it("typed answers get no filler or pause marks", () => {
    const pieces = highlightAnswer(answer, segs, []);
    expect(pieces.flatMap((p) => (p.kind === "sentence" ? p.runs : [])).some((r) => r.filler || r.pause !== undefined)).toBe(false);
  });
});

describe("pages", () => {
  const stt = createTranscriptionMock();
  beforeAll(() => stt.server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => stt.reset());
  afterAll(() => stt.server.close());

  it("the form offers the recorder (hidden until the script runs) with the privacy note; offline it says transcription is not set up", async () => {
    const offline = await buildTestApp();
    const html = await (await offline.app.request("/")).text();
    expect(html).toMatch(/<div[^>]*id="recorder"[^>]*hidden/);
    expect(html).toContain('data-transcription="off"');
    expect(html).toContain("The recording is sent for transcription and not stored.");
    expect(html).toContain("Transcription is not set up on this server");
    await offline.store.close();
  });

  it("the result page of a spoken answer shows the delivery card and marks the fillers and pause", async () => {
    const ctx = await buildTestApp({ transcriber: createTranscriber({ apiKey: null, baseURL: TRANSCRIBE_BASE_URL, model: "whisper-1", timeoutMs: 5_000, maxRetries: 0 }) });
    const transcript = "Um, I owned the importer. Then I rewrote the validator, you know, in a week.";
    stt.reply({ kind: "transcript", text: transcript, words: timeWords(transcript, { pauses: { 4: 3 } }) });
    const form = new FormData();
    form.set("audio", new Blob([silentWav(20) as Uint8Array<ArrayBuffer>]), "a.wav");
    form.set("principle", "ownership");
    const feedback = (await (await ctx.app.request("/v1/grade/audio", { method: "POST", body: form })).json()) as any;
    const html = await (await ctx.app.request(`/result/${feedback.id}`)).text();
    expect(html).toContain('id="delivery-card"');
    expect(html).toContain('data-seconds="20"');
    expect(html).toContain("min recorded");
    const answerHtml = html.slice(html.indexOf('id="annotated-answer"'));
    expect([...answerHtml.matchAll(/<mark class="[^"]*\bfiller\b[^"]*"[^>]*>([^<]*)<\/mark>/g)].map((m) => m[1])).toEqual(["Um", "you know"]);
    expect(html.match(/class="pause"/g)!.length).toBe(2); // the legend's and the marker in the answer
    // A typed answer's page has none of it.
    const typed = (await (await ctx.app.request("/v1/grade", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: transcript, principle: "ownership" }) })).json()) as any;
    const typedHtml = await (await ctx.app.request(`/result/${typed.id}`)).text();
    expect(typedHtml).not.toContain("delivery-card");
    expect(typedHtml).not.toContain('class="filler"');
    await ctx.store.close();
  });
});
