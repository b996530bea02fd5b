/**
 * A batch's concurrency bounds its model calls, not its rows: while `concurrency` calls are out,
 * as many more rows are analysed and stored, so a finished call's slot goes straight to a row that
 * is ready. A rate-limited call pauses every row before its slot is handed on.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJobFromRows } from "../src/batch/job.js";
import { processOwner } from "../src/batch/lease.js";
import { createSemaphore } from "../src/batch/limiter.js";
import { runJob } from "../src/batch/runner.js";
import { loadConfig } from "../src/config.js";
import { analyze } from "../src/core/analyze.js";
import { createGradingService, type Analyzer } from "../src/grading.js";
import { createGrader } from "../src/node-deps.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { BatchRowInput } from "../src/store/batch-types.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";
import { startSlowModelServer, type SlowModelServer } from "./support/slow-model-server.js";

const rows = (n: number): BatchRowInput[] =>
  Array.from({ length: n }, (_, i) => ({ rowId: `r${i}`, principle: "ownership", question: null, answer: SAMPLE_ANSWER.replace("Acme", `Acme-${i}`) }));

/** The stores, the real LLM grader for `env` and a grading service whose analyses are counted. */
async function llmBatch(env: Record<string, string>) {
  const db = tempDbFile();
  const config = loadConfig({ ...env, STARCOACH_DB: db, STARCOACH_MODEL_RETRIES: "0" });
  const { store, batches } = openSqlite(db);
  const analysed = { count: 0 };
  const countingAnalyze: Analyzer = async (answer, length) => {
    analysed.count++;
    return analyze(answer, length);
  };
  const grading = createGradingService({ store, grader: await createGrader(config), length: config.length, analyze: countingAnalyze });
  return { store, batches, grading, analysed, close: async () => (await batches.close(), await store.close()) };
}

describe("createSemaphore", () => {
  it("lets `permits` holders in, then serves waiters in order; a second release frees nothing", async () => {
    const slots = createSemaphore(2);
    const first = await slots.acquire();
    await slots.acquire();
    const order: string[] = [];
    const third = slots.acquire().then((release) => (order.push("third"), release));
    const fourth = slots.acquire().then((release) => (order.push("fourth"), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first();
    await third;
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(["third"]);
    (await third)();
    await fourth;
    expect(order).toEqual(["third", "fourth"]);
  });
});

describe("a batch against a model 150 ms away (loopback HTTP, the real AI SDK client)", () => {
  let model: SlowModelServer;
  beforeAll(async () => {
    model = await startSlowModelServer(150);
  });
  afterAll(() => model.close());

  it("keeps exactly `concurrency` calls out and analyses further rows meanwhile", async () => {
    const b = await llmBatch({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseURL });
    try {
      const job = await createJobFromRows(b.batches, b.grading.grader, rows(12));
      let aheadOfFinished = 0;
      let finished = 0;
      const counts = await runJob({ batches: b.batches, grading: b.grading }, job.id, {
        owner: processOwner("cli"),
        concurrency: 3,
        onProgress: (p) => {
          finished = p.thisRun;
          aheadOfFinished = Math.max(aheadOfFinished, b.analysed.count - finished);
        },
      });
      expect(counts).toMatchObject({ total: 12, done: 12, error: 0, pending: 0 });
      expect(model.maxInFlight).toBe(3);
      // Rows analysed but not finished: the 3 waiting on the model and up to 3 more getting ready.
      expect(aheadOfFinished).toBeGreaterThan(3);
      expect(aheadOfFinished).toBeLessThanOrEqual(6);
    } finally {
      await b.close();
    }
  });
});

describe("a batch the provider rate-limits (MSW)", () => {
  const mock = createOpenAiMock();
  const started: number[] = [];
  beforeAll(() => {
    mock.server.listen({ onUnhandledFrame: "error" });
    mock.server.events.on("request:start", () => void started.push(Date.now()));
  });
  afterEach(() => mock.reset());
  afterAll(() => mock.server.close());

  it("sends no call during the Retry-After pause, though rows are ready", async () => {
    const b = await llmBatch({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL });
    try {
      mock.reply({ kind: "status", status: 429, headers: { "retry-after": "1" } });
      mock.always({ kind: "delay", ms: 50, content: JSON.stringify(modelGrade(SAMPLE_ANSWER)) });
      const job = await createJobFromRows(b.batches, b.grading.grader, rows(4));
      const counts = await runJob({ batches: b.batches, grading: b.grading }, job.id, { owner: processOwner("cli"), concurrency: 1 });
      expect(counts).toMatchObject({ done: 4, error: 0 });
      // One call refused, then the four rows; nothing between the refusal and the end of the pause.
      expect(started).toHaveLength(5);
      expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(950);
    } finally {
      await b.close();
    }
  });
});
