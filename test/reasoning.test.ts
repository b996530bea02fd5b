/**
 * Reasoning models: a larger output budget once the model shows it thinks, an optional reasoning
 * effort sent as reasoning_effort, and the reasoning tokens reported in meta.usage.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { forgetEndpoints, OUTPUT_TOKENS } from "../src/grader/structured.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock } from "./support/app.js";
import { recordedReply } from "./support/local-models.js";
import { chatCompletionBody, createOpenAiMock, modelGrade, type Reply } from "./support/openai-mock.js";
import { readSse, streamingLlmGrader } from "./support/web.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });
afterEach(() => forgetEndpoints());

const grade = modelGrade(SAMPLE_ANSWER);
const request = { answer: SAMPLE_ANSWER, principle: "ownership" };
const budgets = () => mock.calls.map((c) => c.body.max_tokens ?? c.body.max_completion_tokens);

/** A plain Chat Completions reply with its finish reason and usage replaced. */
function reply(content: string, finish: string, usage?: Record<string, unknown>): Reply {
  const body = chatCompletionBody(content) as { choices: Array<{ finish_reason: string }>; usage: unknown };
  body.choices[0]!.finish_reason = finish;
  if (usage) body.usage = usage;
  return { kind: "recorded", body, chunks: [] };
}

describe("output budget", () => {
  it("a plain model gets the plain budget and no reasoning_effort", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(grade));
    await postGrade(app, request);
    expect(budgets()).toEqual([OUTPUT_TOKENS.plain]);
    expect(mock.calls[0]!.body).not.toHaveProperty("reasoning_effort");
  });

  it("once a reply carried <think>, later calls to that endpoint get the reasoning budget", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ model: "deepseek-r1:8b" }) });
    mock.reply(recordedReply("deepseek-think", grade), mock.grade(grade));
    await postGrade(app, request);
    await postGrade(app, { ...request, question: "Another?" });
    expect(budgets()).toEqual([OUTPUT_TOKENS.plain, OUTPUT_TOKENS.reasoning]);
  });

  it("a reply cut off at the budget is retried with the reasoning budget and told why", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ model: "qwen3:8b" }) });
    mock.reply(reply("<think>\nOkay, first the situation. The team had 6 engineers and", "length"), mock.grade(grade));
    const { status } = await postGrade(app, request);
    expect(status).toBe(200);
    expect(budgets()).toEqual([OUTPUT_TOKENS.plain, OUTPUT_TOKENS.reasoning]);
    expect(mock.calls[1]!.body.messages.at(-1)!.content).toContain("the reply was cut off at the output token limit");
  });

  it("OpenAI's reasoning families get the reasoning budget from the first call (as max_completion_tokens)", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ model: "o4-mini" }) });
    mock.reply(mock.grade(grade));
    await postGrade(app, request);
    expect(mock.calls[0]!.body).toMatchObject({ max_completion_tokens: OUTPUT_TOKENS.reasoning });
    expect(mock.calls[0]!.body).not.toHaveProperty("max_tokens");
  });

  it("STARCOACH_MAX_OUTPUT_TOKENS wins", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ maxOutputTokens: 1_500, reasoningEffort: "high" }) });
    mock.reply(mock.grade(grade));
    await postGrade(app, request);
    expect(budgets()).toEqual([1_500]);
  });
});

describe("reasoning effort and reasoning tokens", () => {
  it("sends reasoning_effort with the reasoning budget, and reports reasoning tokens in meta.usage", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader({ model: "qwen3:8b", reasoningEffort: "low" }) });
    const usage = { prompt_tokens: 1874, completion_tokens: 1630, total_tokens: 3504, completion_tokens_details: { reasoning_tokens: 1018 } };
    mock.reply(reply(JSON.stringify(grade), "stop", usage));
    const { json } = await postGrade(app, request);
    expect(mock.calls[0]!.body).toMatchObject({ reasoning_effort: "low", max_tokens: OUTPUT_TOKENS.reasoning });
    expect(json.meta.usage).toEqual({ inputTokens: 1874, outputTokens: 1630, reasoningTokens: 1018 });
  });

  it("streams with reasoning_effort too, and the reasoning stays out of the partials", async () => {
    const { app } = await buildTestApp({ grader: await streamingLlmGrader({ model: "deepseek-r1:8b", reasoningEffort: "medium" }) });
    mock.reply(recordedReply("deepseek-think", grade, 2));
    const res = await app.request("/v1/grade/stream", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    const events = await readSse(res);
    expect(mock.calls[0]!.body).toMatchObject({ stream: true, reasoning_effort: "medium", max_tokens: OUTPUT_TOKENS.reasoning });
    expect(events.filter((e) => e.event === "partial").every((e) => !JSON.stringify(e.data).includes("Okay, let me grade"))).toBe(true);
    expect(events.at(-1)!.data.meta.repaired).toEqual(["reasoning"]);
  });

  it("is read from the environment and checked", () => {
    const env = { OPENAI_API_KEY: "sk-x" };
    expect(loadConfig(env).llm).not.toHaveProperty("reasoningEffort");
    expect(loadConfig({ ...env, STARCOACH_REASONING_EFFORT: "high", STARCOACH_MAX_OUTPUT_TOKENS: "20000" }).llm).toMatchObject({ reasoningEffort: "high", maxOutputTokens: 20_000 });
    expect(() => loadConfig({ ...env, STARCOACH_REASONING_EFFORT: "extreme" })).toThrow(/STARCOACH_REASONING_EFFORT/);
    expect(() => loadConfig({ ...env, STARCOACH_MAX_OUTPUT_TOKENS: "12" })).toThrow(/STARCOACH_MAX_OUTPUT_TOKENS/);
  });
});
