/**
 * Cost per graded answer: the model's token usage (from the real AI SDK client against MSW, whose
 * recorded reply reports 1,874 input and 612 output tokens) times per-million-token prices, in
 * meta.cost, the batch summary and the batch report.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { addCost, costOf, DEFAULT_PRICES, describeCost, emptyCostTotal, pricesFor } from "../src/core/cost.js";
import { FeedbackSchema } from "../src/core/feedback.js";
import { createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";
import { buildTestApp, llmGrader, postGrade, SAMPLE_ANSWER, tempDbFile, useOpenAiMock } from "./support/app.js";
import { runCli } from "./support/cli.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });

const USAGE = { inputTokens: 1874, outputTokens: 612 };
const DEFAULT = DEFAULT_PRICES["gpt-4.1-mini"]!;

describe("cost of a grading", () => {
  it("is input and output tokens times the prices per million; Batch API jobs pay half", () => {
    const prices = { inputPerMillion: 2, outputPerMillion: 8, asOf: null };
    // (1,874 × 2 + 612 × 8) / 1,000,000
    expect(costOf(USAGE, prices)).toEqual({ usd: 0.008644, inputPerMillion: 2, outputPerMillion: 8, batchApi: false, pricesAsOf: null });
    expect(costOf(USAGE, prices, { batchApi: true })).toEqual({ usd: 0.004322, inputPerMillion: 1, outputPerMillion: 4, batchApi: true, pricesAsOf: null });
    expect(costOf(null, prices)).toBeNull();
    expect(costOf(USAGE, null)).toBeNull();
  });

  it("takes configured prices, else the dated default of the default model; another model without prices has none", () => {
    expect(pricesFor("gpt-4.1-mini", {})).toEqual(DEFAULT);
    expect(DEFAULT.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pricesFor("gpt-4.1-mini", { output: 3 })).toEqual({ inputPerMillion: DEFAULT.inputPerMillion, outputPerMillion: 3, asOf: null });
    expect(pricesFor("qwen3:8b", {})).toBeNull();
    expect(pricesFor("qwen3:8b", { input: 0, output: 0 })).toEqual({ inputPerMillion: 0, outputPerMillion: 0, asOf: null });
    expect(loadConfig({ OPENAI_API_KEY: "sk-x", STARCOACH_PRICE_INPUT: "2.5", STARCOACH_PRICE_OUTPUT: "10" }).llm?.prices).toEqual({ inputPerMillion: 2.5, outputPerMillion: 10, asOf: null });
    expect(() => loadConfig({ OPENAI_API_KEY: "sk-x", STARCOACH_PRICE_INPUT: "-1" })).toThrow(/STARCOACH_PRICE_INPUT/);
  });

  it("adds up what was graded now; cache hits cost nothing", () => {
    const total = emptyCostTotal();
    const cost = costOf(USAGE, DEFAULT)!;
    addCost(total, { cached: false, cost });
    addCost(total, { cached: true, cost });
    addCost(total, { cached: false, cost: null });
    expect(total).toEqual({ usd: cost.usd, answers: 1, batchApi: 0 });
    expect(describeCost(total)).toBe("model cost $0.001729 for 1 answer ($0.001729 per answer)");
    expect(describeCost(emptyCostTotal())).toBeNull();
  });
});

describe("meta.cost in LLM mode (MSW-mocked usage)", () => {
  it("POST /v1/grade reports what the grading cost at the default prices, and stores it", async () => {
    const { app, store } = await buildTestApp({ grader: await llmGrader(), prices: DEFAULT });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const { status, json } = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership" });
    expect(status).toBe(200);
    expect(json.meta.usage).toEqual(USAGE);
    // (1,874 × $0.40 + 612 × $1.60) / 1,000,000
    expect(json.meta.cost).toEqual({ usd: 0.001729, inputPerMillion: 0.4, outputPerMillion: 1.6, batchApi: false, pricesAsOf: DEFAULT.asOf });
    expect(FeedbackSchema.safeParse(json).success).toBe(true);
    expect((await store.getGrading(json.id))?.meta.cost).toEqual(json.meta.cost);
  });

  it("is null for a model whose prices are unknown, and absent offline", async () => {
    const llm = await buildTestApp({ grader: await llmGrader() });
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)));
    expect((await postGrade(llm.app, { answer: SAMPLE_ANSWER, principle: "ownership" })).json.meta.cost).toBeNull();
    const offline = await buildTestApp();
    expect((await postGrade(offline.app, { answer: SAMPLE_ANSWER, principle: "ownership" })).json.meta).not.toHaveProperty("cost");
  });

  it("the batch summary and report show the model cost per answer at the configured prices", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    const report = join(dirname(db), "report.html");
    const answers = [0, 1].map((i) => SAMPLE_ANSWER.replace("Acme", `Acme-${i}`));
    await import("node:fs").then((fs) => fs.writeFileSync(input, answers.map((answer, i) => JSON.stringify({ id: `a${i}`, principle: "ownership", answer })).join("\n")));
    mock.reply(...answers.map((a) => mock.grade(modelGrade(a))));
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_MODEL_RETRIES: "0", STARCOACH_PRICE_INPUT: "2", STARCOACH_PRICE_OUTPUT: "8" };
    const run = await runCli(["grade", input, "--db", db, "--report", report, "--out", join(dirname(db), "out.jsonl")], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("model cost $0.017288 for 2 answers ($0.008644 per answer).");
    expect(readFileSync(report, "utf8")).toContain("Model cost $0.017288 for 2 answers ($0.008644 per answer)");
  });
});
