/**
 * The shapes local model servers really send (Ollama, LM Studio, llama.cpp, vLLM, a DeepSeek-R1
 * <think> stream), through the real AI SDK client against MSW: each grades, plain and streamed, with
 * the counted figures unchanged, every quote verified, and what was repaired recorded in meta.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../src/core/analyze.js";
import { FeedbackSchema, type Feedback } from "../src/core/feedback.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock } from "./support/app.js";
import { LOCAL_SHAPES, recordedReply, type LocalShape } from "./support/local-models.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";
import { readSse, streamingLlmGrader } from "./support/web.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });

const request = { answer: SAMPLE_ANSWER, principle: "have-backbone-disagree-and-commit", question: "Tell me about a time you disagreed with your team." };
const grade = modelGrade(SAMPLE_ANSWER);

const expected: Record<LocalShape, { repaired: string[] | undefined; usage: { inputTokens: number; outputTokens: number } | null; streamUsage?: null }> = {
  ollama: { repaired: ["fence"], usage: { inputTokens: 2011, outputTokens: 734 } },
  lmstudio: { repaired: ["prose"], usage: { inputTokens: 1968, outputTokens: 702 }, streamUsage: null },
  llamacpp: { repaired: ["reasoning"], usage: { inputTokens: 2094, outputTokens: 1190 } },
  "vllm-reasoning": { repaired: undefined, usage: { inputTokens: 2087, outputTokens: 1304 } },
  "deepseek-think": { repaired: ["reasoning"], usage: { inputTokens: 2035, outputTokens: 1246 } },
};

/** The figures code counts are the analysis's, whatever the model sent; every quote is in the answer. */
function expectGradedFromCode(feedback: Feedback) {
  const a = analyze(SAMPLE_ANSWER);
  expect(feedback.ownership).toMatchObject({ iCount: a.iCount, weCount: a.weCount, iRatio: a.iRatio, actionIRatio: a.actionIRatio });
  expect(feedback.length).toMatchObject({ words: a.words, sentences: a.sentences.length, speakingSeconds: a.speakingSeconds });
  expect(feedback.meta.droppedQuotes).toBe(0);
  const quotes = [...Object.values(feedback.star).flatMap((p) => p.evidence), ...feedback.principleFit.evidence];
  expect(quotes.length).toBeGreaterThan(4);
  for (const quote of quotes) expect(SAMPLE_ANSWER).toContain(quote);
  expect(feedback.star.action).toMatchObject({ present: true, score: grade.action.score });
  expect(feedback.star.result.score).toBe(grade.result.score);
  expect(feedback.principleFit.score).toBe(grade.principleFit.score);
}

describe.each(Object.entries(LOCAL_SHAPES) as Array<[LocalShape, string]>)("%s — %s", (shape) => {
  it("grades POST /v1/grade in one call", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(recordedReply(shape, grade));
    const { status, json } = await postGrade(app, request);
    expect(status).toBe(200);
    const feedback = FeedbackSchema.parse(json);
    expectGradedFromCode(feedback);
    expect(feedback.meta.repaired).toEqual(expected[shape].repaired);
    expect(feedback.meta.usage).toEqual(expected[shape].usage);
    expect(mock.calls).toHaveLength(1);
  });

  it("streams POST /v1/grade/stream (the web page's stream): figures, growing partials, then the feedback", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader() });
    mock.reply(recordedReply(shape, grade, 4));
    const res = await app.request("/v1/grade/stream", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const events = await readSse(res);
    expect(events[0]!.event).toBe("analysis");
    expect(events.at(-1)!.event).toBe("feedback");
    const partials = events.filter((e) => e.event === "partial").map((e) => e.data);
    expect(partials.length).toBeGreaterThan(2);
    // No reasoning or prose leaks into what the page shows: the last partial is the grading itself.
    expect(partials.at(-1)!.situation.feedback).toBe(grade.situation.feedback);
    const feedback = FeedbackSchema.parse(events.at(-1)!.data);
    expectGradedFromCode(feedback);
    expect(feedback.meta.repaired).toEqual(expected[shape].repaired);
    expect(feedback.meta.usage).toEqual("streamUsage" in expected[shape] ? expected[shape].streamUsage : expected[shape].usage);
    // Read in one streamed call: no fallback to the one-shot grader.
    expect(mock.calls.map((c) => c.body.stream)).toEqual([true]);
  });
});
