/**
 * Every performance figure in one run (`npm run bench:all`, after a build), each as a ratio to a
 * reference measured in the same run, so the drift of a shared machine cancels out:
 *
 *  1. offline POST /v1/grade vs the bare-Hono floor (bench/floor.ts) echoing the same body;
 *  2. LLM mode at 64 concurrent: the service's p99 minus the mock model's own p99 under the same load;
 *  3. a 1,000-answer batch at concurrency 50 against the 200 ms mock vs the ideal 4.0 s;
 *  4. deterministic analysis rate on one core;
 *  5. the 100k-row CSV batch's peak RSS;
 *  6. cost per graded answer in LLM mode (meta.cost) from the mock's token usage.
 *
 * The load comes from wrk (`apt-get install wrk`), one thread, each request a different answer.
 * Usage: npm run bench:all [-- --seconds 8] [--only offline,llm,batch,analysis,stream]
 * STARCOACH_ANALYSIS_THREADS in the environment is passed to the servers, the batch and the CLI
 * (0: the analysis on the main thread, as before the worker threads).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SAMPLE_ANSWER } from "../test/support/app.js";
import { startServerProcess } from "../test/reliability/server-process.js";
import { measureAnalysis } from "./analyze.js";
import { analysisThreadsEnv, live, stream } from "./batch.js";
import { startFloor, startMockModelProcess } from "./children.js";
import { hasWrk, wrk, type WrkResult } from "./wrk.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("--seconds", 8);
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1]!.split(",") : null;
const part = (name: string) => !only || only.includes(name);
const CONNECTIONS = 64;
const MOCK_LATENCY_MS = 200;
/** The analysis rate before the NLP change (wink-nlp), as the issue recorded it. */
const ANALYSIS_BEFORE_NLP = 10_900;

const GRADE_BODY = JSON.stringify({ answer: `${SAMPLE_ANSWER} Run <id>.`, principle: "ownership" });
/** What the service sends the model, reduced to what the mock reads: the answer in <answer> tags. */
const CHAT_BODY = JSON.stringify({ model: "gpt-4.1-mini", messages: [{ role: "user", content: `<answer>${SAMPLE_ANSWER} Run <id>.</answer>` }] });

interface Row {
  measure: string;
  measured: string;
  goal: string;
  met: boolean;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const line = (label: string, r: WrkResult) =>
  console.log(`  ${label.padEnd(34)} ${fmt(r.perSecond).padStart(7)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  non-2xx ${r.non2xx}  socket errors ${r.errors}`);

/** Alternate the two targets `rounds` times and add up, so a busy spell of the machine hits both. */
async function sideBySide(a: () => Promise<WrkResult>, b: () => Promise<WrkResult>, rounds = 2): Promise<[WrkResult, WrkResult]> {
  const as: WrkResult[] = [];
  const bs: WrkResult[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a());
    bs.push(await b());
  }
  const merge = (rs: WrkResult[]): WrkResult => ({
    requests: rs.reduce((n, r) => n + r.requests, 0),
    perSecond: rs.reduce((n, r) => n + r.perSecond, 0) / rs.length,
    p50: Math.max(...rs.map((r) => r.p50)),
    p90: Math.max(...rs.map((r) => r.p90)),
    p99: Math.max(...rs.map((r) => r.p99)),
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
    errors: rs.reduce((n, r) => n + r.errors, 0),
  });
  return [merge(as), merge(bs)];
}

async function offline(dir: string): Promise<Row> {
  console.log(`offline: wrk -t1 -c${CONNECTIONS} -d${SECONDS / 2}s ×2 each, alternating`);
  const floor = await startFloor();
  const srv = await startServerProcess({ STARCOACH_DB: join(dir, "offline.db"), ...analysisThreadsEnv() }, { keepStdout: false });
  try {
    const opts = { connections: CONNECTIONS, seconds: SECONDS / 2 };
    await wrk(`${srv.base}/v1/grade`, GRADE_BODY, { connections: 8, seconds: 2 }); // warm-up
    await wrk(`${floor.url}/v1/grade`, GRADE_BODY, { connections: 8, seconds: 2 });
    const [f, s] = await sideBySide(() => wrk(`${floor.url}/v1/grade`, GRADE_BODY, opts), () => wrk(`${srv.base}/v1/grade`, GRADE_BODY, opts));
    line("bare Hono floor (echo)", f);
    line("starcoach offline grade", s);
    const ratio = s.perSecond / f.perSecond;
    return { measure: "offline `POST /v1/grade` / bare Hono echo", measured: `${fmt(s.perSecond)} / ${fmt(f.perSecond)} req/s = **${fmt(ratio, 3)}×**`, goal: "≥ 0.3×", met: ratio >= 0.3 && s.non2xx === 0 };
  } finally {
    floor.stop();
    srv.kill("SIGTERM");
    await srv.exited;
  }
}

async function llm(dir: string): Promise<{ row: Row; sample: Record<string, unknown> }> {
  console.log(`llm: mock model at ${MOCK_LATENCY_MS} ms, wrk -t1 -c${CONNECTIONS} -d${SECONDS / 2}s ×2 each, alternating`);
  const mock = await startMockModelProcess(MOCK_LATENCY_MS);
  const srv = await startServerProcess(
    {
      STARCOACH_DB: join(dir, "llm.db"),
      OPENAI_API_KEY: "sk-bench-0123456789",
      OPENAI_BASE_URL: mock.baseURL,
      STARCOACH_RATE_LIMIT: "0",
      // Every client gets a model slot: the latency measured is the service's own.
      STARCOACH_MAX_CONCURRENT: "256",
      STARCOACH_MAX_QUEUE: "256",
      STARCOACH_MODEL_TIMEOUT_MS: "30000",
      ...analysisThreadsEnv(),
    },
    { keepStdout: false },
  );
  try {
    const opts = { connections: CONNECTIONS, seconds: SECONDS / 2 };
    await wrk(`${srv.base}/v1/grade`, GRADE_BODY, { connections: 16, seconds: 2 }); // warm-up
    const [m, s] = await sideBySide(() => wrk(`${mock.baseURL}/chat/completions`, CHAT_BODY, opts), () => wrk(`${srv.base}/v1/grade`, GRADE_BODY, opts));
    line("mock model alone", m);
    line("starcoach LLM grade", s);
    const res = await fetch(`${srv.base}/v1/grade`, { method: "POST", headers: { "content-type": "application/json" }, body: GRADE_BODY.replace("<id>", "sample") });
    const sample = ((await res.json()) as { meta: Record<string, unknown> }).meta;
    const overhead = s.p99 - m.p99;
    return {
      row: { measure: `LLM mode, ${CONNECTIONS} concurrent: service p99 − mock p99`, measured: `${fmt(s.p99)} − ${fmt(m.p99)} ms = **${overhead >= 0 ? "+" : ""}${fmt(overhead)} ms**`, goal: "≤ 10 ms", met: overhead <= 10 && s.non2xx === 0 },
      sample,
    };
  } finally {
    srv.kill("SIGTERM");
    await srv.exited;
    await mock.stop();
  }
}

if (!hasWrk()) {
  console.error("bench:all needs wrk on PATH (Debian: apt-get install wrk).");
  process.exit(1);
}
console.log(`node ${process.version}, ${process.platform}/${process.arch}; wrk, ${SECONDS} s per pair of targets`);
const dir = mkdtempSync(join(tmpdir(), "starcoach-bench-all-"));
const rows: Row[] = [];
try {
  if (part("offline")) rows.push(await offline(dir));
  if (part("llm")) {
    const { row, sample } = await llm(dir);
    rows.push(row);
    const cost = sample.cost as { usd: number } | undefined;
    const usage = sample.usage as { inputTokens: number; outputTokens: number } | null;
    rows.push({ measure: "cost per graded answer, LLM mode (`meta.cost`, default prices)", measured: cost ? `**$${cost.usd.toFixed(6)}** (${usage?.inputTokens} in + ${usage?.outputTokens} out tokens)` : "not reported", goal: "reported", met: !!cost });
  }
  if (part("batch")) {
    console.log("batch:");
    const batch = await live(dir);
    rows.push({ measure: "batch: 1,000 answers, concurrency 50, mock 200 ms / ideal 4.0 s", measured: `${fmt(batch.seconds, 2)} s = **${fmt(batch.ratio, 2)}×** (bare fetch, no grading: ${fmt(batch.bareRatio, 2)}×)`, goal: "≤ 1.10×", met: batch.ratio <= 1.1 });
  }
  if (part("analysis")) {
    console.log("analysis:");
    const a = measureAnalysis();
    rows.push({ measure: `deterministic analysis, ${a.words}-word answers, one core (per CPU-second)`, measured: `**${fmt(a.perCpuSecond)}/s** (${fmt(a.perSecond)}/s wall; ${fmt(ANALYSIS_BEFORE_NLP)}/s before the NLP change)`, goal: "≥ 1,000/s", met: a.perCpuSecond >= 1000 });
  }
  if (part("stream")) {
    console.log("stream:");
    const s = await stream(dir);
    rows.push({ measure: "100k-row CSV batch (CLI, offline), peak RSS", measured: s ? `**${fmt(s.peakMb)} MB** (${fmt(s.rows / s.seconds)} rows/s)` : "failed", goal: "< 250 MB", met: !!s && s.peakMb < 250 });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log("\n| measure | measured | goal | met |\n|---|---|---|---|");
for (const r of rows) console.log(`| ${r.measure} | ${r.measured} | ${r.goal} | ${r.met ? "yes" : "**no**"} |`);
