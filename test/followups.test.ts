/** Follow-up drills: POST/GET /v1/gradings/:id/followups, offline rules and the model through MSW. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findContradictions } from "../src/core/consistency.js";
import { FollowUpResultSchema, type ModelFollowUp } from "../src/core/followup.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, useOpenAiMock, type TestApp } from "./support/app.js";
import { createOpenAiMock, modelGrade } from "./support/openai-mock.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });

async function drill(app: TestApp, gradingId: string, body: unknown) {
  const res = await app.request(`/v1/gradings/${gradingId}/followups`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

const QUESTION = "How did you decide which fix to ship first?";
const GOOD =
  "I ranked the three candidate fixes by how many of the timeouts each would remove. The index on the orders query covered 80% of them, so I shipped it first, because it was a one-line change we could roll back in seconds. I asked Priya from the database team to review the query plan before the release.";

describe("follow-up drills offline (rules)", () => {
  it("judges a specific, consistent answer and stores it under the grading", async () => {
    const { app } = await buildTestApp();
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const res = await drill(app, graded.json.id, { question: QUESTION, answer: GOOD, elapsedSeconds: 41.6 });
    expect(res.status).toBe(200);
    expect(FollowUpResultSchema.safeParse(res.json).success).toBe(true);
    expect(res.json).toMatchObject({ gradingId: graded.json.id, question: QUESTION, answersQuestion: true, consistent: true, contradictions: [], meta: { mode: "offline", model: null } });
    // A number, a name (Priya), own actions, enough words: 4.
    expect(res.json.specificity).toBe(4);
    expect(res.json.score).toBe(4);
    expect(res.json.ownership).toMatchObject({ iCount: 3, weCount: 1 });
    expect(res.json.length).toMatchObject({ targetSeconds: { min: 30, max: 60 }, elapsedSeconds: 42 });
    for (const quote of res.json.evidence) expect(GOOD).toContain(quote);

    const list = await app.request(`/v1/gradings/${graded.json.id}/followups`);
    expect(((await list.json()) as any).followups).toEqual([res.json]);
  });

  it("flags a number and a role that contradict the story, and a non-answer", async () => {
    const { app } = await buildTestApp();
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const res = await drill(app, graded.json.id, {
      question: "How many people were on the team, and what was your role?",
      answer: "As the engineering manager I had 10 engineers on the payments team, and I asked two of them to pair on the index change with me.",
    });
    expect(res.status).toBe(200);
    expect(res.json.consistent).toBe(false);
    expect(res.json.contradictions.map((c: { kind: string }) => c.kind).sort()).toEqual(["quantity", "role"]);
    for (const c of res.json.contradictions) {
      expect(SAMPLE_ANSWER).toContain(c.original);
      expect(c.source).toBe("computed");
    }
    expect(res.json.score).toBe(res.json.specificity - 1);

    const vague = await drill(app, graded.json.id, { question: "Why did you disagree with the rewrite?", answer: "It was a team decision in the end and everyone agreed it went well overall for us." });
    expect(vague.json.answersQuestion).toBe(false);
    expect(vague.json.score).toBeLessThanOrEqual(1);
    expect(vague.json.feedback).toMatch(/asks why/);
  });

  it("rejects an empty answer, an empty question, a bad timer and an unknown grading", async () => {
    const { app } = await buildTestApp();
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const cases = [
      [graded.json.id, { question: QUESTION, answer: "   " }, 400, "answer_empty"],
      [graded.json.id, { question: " ", answer: GOOD }, 400, "question_empty"],
      [graded.json.id, { question: QUESTION, answer: GOOD, elapsedSeconds: -3 }, 400, "invalid_elapsed"],
      [graded.json.id, { question: QUESTION }, 400, "invalid_request"],
      [graded.json.id, { question: QUESTION, answer: "x".repeat(5001) }, 413, "answer_too_long"],
      ["no-such-grading", { question: QUESTION, answer: GOOD }, 404, "not_found"],
    ] as const;
    for (const [id, body, status, code] of cases) {
      const res = await drill(app, id, body);
      expect({ body, status: res.status, code: res.json.error?.code }).toEqual({ body, status, code });
    }
    expect((await app.request("/v1/gradings/no-such-grading/followups")).status).toBe(404);
  });

  it("counts drills against the per-client grading rate limit (they call the model)", async () => {
    const { app } = await buildTestApp({ security: { rateLimitPerMinute: 2, rateLimitOffline: true } });
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    expect((await drill(app, graded.json.id, { question: QUESTION, answer: GOOD })).status).toBe(200);
    const limited = await drill(app, graded.json.id, { question: QUESTION, answer: GOOD });
    expect([limited.status, limited.json.error.code]).toEqual([429, "rate_limited"]);
    // Reading the drills is not limited.
    expect((await app.request(`/v1/gradings/${graded.json.id}/followups`)).status).toBe(200);
  });

  it("deleting the grading deletes its drills", async () => {
    const { app, stories } = await buildTestApp();
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    await drill(app, graded.json.id, { question: QUESTION, answer: GOOD });
    expect(await stories.drills(graded.json.id)).toHaveLength(1);
    await app.request(`/v1/gradings/${graded.json.id}`, { method: "DELETE" });
    expect(await stories.drills(graded.json.id)).toHaveLength(0);
  });
});

describe("consistency rules", () => {
  it("compares a quantity stated once, a role and an employer; ignores amounts the story states twice", () => {
    expect(findContradictions(SAMPLE_ANSWER, "We were 6 engineers.")).toEqual([]);
    expect(findContradictions(SAMPLE_ANSWER, "The team had 9 engineers.")[0]).toMatchObject({ kind: "quantity", explanation: expect.stringContaining("“6 engineers”") });
    // Amounts in words count too, and a duration carries its own unit.
    expect(findContradictions(SAMPLE_ANSWER, "There were ten engineers on it.")[0]).toMatchObject({ kind: "quantity", explanation: expect.stringContaining("“ten engineers”") });
    expect(findContradictions("The migration took six hours.", "It took eight hours overall.")[0]).toMatchObject({ kind: "quantity" });
    expect(findContradictions("The migration took six hours.", "It took 6 hours overall.")).toEqual([]);
    // "5 weeks" and "two weeks" both occur in the story: which one is meant is unclear.
    expect(findContradictions(SAMPLE_ANSWER, "It took 3 weeks.")).toEqual([]);
    expect(findContradictions(SAMPLE_ANSWER, "I was the tech lead then.")).toEqual([]);
    expect(findContradictions(SAMPLE_ANSWER, "I was the product manager then.")[0]).toMatchObject({ kind: "role" });
    expect(findContradictions("In my role at Acme I led the migration.", "In my job at Globex I led it.")[0]).toMatchObject({ kind: "employer" });
  });
});

describe("follow-up drills with the model (MSW)", () => {
  const judgement = (overrides: Partial<ModelFollowUp> = {}): ModelFollowUp => ({
    answersQuestionReason: "It explains the ranking of the fixes.",
    answersQuestion: true,
    evidence: ["The index on the orders query covered 80% of them", "an invented quote that is not in the answer"],
    contradictions: [],
    feedback: "Clear reasoning with a number.",
    specificity: 3,
    ...overrides,
  });

  it("asks the model with the follow-up rubric, grounds its quotes and scores by code", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    mock.reply({ kind: "json", content: JSON.stringify(judgement()) });
    const res = await drill(app, graded.json.id, { question: QUESTION, answer: GOOD });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ answersQuestion: true, consistent: true, specificity: 3, score: 3, meta: { mode: "llm", model: "gpt-4.1-mini", droppedQuotes: 1, usage: { inputTokens: 1874, outputTokens: 612 } } });
    expect(res.json.meta.promptVersion).toMatch(/^followup-[0-9a-f]{12}$/);
    expect(res.json.evidence).toEqual(["The index on the orders query covered 80% of them"]);
    const call = mock.calls[1]!;
    expect(call.body.response_format).toMatchObject({ type: "json_schema" });
    const [system, user] = call.body.messages;
    expect(system!.content).toContain("follow-up");
    expect(user!.content).toContain(`<story>\n${SAMPLE_ANSWER}\n</story>`);
    expect(user!.content).toContain(`The follow-up question asked: ${QUESTION}`);
    expect(user!.content).toContain(`<answer>\n${GOOD}\n</answer>`);
  });

  it("keeps a model contradiction only when both quotes are real, and lowers the score", async () => {
    const { app } = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const answer = "My manager proposed the index, and I only reviewed it. The error rate dropped to 0.2% anyway.";
    mock.reply({
      kind: "json",
      content: JSON.stringify(
        judgement({
          evidence: [],
          contradictions: [
            { followUpQuote: "My manager proposed the index", storyQuote: "I proposed a targeted fix", explanation: "The story says you proposed the fix." },
            { followUpQuote: "I rewrote the service", storyQuote: "I proposed a targeted fix", explanation: "Invented." },
          ],
        }),
      ),
    });
    const res = await drill(app, graded.json.id, { question: "Who proposed the fix?", answer });
    expect(res.json.consistent).toBe(false);
    expect(res.json.contradictions).toEqual([
      { kind: "other", original: "I proposed a targeted fix", followUp: "My manager proposed the index", explanation: "The story says you proposed the fix.", source: "model" },
    ]);
    expect(res.json.score).toBe(2);
    expect(res.json.meta.droppedQuotes).toBe(1);
  });

  it("maps a failing model to 502 and stores nothing", async () => {
    const { app, stories } = await buildTestApp({ grader: await llmGrader({ maxRetries: 0 }) });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const graded = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    mock.reply({ kind: "status", status: 500 });
    const res = await drill(app, graded.json.id, { question: QUESTION, answer: GOOD });
    expect(res.status).toBe(502);
    expect(res.json.error.code).toBe("model_unavailable");
    expect(await stories.drills(graded.json.id)).toEqual([]);
  });
});
