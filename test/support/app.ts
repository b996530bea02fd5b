/** Build the real app on a temporary SQLite file, offline or against the MSW-mocked model. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { securityDefaults, type SecurityConfig } from "../../src/config.js";
import { DEFAULT_LENGTH } from "../../src/core/analyze.js";
import type { TokenPrices } from "../../src/core/cost.js";
import { createLlmGrader } from "../../src/grader/llm.js";
import type { LlmSettings } from "../../src/grader/model.js";
import { createOfflineGrader } from "../../src/grader/offline-grader.js";
import type { Grader } from "../../src/grader/types.js";
import { createGradingService } from "../../src/grading.js";
import { createLocalBatchJobs } from "../../src/batch/service.js";
import { createApp } from "../../src/http/app.js";
import { BAR_RAISER_FILE, docsAsset, FOLLOW_UP_FILE, REWRITE_FILE, RUBRIC_FILE } from "../../src/node-deps.js";
import type { BatchJobs } from "../../src/batch/jobs.js";
import type { Rewriter } from "../../src/grader/rewriter.js";
import { createLlmRewriter } from "../../src/grader/rewrite-llm.js";
import { createRewriteService } from "../../src/rewrite.js";
import { openSqlite } from "../../src/store/sqlite.js";
import { createSpokenGrading, type AudioArchive } from "../../src/spoken.js";
import type { Transcriber } from "../../src/transcribe/transcriber.js";
import { MOCK_BASE_URL } from "./openai-mock.js";

export const RUBRIC = readFileSync(RUBRIC_FILE, "utf8");
export const BAR_RAISER = readFileSync(BAR_RAISER_FILE, "utf8");
export const FOLLOW_UP = readFileSync(FOLLOW_UP_FILE, "utf8");
export const REWRITE_PROMPT = readFileSync(REWRITE_FILE, "utf8");

export function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), "starcoach-test-")), "test.db");
}

/** The settings the LLM tests use: the MSW mock's base URL, a test key, short timeouts. */
export function testLlmSettings(overrides: Partial<LlmSettings> = {}): LlmSettings {
  return { apiKey: "sk-test", baseURL: MOCK_BASE_URL, model: "gpt-4.1-mini", timeoutMs: 5_000, maxRetries: 2, ...overrides };
}

export function llmGrader(overrides: Partial<LlmSettings> = {}): Promise<Grader> {
  return createLlmGrader(testLlmSettings(overrides), RUBRIC, BAR_RAISER, FOLLOW_UP);
}

export function llmRewriter(overrides: { maxRetries?: number } = {}): Promise<Rewriter> {
  return createLlmRewriter({ apiKey: "sk-test", baseURL: MOCK_BASE_URL, model: "gpt-4.1-mini", timeoutMs: 5_000, maxRetries: overrides.maxRetries ?? 2 }, REWRITE_PROMPT);
}

export async function buildTestApp(
  options: { grader?: Grader; rewriter?: Rewriter; dbFile?: string; transcriber?: Transcriber; archive?: AudioArchive; now?: () => Date; coverageTarget?: number; security?: Partial<SecurityConfig>; prices?: TokenPrices } = {},
) {
  const dbFile = options.dbFile ?? tempDbFile();
  const { store, stories } = openSqlite(dbFile);
  const grader = options.grader ?? createOfflineGrader();
  const grading = createGradingService({ store, stories, grader, length: DEFAULT_LENGTH, ...(options.now ? { now: options.now } : {}), ...(options.prices ? { prices: options.prices } : {}) });
  const spoken = createSpokenGrading({ grading, transcriber: options.transcriber ?? null, archive: options.archive ?? null });
  const rewrite = options.rewriter ? createRewriteService({ store, rewriter: options.rewriter, length: DEFAULT_LENGTH }) : undefined;
  const app = createApp({
    store,
    stories,
    grading,
    docsAsset,
    spoken,
    ...(rewrite ? { rewrite } : {}),
    ...(options.security ? { security: { ...securityDefaults(), log: { enabled: false, answers: false }, ...options.security } } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.coverageTarget ? { coverageTarget: options.coverageTarget } : {}),
  });
  return { app, store, stories, grading, grader, dbFile };
}

export type TestApp = Awaited<ReturnType<typeof buildTestApp>>["app"];

/**
 * The app with batch jobs graded offline in-process, on one SQLite file. `start: "never"` stores
 * jobs and grades none (a server that dies before grading them).
 */
export function buildBatchTestApp(db: string, options: { start?: "run" | "never" } = {}) {
  const { store, batches: batchStore, close } = openSqlite(db);
  const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const local = createLocalBatchJobs({ store: batchStore, grading, log: () => {} });
  const batches: BatchJobs = options.start === "never" ? { store: batchStore, start: async () => {} } : local;
  const app = createApp({ store, grading, batches });
  return {
    app,
    local,
    async close() {
      local.stop();
      await local.idle();
      await close();
    },
  };
}

/** Poll GET /v1/batches/:id until the job is done. */
export async function waitForBatch(base: string, id: string): Promise<{ status: string; counts: Record<string, number> }> {
  for (let i = 0; i < 200; i++) {
    const s = (await (await fetch(`${base}/v1/batches/${id}`)).json()) as { status: string; counts: Record<string, number> };
    if (s.status === "done") return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("batch did not finish");
}

/** POST /v1/grade through the app in-process; `json` is the parsed body (Feedback or error). */
export async function postGrade(app: TestApp, body: unknown) {
  const res = await app.request("/v1/grade", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as any };
}

/** Start the MSW mock for one test file: unhandled requests fail the test, replies reset between tests. */
export function useOpenAiMock(mock: { server: { listen(o: { onUnhandledFrame: "error" }): void; close(): void }; reset(): void }, hooks: { beforeAll: (f: () => void) => void; afterEach: (f: () => void) => void; afterAll: (f: () => void) => void }) {
  hooks.beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
  hooks.afterEach(() => mock.reset());
  hooks.afterAll(() => mock.server.close());
}

export const SAMPLE_ANSWER = `In my last role at Acme, I was the tech lead on a payments team of 6 engineers. Our checkout service was timing out for 4% of customers during peak hours. My task was to cut the error rate below 0.5% before Black Friday, which was 5 weeks away. The team wanted to rewrite the service, but I disagreed because it was too risky. I analyzed two weeks of traces and found that 80% of the timeouts came from one database query. I proposed a targeted fix and presented the data to my manager. Then I added an index and a cache, and we rolled it out behind a feature flag. As a result, the error rate dropped to 0.2% and we handled 3x the traffic on Black Friday with no incidents. I learned that data beats opinions in a disagreement.`;
