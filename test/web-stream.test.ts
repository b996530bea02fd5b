import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FeedbackSchema } from "../src/core/feedback.js";
import { countTokens } from "../src/core/tokens.js";
import { buildTestApp, SAMPLE_ANSWER } from "./support/app.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";
import { readSse, streamingLlmGrader } from "./support/web.js";

const mock = createOpenAiMock();
beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset());
afterAll(() => mock.server.close());

type App = Awaited<ReturnType<typeof buildTestApp>>["app"];
const body = { answer: SAMPLE_ANSWER, principle: "ownership", question: "Tell me about a time you fixed something nobody owned." };

function postStream(app: App, payload: unknown, headers: Record<string, string> = { "content-type": "application/json" }) {
  return app.request("/v1/grade/stream", { method: "POST", headers, body: typeof payload === "string" ? payload : JSON.stringify(payload) });
}

describe("POST /v1/grade/stream (SSE) with the model streaming through the real AI SDK client", () => {
  it("sends the computed figures first, then partial model output, then the stored Feedback", async () => {
    const { app, store } = await buildTestApp({ grader: await streamingLlmGrader() });
    const grade = modelGrade(SAMPLE_ANSWER);
    mock.reply({ kind: "json", content: JSON.stringify(grade), chunkDelayMs: 15 });
    const started = performance.now();
    const res = await postStream(app, body);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = await readSse(res, started);

    expect(mock.calls).toHaveLength(1);
    expect(mock.calls[0]!.body.stream).toBe(true);

    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe("analysis");
    expect(kinds[kinds.length - 1]).toBe("feedback");
    const partials = events.filter((e) => e.event === "partial");
    expect(partials.length).toBeGreaterThan(2);

    const counts = countTokens(SAMPLE_ANSWER);
    const analysis = events[0]!.data;
    expect(analysis.length.words).toBe(counts.words);
    expect(analysis.ownership).toMatchObject({ iCount: counts.iCount, weCount: counts.weCount });
    expect(analysis.segments.length).toBeGreaterThan(3);
    // The figures come before any model output, and well before the end of the ~400 ms stream.
    expect(events[0]!.at).toBeLessThan(partials[0]!.at);
    expect(partials[0]!.at).toBeLessThan(events[events.length - 1]!.at - 150);

    // Partials grow: an early one lacks the last fields, the last one has the situation feedback.
    expect(partials[0]!.data.followUps).toBeUndefined();
    expect(partials[partials.length - 1]!.data.situation.feedback).toBe(grade.situation.feedback);

    const feedback = FeedbackSchema.parse(events[events.length - 1]!.data);
    expect(feedback.meta).toMatchObject({ mode: "llm", usage: { inputTokens: 1874, outputTokens: 612 } });
    expect(feedback.star.action.score).toBe(4);
    expect(await store.getGrading(feedback.id)).toEqual(feedback);
  });

  it("offline: only the final feedback event", async () => {
    const { app } = await buildTestApp();
    const events = await readSse(await postStream(app, body));
    expect(events.map((e) => e.event)).toEqual(["feedback"]);
    expect(events[0]!.data.meta.mode).toBe("offline");
    expect(events[0]!.data.meta.notice).toMatch(/OPENAI_API_KEY/);
    expect(mock.calls).toHaveLength(0);
  });

  it("rejects bad input as JSON before streaming, like /v1/grade", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader() });
    const empty = await postStream(app, { ...body, answer: "  \n " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ error: { code: "answer_empty", message: expect.stringMatching(/empty/) } });
    const unknown = await postStream(app, { ...body, principle: "nope" });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).error.code).toBe("unknown_principle");
    expect((await postStream(app, "{", { "content-type": "application/json" })).status).toBe(400);
    expect((await postStream(app, body, { "content-type": "text/plain" })).status).toBe(415);
    expect(mock.calls).toHaveLength(0);
  });

  it("a model failure during the stream becomes an error event with the usual code", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader({ maxRetries: 0 }) });
    mock.reply({ kind: "status", status: 401, body: { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } } });
    const events = await readSse(await postStream(app, body));
    expect(events.map((e) => e.event)).toEqual(["analysis", "error"]);
    expect(events[1]!.data.error.code).toBe("model_auth_failed");
  });

  it("output that breaks the schema falls back to the one-shot grader, then succeeds", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader() });
    mock.reply({ kind: "json", content: JSON.stringify({ situation: { score: 9 } }) }, mock.grade(modelGrade(SAMPLE_ANSWER)));
    const events = await readSse(await postStream(app, body));
    expect(events[events.length - 1]!.event).toBe("feedback");
    expect(mock.calls.map((c) => Boolean(c.body.stream))).toEqual([true, false]);
  });
});
