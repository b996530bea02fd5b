import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BarRaiserSchema } from "../src/core/bar-raiser.js";
import { FeedbackSchema, type ModelGrade } from "../src/core/feedback.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock } from "./support/app.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });


function scored(action: number, result: number, fit: number, tag: string): ModelGrade {
  const g = modelGrade(SAMPLE_ANSWER);
  return { ...g, action: { ...g.action, score: action, feedback: `${tag}: action feedback` }, result: { ...g.result, score: result }, principleFit: { ...g.principleFit, score: fit } };
}

const WE_ANSWER = "Last year our team owned a flaky deploy pipeline that failed 30% of the time. We had to make it reliable before the launch. We investigated the logs and we rewrote the retry logic together. We also added alerts. In the end deploys were fine and everyone was happy.";

describe("self-consistency samples", () => {
  it("makes N model calls above temperature 0 and reports median scores with spread", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(scored(2, 1, 2, "A")), mock.grade(scored(4, 3, 3, "B")), mock.grade(scored(3, 4, 4, "C")));
    const { status, json } = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership", samples: 3 });
    expect(status).toBe(200);
    expect(mock.calls).toHaveLength(3);
    for (const call of mock.calls) expect(call.body.temperature).toBe(0.7);
    expect(json.meta.samples).toBe(3);
    expect(json.meta.usage).toEqual({ inputTokens: 3 * 1874, outputTokens: 3 * 612 });
    expect(json.star.action).toMatchObject({ score: 3, spread: { min: 2, max: 4 } });
    expect(json.star.result).toMatchObject({ score: 3, spread: { min: 1, max: 4 } });
    expect(json.principleFit).toMatchObject({ score: 3, spread: { min: 2, max: 4 } });
    expect(json.star.situation.spread).toEqual({ min: 3, max: 3 });
    // Medians (3,3,3,3,3 for S,T,A,R,fit): B is 1+0+1+0+0 = 2 away, C is 0+0+0+1+1 = 2 away, A is 1+2+1 = 4: the first nearest, B, speaks.
    expect(json.star.action.feedback).toBe("B: action feedback");
    expect(FeedbackSchema.safeParse(json).success).toBe(true);
  });

  it("one sample stays at temperature 0 without spread; bad sample counts are 400", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const { json } = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership" });
    expect(mock.calls[0]!.body.temperature).toBe(0);
    expect(json.star.action.spread).toBeUndefined();
    for (const samples of [0, 6, 2.5]) {
      const bad = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership", samples });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe("invalid_samples");
    }
    expect((await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership", samples: "3" })).json.error.code).toBe("invalid_request");
  });

  it("offline mode ignores samples > 1 (rules are deterministic)", async () => {
    const { app } = await buildTestApp();
    const { json } = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership", samples: 4 });
    expect(json.meta).toMatchObject({ mode: "offline", samples: 1 });
  });
});

describe("bar-raiser mode", () => {
  it("adds the model's hire signal and follow-ups, code red flags first, and grounds quotes", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    const grade = modelGrade(WE_ANSWER);
    grade.principleFit.betterFits = ["dive-deep"];
    mock.reply(mock.grade(grade), {
      kind: "json",
      content: JSON.stringify({
        reasons: ["The candidate never says what they personally did."],
        redFlags: [
          { kind: "vague_actions", quote: "We also added alerts.", explanation: "Which alerts, and who added them?" },
          { kind: "scope_too_small", quote: "a quote that is not in the answer", explanation: "Small scope." },
          { kind: "we_hides_ownership", quote: null, explanation: "duplicate of the computed flag" },
        ],
        followUps: ["What did you change in the retry logic?", "Who decided to add alerts?", "How did you measure fine?"],
        hireSignal: "no",
      }),
    });
    const { status, json } = await postGrade(app, { answer: WE_ANSWER, principle: "ownership", mode: "bar-raiser" });
    expect(status).toBe(200);
    expect(mock.calls).toHaveLength(2);
    expect(mock.calls[1]!.body.messages[0]!.content).toContain("bar raiser");
    expect(BarRaiserSchema.safeParse(json.barRaiser).success).toBe(true);
    expect(json.barRaiser.hireSignal).toBe("no");
    const kinds = json.barRaiser.redFlags.map((f: any) => `${f.source}:${f.kind}`);
    expect(kinds).toEqual(["computed:we_hides_ownership", "computed:no_measurable_result", "computed:better_fit_elsewhere", "model:vague_actions", "model:scope_too_small"]);
    expect(json.barRaiser.redFlags[4].quote).toBeNull();
    expect(json.meta.droppedQuotes).toBe(1);
    expect(json.barRaiser.followUps).toHaveLength(3);
    expect(json.meta.usage.inputTokens).toBe(2 * 1874);
  });

  it("rejects bar-raiser output that breaks its schema with 502 after one retry", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    const bad = { kind: "json" as const, content: JSON.stringify({ reasons: [], redFlags: [], followUps: ["only one"], hireSignal: "maybe" }) };
    mock.reply(mock.grade(modelGrade(WE_ANSWER)), bad, bad);
    const { status, json } = await postGrade(app, { answer: WE_ANSWER, principle: "ownership", mode: "bar-raiser" });
    expect(status).toBe(502);
    expect(json.error.code).toBe("model_output_invalid");
  });

  it("works offline with rule-based flags and a hire signal mapped from the band", async () => {
    const { app } = await buildTestApp();
    const { json } = await postGrade(app, { answer: WE_ANSWER, principle: "ownership", mode: "bar-raiser" });
    expect(BarRaiserSchema.safeParse(json.barRaiser).success).toBe(true);
    expect(json.barRaiser.redFlags.map((f: any) => f.kind)).toContain("we_hides_ownership");
    expect(json.barRaiser.redFlags.map((f: any) => f.kind)).toContain("no_measurable_result");
    expect(["strong_no", "no"]).toContain(json.barRaiser.hireSignal);
    expect(json.barRaiser.followUps.length).toBeGreaterThanOrEqual(3);
  });
});
