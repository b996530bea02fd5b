import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";
import { buildTestApp, llmGrader, SAMPLE_ANSWER } from "./support/app.js";

const mock = createOpenAiMock();
beforeAll(() => mock.server.listen({ onUnhandledRequest: "error" }));
afterEach(() => mock.reset());
afterAll(() => mock.server.close());

async function post(app: Awaited<ReturnType<typeof buildTestApp>>["app"], body: unknown) {
  const res = await app.request("/v1/grade", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

describe("LLM grading through the real AI SDK client against MSW", () => {
  it("grades with the model, sends the rubric and facts, and scores by code", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const { status, json } = await post(app, { answer: SAMPLE_ANSWER, principle: "Have Backbone; Disagree and Commit", question: "Tell me about a time you disagreed with your team." });
    expect(status).toBe(200);
    expect(json.meta.mode).toBe("llm");
    expect(json.meta.usage).toEqual({ inputTokens: 1874, outputTokens: 612 });
    expect(json.star.action.score).toBe(4);
    expect(mock.calls).toHaveLength(1);
    const call = mock.calls[0]!;
    expect(call.url).toBe("https://llm.test/v1/chat/completions");
    expect(call.body.temperature).toBe(0);
    expect(JSON.stringify(call.body.messages)).toContain("Rubric: Action");
  });
});
