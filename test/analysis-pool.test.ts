/**
 * The analysis pool (src/analysis/pool.ts) with real worker threads started from source: its
 * results equal the in-thread analyze(), a crashed or throwing thread is handled without a hang,
 * and a process using it exits by itself.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { createAnalysisPool, defaultAnalysisThreads, type AnalysisPool } from "../src/analysis/pool.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { analyze, DEFAULT_LENGTH, type Analysis } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService } from "../src/grading.js";
import { analysisPoolFor } from "../src/node-deps.js";
import { openSqlite } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { POOL_EXIT_ANSWER } from "./support/pool-exit.js";

const ROOT = join(import.meta.dirname, "..");
const lines = (file: string, n: number) => readFileSync(join(ROOT, file), "utf8").trim().split("\n").slice(0, n).map((l) => JSON.parse(l) as { answer?: string; sentences?: [string, string][]; sep?: string });
const examples = (parse(readFileSync(join(ROOT, "data", "examples", "answers.csv"), "utf8"), { columns: true }) as Array<{ answer: string }>).map((r) => r.answer);
const corpus = lines("data/star-corpus/corpus-a.jsonl", 4).map((l) => l.sentences!.map(([, s]) => s).join(l.sep ?? " "));
const gold = lines("data/gold/answers.jsonl", 4).map((l) => l.answer!);
const ANSWERS = [
  SAMPLE_ANSWER,
  ...examples,
  ...corpus,
  ...gold,
  "I would usually start by asking the team. We’d probably rewrite it — I’m not sure. 🙂",
  "we upskilled them. I rewrote the script in two days, cutting costs by a third.",
];
const OTHER_LENGTH = { wordsPerMinute: 120, minSeconds: 30, maxSeconds: 90 };

const pools: AnalysisPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});
function pool(size: number, options?: Parameters<typeof createAnalysisPool>[1]) {
  const p = createAnalysisPool(size, options);
  pools.push(p);
  return p;
}
const crashing = new URL("./support/crashing-analysis-worker.ts", import.meta.url);

describe("analysis pool", () => {
  it("gives exactly the in-thread analysis, key order included, on sample, example and corpus answers", async () => {
    const p = pool(2);
    expect(p.threads).toBe(2);
    const results = await Promise.all(ANSWERS.flatMap((a) => [p.analyze(a, DEFAULT_LENGTH), p.analyze(a, OTHER_LENGTH)]));
    ANSWERS.forEach((answer, i) => {
      for (const [got, length] of [[results[2 * i]!, DEFAULT_LENGTH], [results[2 * i + 1]!, OTHER_LENGTH]] as const) {
        const here = analyze(answer, length);
        expect(got).toStrictEqual(here);
        expect(JSON.stringify(got)).toBe(JSON.stringify(here));
      }
    });
    // The compact token encoding is exercised in full: a re-tagged verb and a curly apostrophe came through.
    const tokens = results.flatMap((a: Analysis) => a.sentences.flatMap((s) => s.tokens));
    expect(tokens.some((t) => t.retagged)).toBe(true);
    expect(tokens.some((t) => t.text.includes("’") && t.lower.includes("'"))).toBe(true);
    expect(ANSWERS.length).toBeGreaterThan(10);
  }, 60_000);

  it("fails only the answer whose thread crashed, replaces the thread and answers the requests queued behind it", async () => {
    const warnings: string[] = [];
    const p = pool(1, { workerUrl: crashing, warn: (m) => warnings.push(m) });
    const first = p.analyze(SAMPLE_ANSWER, DEFAULT_LENGTH);
    const crash = p.analyze("crash", DEFAULT_LENGTH);
    const queued = [p.analyze(gold[0]!, DEFAULT_LENGTH), p.analyze(gold[1]!, DEFAULT_LENGTH)];
    await expect(first).resolves.toStrictEqual(analyze(SAMPLE_ANSWER, DEFAULT_LENGTH));
    await expect(crash).rejects.toMatchObject({ code: "analysis_failed", status: 500, message: expect.stringContaining("exited with code 3") });
    expect(await Promise.all(queued)).toStrictEqual([analyze(gold[0]!, DEFAULT_LENGTH), analyze(gold[1]!, DEFAULT_LENGTH)]);
    expect(warnings).toEqual([expect.stringContaining("an analysis thread stopped (its worker thread exited with code 3)")]);
    // The replacement keeps serving, crash after crash.
    await expect(p.analyze("crash", DEFAULT_LENGTH)).rejects.toMatchObject({ code: "analysis_failed" });
    await expect(p.analyze(corpus[0]!, DEFAULT_LENGTH)).resolves.toStrictEqual(analyze(corpus[0]!, DEFAULT_LENGTH));
  }, 60_000);

  it("passes on what the analysis threw, and the thread carries on", async () => {
    const p = pool(1, { workerUrl: crashing, warn: () => {} });
    const thrown = await p.analyze("throw", DEFAULT_LENGTH).catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: "RangeError", message: "this answer cannot be analysed" });
    await expect(p.analyze(SAMPLE_ANSWER, DEFAULT_LENGTH)).resolves.toStrictEqual(analyze(SAMPLE_ANSWER, DEFAULT_LENGTH));
  }, 60_000);

  it("analyses on the calling thread, with one warning, when its threads cannot start", async () => {
    const warnings: string[] = [];
    const p = pool(2, { workerUrl: new URL("./support/no-such-worker.js", import.meta.url), warn: (m) => warnings.push(m) });
    const results = await Promise.all([p.analyze(SAMPLE_ANSWER, DEFAULT_LENGTH), p.analyze(gold[0]!, DEFAULT_LENGTH)]);
    expect(results).toStrictEqual([analyze(SAMPLE_ANSWER, DEFAULT_LENGTH), analyze(gold[0]!, DEFAULT_LENGTH)]);
    await expect(p.analyze(gold[1]!, OTHER_LENGTH)).resolves.toStrictEqual(analyze(gold[1]!, OTHER_LENGTH));
    expect(warnings).toEqual([expect.stringContaining("could not start")]);
  }, 60_000);

  it("fails what is still outstanding with shutting_down when closed, and analyses in-thread after", async () => {
    const p = pool(1);
    const pending = Array.from({ length: 20 }, (_, i) => p.analyze(`${SAMPLE_ANSWER} Run ${i}.`, DEFAULT_LENGTH));
    await p.close();
    const settled = await Promise.allSettled(pending);
    expect(settled.every((s) => s.status === "rejected" && (s.reason as { code?: string }).code === "shutting_down")).toBe(true);
    await expect(p.analyze(SAMPLE_ANSWER, DEFAULT_LENGTH)).resolves.toStrictEqual(analyze(SAMPLE_ANSWER, DEFAULT_LENGTH));
  }, 60_000);

  it("with 0 threads analyses in the calling thread", async () => {
    const p = pool(0);
    expect(p.threads).toBe(0);
    await expect(p.analyze(SAMPLE_ANSWER, OTHER_LENGTH)).resolves.toStrictEqual(analyze(SAMPLE_ANSWER, OTHER_LENGTH));
  });

  it("keeps a process alive while a thread is busy and lets it exit once idle, without close()", () => {
    const node = join(ROOT, "node_modules", ".bin", "node");
    const started = Date.now();
    const r = spawnSync(node, ["--import", "tsx", join(ROOT, "test", "support", "pool-exit.ts")], { cwd: ROOT, encoding: "utf8", timeout: 45_000 });
    expect(r.signal).toBeNull(); // not killed by the timeout
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ words: analyze(POOL_EXIT_ANSWER).words, threads: 2 });
    expect(Date.now() - started).toBeLessThan(45_000);
  }, 60_000);

  it("grades through the pool exactly as in-thread, and the grading is stored", async () => {
    const p = pool(1);
    const { store, stories } = openSqlite(tempDbFile());
    try {
      const fixed = { now: () => new Date("2026-01-02T03:04:05Z"), newId: () => "same-id" };
      const input = { answer: SAMPLE_ANSWER, principle: "ownership", question: "Tell me about a time you took ownership." };
      const here = await createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH, ...fixed }).grade(input, { save: false });
      const pooled = await createGradingService({ store, stories, grader: createOfflineGrader(), length: DEFAULT_LENGTH, analyze: p.analyze, ...fixed }).grade({ ...input, storyId: null });
      const withoutLatency = (f: typeof here) => ({ ...f, meta: { ...f.meta, latencyMs: 0 } });
      expect(withoutLatency(pooled)).toStrictEqual(withoutLatency(here));
      expect((await store.getGrading(pooled.id))?.overall).toEqual(here.overall);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe("STARCOACH_ANALYSIS_THREADS", () => {
  it("sets the pool's size; unset means every core but one, at least one; 0 means none", async () => {
    expect(loadConfig({}).analysisThreads).toBeNull();
    expect(loadConfig({ STARCOACH_ANALYSIS_THREADS: "0" }).analysisThreads).toBe(0);
    expect(loadConfig({ STARCOACH_ANALYSIS_THREADS: "3" }).analysisThreads).toBe(3);
    for (const bad of ["-1", "two", "1.5", "65"]) expect(() => loadConfig({ STARCOACH_ANALYSIS_THREADS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ STARCOACH_ANALYSIS_THREADS: "two" })).toThrow(/STARCOACH_ANALYSIS_THREADS/);
    expect(defaultAnalysisThreads()).toBeGreaterThanOrEqual(1);
    const none = analysisPoolFor(loadConfig({ STARCOACH_ANALYSIS_THREADS: "0" }));
    const fallback = analysisPoolFor(loadConfig({}), 0);
    const byDefault = analysisPoolFor(loadConfig({}));
    pools.push(none, fallback, byDefault);
    expect([none.threads, fallback.threads, byDefault.threads]).toEqual([0, 0, defaultAnalysisThreads()]);
  });
});
