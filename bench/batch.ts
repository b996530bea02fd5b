/**
 * Batch grading benchmark (prints figures; asserts nothing). `npm run bench:batch`
 *
 * 1. 1,000 answers against a mock model server on a loopback port (node:http, 200 ms per
 *    Chat Completions call) through the real AI SDK client, concurrency 50: wall time and its
 *    ratio to the ideal 1,000 / 50 × 0.2 s = 4.0 s (goal ≤ 1.10×).
 *    Before it, the same 1,000 calls by bare fetch (no grading): the floor this machine and mock allow.
 * 2. The same 1,000 answers again as a new job: every answer comes from the cache (goal ≥ 5,000/s).
 * 3. A 100,000-row CSV through the real CLI (offline) in a child process: rows/s and peak RSS
 *    (goal < 250 MB), showing the input, the job and the output all stream.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobFromRows } from "../src/batch/job.js";
import { processOwner } from "../src/batch/lease.js";
import { runJob } from "../src/batch/runner.js";
import { loadConfig } from "../src/config.js";
import { createGradingService } from "../src/grading.js";
import { analysisPoolFor, createGrader } from "../src/node-deps.js";
import type { BatchRowInput } from "../src/store/batch-types.js";
import { openSqlite } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER } from "../test/support/app.js";
import { NODE, ROOT, startMockModelProcess } from "./children.js";

const N = Number(process.env.BENCH_ROWS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const LATENCY_MS = 200;
const STREAM_ROWS = Number(process.env.BENCH_STREAM_ROWS ?? 100_000);

const rows: BatchRowInput[] = Array.from({ length: N }, (_, i) => ({
  rowId: `a${i}`,
  principle: "ownership",
  question: null,
  answer: SAMPLE_ANSWER.replace("Acme", `Acme ${i}`),
}));

/** STARCOACH_ANALYSIS_THREADS from the benchmark's own environment, to compare thread counts (0: the analysis on the main thread). */
export function analysisThreadsEnv(): Record<string, string> {
  const threads = process.env.STARCOACH_ANALYSIS_THREADS;
  return threads ? { STARCOACH_ANALYSIS_THREADS: threads } : {};
}

export interface LiveBatchResult {
  seconds: number;
  ideal: number;
  ratio: number;
  cacheRate: number;
  /** The same calls by bare fetch, no grading: what the mock and the client alone cost. */
  bareRatio: number;
}

/**
 * The floor under the batch figure: the same number of Chat Completions calls at the same
 * concurrency, by bare fetch in this process with no grading around them. On a 2-core machine the
 * mock and the HTTP client alone already take part of the margin over the ideal.
 */
async function bareFetchSeconds(baseURL: string): Promise<number> {
  let next = 0;
  const call = async (i: number) => {
    const res = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
      body: JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: `<answer>${rows[i]!.answer}</answer>` }] }),
    });
    await res.json();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) await call(next++);
  }));
  return (performance.now() - started) / 1000;
}

export async function live(dir: string): Promise<LiveBatchResult> {
  const server = await startMockModelProcess(LATENCY_MS);
  const dbFile = join(dir, "live.db");
  const config = loadConfig({ OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: server.baseURL, STARCOACH_DB: dbFile, STARCOACH_MODEL_RETRIES: "0", ...analysisThreadsEnv() });
  const { store, batches } = openSqlite(dbFile);
  // The analysis threads the CLI uses in LLM mode (src/cli/context.ts).
  const analysis = analysisPoolFor(config);
  const grading = createGradingService({ store, grader: await createGrader(config), length: config.length, analyze: analysis.analyze });

  // Warm up: load modules, open the connection, JIT the hot path (not counted).
  const warm = await createJobFromRows(batches, grading.grader, [{ rowId: "w", principle: "ownership", question: null, answer: `${SAMPLE_ANSWER} Warm-up.` }]);
  const owner = processOwner("cli");
  await runJob({ batches, grading }, warm.id, { owner, concurrency: 1 });
  const ideal = (N / CONCURRENCY) * (LATENCY_MS / 1000);
  const bare = await bareFetchSeconds(server.baseURL);
  console.log(`bare:   the same ${N} calls by bare fetch, concurrency ${CONCURRENCY}, no grading: ${bare.toFixed(2)} s wall: ratio ${(bare / ideal).toFixed(3)}× (the floor of this machine and mock)`);

  const job = await createJobFromRows(batches, grading.grader, rows);
  const t0 = performance.now();
  const cpu0 = process.threadCpuUsage();
  const counts = await runJob({ batches, grading }, job.id, { owner, concurrency: CONCURRENCY });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.threadCpuUsage(cpu0);
  // The main thread's CPU per row: what each call's slot waits behind when calls end together.
  const perRowMs = (cpu.user + cpu.system) / 1000 / N;
  console.log(`live:   ${N} answers, concurrency ${CONCURRENCY}, ${LATENCY_MS} ms mock latency: ${seconds.toFixed(2)} s wall (ideal ${ideal.toFixed(1)} s): ratio ${(seconds / ideal).toFixed(3)}× (goal ≤ 1.10×); ${counts.done} graded, ${counts.error} failed; main thread ${perRowMs.toFixed(2)} ms CPU per row`);

  const again = await createJobFromRows(batches, grading.grader, rows);
  const t1 = performance.now();
  const c2 = await runJob({ batches, grading }, again.id, { owner, concurrency: CONCURRENCY });
  const s2 = (performance.now() - t1) / 1000;
  console.log(`cache:  ${c2.done} answers re-run as a new job from the cache in ${s2.toFixed(3)} s: ${Math.round(c2.done / s2).toLocaleString("en-US")} answers/s (goal ≥ 5,000/s)`);

  await batches.close();
  await store.close();
  await analysis.close();
  const calls = await server.stop();
  console.log(`model:  ${calls.calls} calls in all (1 warm-up + ${N} bare + ${N} live, none for the cache re-run), at most ${calls.maxInFlight} in flight`);
  return { seconds, ideal, ratio: seconds / ideal, cacheRate: c2.done / s2, bareRatio: bare / ideal };
}

export interface StreamResult {
  rows: number;
  seconds: number;
  peakMb: number;
}

export async function stream(dir: string): Promise<StreamResult | null> {
  const csv = join(dir, "big.csv");
  const out = createWriteStream(csv);
  out.write("id,principle,question,answer\n");
  const principles = ["ownership", "customer-obsession", "dive-deep", "deliver-results"];
  for (let i = 0; i < STREAM_ROWS; i++) {
    const answer = SAMPLE_ANSWER.replace("Acme", `Acme ${i}`).replace("6 engineers", `${(i % 9) + 2} engineers, "the core team"`);
    if (!out.write(`r${i},${principles[i % 4]},"Question ${i}, please","${answer.replace(/"/g, '""')}"\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  const mb = statSync(csv).size / 1e6;
  const dbFile = join(dir, "stream.db");
  const outFile = join(dir, "big.out.jsonl");
  const t0 = performance.now();
  // GNU time reports the child's peak RSS; the CLI runs exactly as a user runs it.
  const r = spawnSync("/usr/bin/time", ["-f", "%M", NODE, join(ROOT, "bin", "starcoach.js"), "grade", csv, "--offline", "--db", dbFile, "--out", outFile], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...analysisThreadsEnv() },
  });
  const seconds = (performance.now() - t0) / 1000;
  const lines = r.stderr.trim().split("\n");
  const peakKb = Number(lines.at(-1));
  if (r.status !== 0 || !Number.isFinite(peakKb)) {
    console.log(`stream: failed (exit ${r.status}): ${r.stderr.slice(-800)}`);
    return null;
  }
  console.log(`stream: ${STREAM_ROWS.toLocaleString("en-US")} rows (${mb.toFixed(0)} MB CSV) graded offline by the CLI in ${seconds.toFixed(1)} s (${Math.round(STREAM_ROWS / seconds).toLocaleString("en-US")} rows/s), output ${(statSync(outFile).size / 1e6).toFixed(0)} MB; peak RSS ${(peakKb / 1024).toFixed(0)} MB (goal < 250 MB)`);
  return { rows: STREAM_ROWS, seconds, peakMb: peakKb / 1024 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), "starcoach-bench-batch-"));
  try {
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    if (!process.env.BENCH_SKIP_LIVE) await live(dir);
    if (!process.env.BENCH_SKIP_STREAM) await stream(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
