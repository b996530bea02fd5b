/**
 * POST /v1/gradings/:id/rewrite on the real app and SQLite file: the rule-based rewrite, and the
 * model rewrite through the real AI SDK client against MSW, where replies that invent a figure, a
 * name or a whole sentence are caught and a faithful reply passes unchanged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GAPS, maskPlaceholders } from "../src/core/rewrite.js";
import { tokenize } from "../src/core/tokens.js";
import { buildTestApp, llmRewriter, postGrade, SAMPLE_ANSWER, useOpenAiMock, type TestApp } from "./support/app.js";
import { createOpenAiMock } from "./support/openai-mock.js";
import { FAITHFUL, modelReply, type Sentence } from "./support/rewrite.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });

const PRINCIPLE = "have-backbone-disagree-and-commit";
const QUESTION = "Tell me about a time you disagreed with your team.";

async function postRewrite(app: TestApp, id: string) {
  const res = await app.request(`/v1/gradings/${encodeURIComponent(id)}/rewrite`, { method: "POST" });
  return { status: res.status, json: (await res.json()) as any };
}

async function gradedSample(app: TestApp, answer = SAMPLE_ANSWER): Promise<string> {
  const { status, json } = await postGrade(app, { answer, principle: PRINCIPLE, question: QUESTION });
  expect(status).toBe(200);
  return json.id as string;
}

/** Every token with a digit outside the placeholders occurs in the answer as a token. */
function figuresFromAnswer(text: string, answer: string): boolean {
  const allowed = new Set(tokenize(answer));
  return tokenize(maskPlaceholders(text)).filter((t) => /\d/.test(t)).every((t) => allowed.has(t));
}

describe("rewrite with the model (MSW)", () => {
  it("passes a faithful reply unchanged, sends the fenced numbered answer, and caches the rewrite with the grading", async () => {
    const { app, store } = await buildTestApp({ rewriter: await llmRewriter() });
    const id = await gradedSample(app);
    mock.reply(modelReply(FAITHFUL));
    const { status, json } = await postRewrite(app, id);
    expect(status).toBe(200);
    expect(json.sentences).toEqual(FAITHFUL.map(({ text, part, from }) => ({ text, part, from })));
    expect(json.text).toBe(FAITHFUL.map((s) => s.text).join(" "));
    expect(json.placeholders).toEqual(["[how you convinced the team to try the targeted fix first]"]);
    expect(json.dropped).toBe(0);
    expect(json.meta).toMatchObject({ mode: "llm", model: "gpt-4.1-mini", cached: false, figuresReplaced: 0, ownershipReplaced: 0, droppedReasons: [], usage: { inputTokens: 1874, outputTokens: 612 } });
    expect(json.meta.promptVersion).toMatch(/^rewrite-[0-9a-f]{12}$/);
    expect(json.length.words).toBe(tokenize(json.text).length);

    const call = mock.calls[0]!;
    expect(call.body.temperature).toBe(0);
    expect(call.body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "star_rewrite" } });
    const [system, user] = call.body.messages;
    expect(system!.content).toContain("Invent nothing.");
    expect(user!.content).toContain("<answer>\n[0] (situation) In my last role at Acme");
    expect(user!.content).toContain("[8] (result) I learned that data beats opinions in a disagreement.\n</answer>");
    expect(user!.content).toMatch(/Figures in the answer \(copy them exactly; use no others\): .*0\.2%.*3x/);
    expect(user!.content).toContain("Names in the answer (use no others): Acme, Black, Friday");

    // The second request is served from the grading's row: no model call, same rewrite.
    const again = await postRewrite(app, id);
    expect(again.json).toEqual({ ...json, meta: { ...json.meta, cached: true } });
    expect(mock.calls).toHaveLength(1);
    // Deleting the grading deletes its rewrite.
    await store.deleteGrading(id);
    expect((await postRewrite(app, id)).status).toBe(404);
  });

  it("catches an invented figure, name and sentence: the figure becomes a placeholder, the others are dropped", async () => {
    const { app } = await buildTestApp({ rewriter: await llmRewriter() });
    const id = await gradedSample(app);
    const inventive: Sentence[] = [
      ...FAITHFUL.slice(0, 5),
      { part: "action", from: [5], text: "I presented the data to my manager, Priya, and she approved the fix." },
      { part: "action", from: [5], text: "I also mentored the junior engineers on the team, and they later led the migration themselves." },
      { part: "result", from: [7], text: "As a result, the error rate dropped to 0.2% within 48 hours and we handled 3x the traffic on Black Friday with no incidents." },
    ];
    mock.reply(modelReply(inventive));
    const { status, json } = await postRewrite(app, id);
    expect(status).toBe(200);
    expect(json.dropped).toBe(2);
    expect(json.meta.droppedReasons).toEqual(["invented_name", "unsupported"]);
    expect(json.meta.figuresReplaced).toBe(1);
    expect(json.text).not.toMatch(/Priya|mentored|48/);
    expect(json.sentences.at(-1).text).toBe(`As a result, the error rate dropped to 0.2% within ${GAPS.figure} and we handled 3x the traffic on Black Friday with no incidents.`);
    expect(json.placeholders).toEqual([GAPS.figure]);
    expect(figuresFromAnswer(json.text, SAMPLE_ANSWER)).toBe(true);
  });

  it("does not let 'I' take over a step the answer gives to 'we', and corrects a wrong citation", async () => {
    const answer = SAMPLE_ANSWER.replace("Then I added an index", "We reviewed our options together with the on-call team. Then I added an index");
    const { app } = await buildTestApp({ rewriter: await llmRewriter() });
    const id = await gradedSample(app, answer);
    mock.reply(
      modelReply([
        { part: "action", from: [6], text: "I reviewed the options with the on-call team." },
        { part: "action", from: [1], text: "I analyzed two weeks of traces and found that 80% of the timeouts came from one database query." },
      ]),
    );
    const { json } = await postRewrite(app, id);
    expect(json.sentences).toEqual([
      { part: "action", from: [6], text: `I ${GAPS.ownStep} when we reviewed our options together with the on-call team.` },
      { part: "action", from: [4], text: "I analyzed two weeks of traces and found that 80% of the timeouts came from one database query." },
    ]);
    expect(json.meta.ownershipReplaced).toBe(1);
    expect(json.dropped).toBe(0);
  });

  it("puts the sentences in S-T-A-R order whatever order the model wrote them in", async () => {
    const { app } = await buildTestApp({ rewriter: await llmRewriter() });
    const id = await gradedSample(app);
    const shuffled = [FAITHFUL[6]!, FAITHFUL[2]!, FAITHFUL[0]!, FAITHFUL[3]!, FAITHFUL[7]!];
    mock.reply(modelReply(shuffled));
    const { json } = await postRewrite(app, id);
    expect(json.sentences.map((s: Sentence) => s.text)).toEqual([FAITHFUL[0]!, FAITHFUL[2]!, FAITHFUL[3]!, FAITHFUL[6]!, FAITHFUL[7]!].map((s) => s.text));
  });

  it("answers 502 model_output_invalid when the model breaks the schema twice", async () => {
    const { app } = await buildTestApp({ rewriter: await llmRewriter() });
    const id = await gradedSample(app);
    mock.reply({ kind: "json", content: JSON.stringify({ sentences: [{ part: "epilogue", from: [0], text: "x" }] }) }, { kind: "json", content: "{ not json" });
    const { status, json } = await postRewrite(app, id);
    expect(status).toBe(502);
    expect(json.error.code).toBe("model_output_invalid");
    expect(mock.calls).toHaveLength(2);
  });
});

describe("rewrite by the rules (offline)", () => {
  it("reorders into S-T-A-R, asks for the speaker's own part where 'we' acts, and says it is rule-based", async () => {
    const answer = SAMPLE_ANSWER.replace("Then I added an index", "We reviewed our options together with the on-call team. Then I added an index");
    const { app } = await buildTestApp();
    const id = await gradedSample(app, answer);
    const { status, json } = await postRewrite(app, id);
    expect(status).toBe(200);
    expect(json.meta).toMatchObject({ mode: "offline", model: null, promptVersion: "rewrite-offline-1", usage: null, cached: false, figuresReplaced: 0 });
    expect(json.meta.notice).toMatch(/^Offline rewrite:/);
    expect(json.dropped).toBe(0);
    const order = ["situation", "task", "action", "result"];
    const parts = json.sentences.map((s: Sentence) => order.indexOf(s.part));
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
    expect(json.text).toContain(`I ${GAPS.ownStep} when we reviewed our options together with the on-call team.`);
    expect(json.placeholders).toContain(GAPS.ownStep);
    expect(figuresFromAnswer(json.text, answer)).toBe(true);
  });

  it("adds placeholders for a missing task and an unmeasured result, and leaves out talk that is no STAR part", async () => {
    const answer =
      "That's a great question, let me think. Our team ran billing at a small startup, and customers kept complaining that invoices were slow. I looked at the logs and found one slow query. I rewrote the query and added a cache. Invoices got much faster and customers stopped complaining.";
    const { app } = await buildTestApp();
    const id = await gradedSample(app, answer);
    const { json } = await postRewrite(app, id);
    expect(json.placeholders).toEqual(expect.arrayContaining([GAPS.task, GAPS.measure]));
    expect(json.sentences.find((s: Sentence) => s.text === GAPS.task)).toMatchObject({ part: "task", from: [] });
    expect(json.sentences.at(-1)).toEqual({ text: GAPS.measure, part: "result", from: [] });
    expect(json.text).not.toContain("great question");
    expect(json.sentences[0]).toEqual({ text: "Our team ran billing at a small startup, and customers kept complaining that invoices were slow.", part: "situation", from: [1] });
  });

  it("answers 404 not_found for an unknown grading", async () => {
    const { app } = await buildTestApp();
    const { status, json } = await postRewrite(app, "no-such-grading");
    expect(status).toBe(404);
    expect(json).toEqual({ error: { code: "not_found", message: 'No grading with id "no-such-grading".' } });
  });
});
