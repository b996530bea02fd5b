/**
 * Load test (npm run bench:load; also part of npm run test:reliability): the real service as a
 * child process in LLM mode against a mock Chat Completions server that answers after 200 ms, all
 * on 127.0.0.1. Every request carries a unique answer, so nothing is served from the cache.
 *
 * Phases (each bounded by its duration):
 *  1. overhead: 8, then 64 concurrent clients → the service's p99 over the mock's 200 ms;
 *  2. load: 200 concurrent clients for 30 s → throughput, p50/p99, errors, peak RSS;
 *  3. shedding (separate process, default limits: 16 running + 64 queued): 200 concurrent clients
 *     for 5 s → the excess gets 503 + Retry-After at once and memory stays flat.
 * Usage: npx tsx bench/load.ts [--duration 30] [--overhead-duration 10] [--shed-duration 5]
 */
import autocannon from "autocannon";
import { readFileSync } from "node:fs";
import { SAMPLE_ANSWER } from "../test/support/app.js";
import { startMockModel } from "../test/reliability/mock-model.js";
import { startServerProcess, type ServerProcess } from "../test/reliability/server-process.js";

export const MOCK_LATENCY_MS = 200;

export interface PhaseResult {
  name: string;
  connections: number;
  durationS: number;
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  status503: number;
  errors: number;
  timeouts: number;
  peakRssMb: number;
  modelCalls: number;
}

function rssMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

async function phase(srv: ServerProcess, name: string, connections: number, durationS: number, modelCalls: () => number): Promise<PhaseResult> {
  const body = JSON.stringify({ answer: `${SAMPLE_ANSWER} Load run [<id>].`, principle: "ownership" });
  const callsBefore = modelCalls();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(srv.child.pid!, "VmRSS"))), 250);
  const statuses = new Map<number, number>();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${srv.base}/v1/grade`,
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        idReplacement: true,
        connections,
        duration: durationS,
        timeout: 30,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on("response", (_client, statusCode) => statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1));
  });
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(srv.child.pid!, "VmHWM"));
  return {
    name,
    connections,
    durationS,
    requests: r.requests.total,
    throughput: Math.round(r.requests.average * 10) / 10,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    ok: r["2xx"],
    non2xx: r.non2xx,
    status503: statuses.get(503) ?? 0,
    errors: r.errors,
    timeouts: r.timeouts,
    peakRssMb: peak,
    modelCalls: modelCalls() - callsBefore,
  };
}

export async function runLoad(options: { durationS?: number; overheadDurationS?: number; shedDurationS?: number } = {}) {
  const mock = await startMockModel({ latencyMs: MOCK_LATENCY_MS });
  const common = { OPENAI_API_KEY: "sk-load-test-0123456789", OPENAI_BASE_URL: mock.baseURL, STARCOACH_RATE_LIMIT: "0", STARCOACH_MODEL_TIMEOUT_MS: "30000" };
  const results: PhaseResult[] = [];
  // Sized for the test: every client gets a model slot, so latency is the service's own.
  const srv = await startServerProcess({ ...common, STARCOACH_MAX_CONCURRENT: "256", STARCOACH_MAX_QUEUE: "256" }, { keepStdout: false });
  try {
    const idleRss = rssMb(srv.child.pid!, "VmRSS");
    await phase(srv, "warm-up", 16, 2, () => mock.calls);
    results.push(await phase(srv, "overhead @8", 8, Math.min(5, options.overheadDurationS ?? 10), () => mock.calls));
    results.push(await phase(srv, "overhead @64", 64, options.overheadDurationS ?? 10, () => mock.calls));
    results.push(await phase(srv, "load @200", 200, options.durationS ?? 30, () => mock.calls));
    console.log(`[load] service RSS idle ${idleRss} MB`);
  } finally {
    srv.kill("SIGTERM");
    await srv.exited;
  }
  if ((options.shedDurationS ?? 5) > 0) {
    const shed = await startServerProcess(common, { keepStdout: false });
    try {
      results.push(await phase(shed, "shed @200 (defaults 16+64)", 200, options.shedDurationS ?? 5, () => mock.calls));
    } finally {
      shed.kill("SIGTERM");
      await shed.exited;
    }
  }
  await mock.close();
  return results;
}

export function formatResults(results: PhaseResult[]): string {
  const head = "| phase | clients | s | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | 2xx | 503 | other non-2xx | errors | timeouts | peak RSS MB | model calls |";
  const sep = "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
  const rows = results.map((r) => `| ${r.name} | ${r.connections} | ${r.durationS} | ${r.requests} | ${r.throughput} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.ok} | ${r.status503} | ${r.non2xx - r.status503} | ${r.errors} | ${r.timeouts} | ${r.peakRssMb} | ${r.modelCalls} |`);
  const lines = [head, sep, ...rows, ""];
  for (const r of results.filter((x) => x.name.startsWith("overhead"))) {
    lines.push(`service overhead at ${r.connections} concurrent: p99 ${r.p99 - MOCK_LATENCY_MS} ms, p50 ${r.p50 - MOCK_LATENCY_MS} ms over the mock's ${MOCK_LATENCY_MS} ms`);
  }
  return lines.join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const results = await runLoad({ durationS: arg("--duration"), overheadDurationS: arg("--overhead-duration"), shedDurationS: arg("--shed-duration") });
  console.log(formatResults(results));
}
