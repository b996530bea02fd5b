/**
 * Abuse of the real service process (`bin/starcoach.js serve`) over real sockets, with a
 * socket-level mock of the model that counts the calls open at once:
 * - clients that start streamed gradings and hang up must not leave model calls running beyond
 *   STARCOACH_MAX_CONCURRENT, nor have their gradings stored;
 * - a batch uploaded meanwhile grades its rows through the same gate, leaving a slot for people;
 * - a JSON batch nested millions deep is refused before parsing, without stalling other requests.
 */
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER } from "../support/app.js";
import { send } from "./http-client.js";
import { startMockModel, type MockModel } from "./mock-model.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const MODEL_LATENCY_MS = 1_000;
const JSON_HEADERS = { "content-type": "application/json" };

/**
 * POST a streamed grading and hang up `afterMs` after its first event (the counted figures, sent
 * just before the model call starts), or after `giveUpMs` if nothing came.
 */
function abandonedStream(base: string, answer: string, afterMs: number, giveUpMs = 10_000): Promise<void> {
  const url = new URL("/v1/grade/stream", base);
  return new Promise((resolve) => {
    const hangUp = () => {
      clearTimeout(giveUp);
      req.destroy();
      resolve();
    };
    const giveUp = setTimeout(hangUp, giveUpMs);
    const req = request({ host: url.hostname, port: url.port, method: "POST", path: url.pathname, agent: false, headers: JSON_HEADERS });
    req.on("error", () => resolve());
    req.on("response", (res) => res.once("data", () => setTimeout(hangUp, afterMs)).resume());
    req.end(JSON.stringify({ answer, principle: "ownership" }));
  });
}

/** The most model calls open at once while `work` runs, sampled every 10 ms. */
async function peakInflight(model: MockModel, work: Promise<unknown>): Promise<number> {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, model.inflight)), 10);
  try {
    await work;
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, model.maxInflight);
}

describe("abandoned and bulk work stays inside STARCOACH_MAX_CONCURRENT", () => {
  let model: MockModel;
  let srv: ServerProcess;

  beforeAll(async () => {
    model = await startMockModel({ latencyMs: MODEL_LATENCY_MS });
    srv = await startServerProcess({
      OPENAI_API_KEY: "sk-abuse-test-0123456789",
      OPENAI_BASE_URL: model.baseURL,
      STARCOACH_MODEL_RETRIES: "0",
      STARCOACH_MAX_CONCURRENT: "2",
      STARCOACH_RATE_LIMIT: "0",
      STARCOACH_LOG: "off",
    });
  }, 60_000);
  afterAll(async () => {
    srv?.kill("SIGTERM");
    await srv?.exited;
    await model?.close();
  });

  it("8 streamed gradings whose clients hang up: model calls cancelled, at most 2 open, nothing stored", async () => {
    const started = performance.now();
    const callsBefore = model.calls;
    const answers = Array.from({ length: 8 }, (_, i) => SAMPLE_ANSWER.replace("Acme", `Abandoned-${i}`));
    const peak = await peakInflight(
      model,
      (async () => {
        await Promise.all(answers.map((a) => abandonedStream(srv.base, a, 300)));
        // Long enough for any grading left running (a streamed call, then its one-shot fallback) to end and be stored.
        await new Promise((r) => setTimeout(r, MODEL_LATENCY_MS * 2 + 1_000));
        expect(model.inflight).toBe(0);
      })(),
    );
    const ms = Math.round(performance.now() - started);
    const history = JSON.parse((await send(srv.base, "GET", "/v1/gradings?limit=50", {})).text) as { items: Array<{ answer?: string; id: string }> };
    const stored = history.items.length;
    console.log(`\n[abuse] 8 abandoned streams, MAX_CONCURRENT=2: ${model.calls - callsBefore} model calls, at most ${peak} open at once, ${model.abandoned} cancelled by the server, ${stored} stored; observed for ${ms} ms`);
    expect(model.calls - callsBefore).toBeGreaterThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(2);
    expect(stored).toBe(0);
    expect(model.abandoned).toBe(model.calls - callsBefore);
    // The slots came back: a normal grading is served at once.
    const ok = await send(srv.base, "POST", "/v1/grade", JSON_HEADERS, JSON.stringify({ answer: SAMPLE_ANSWER.replace("Acme", "Kept"), principle: "ownership" }));
    expect(ok.status).toBe(200);
  }, 60_000);

  it("a batch plus abandoned streams plus a person: at most 2 model calls open, the batch completes, the person is served", async () => {
    const callsBefore = model.calls;
    const rows = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `b${i}`, principle: "ownership", answer: SAMPLE_ANSWER.replace("Acme", `Batch-${i}`) })).join("\n");
    let personMs = 0;
    let batchId = "";
    const peak = await peakInflight(
      model,
      (async () => {
        const created = await send(srv.base, "POST", "/v1/batches", { "content-type": "application/x-ndjson" }, rows);
        expect(created.status).toBe(202);
        batchId = (JSON.parse(created.text) as { id: string }).id;
        const streams = Array.from({ length: 4 }, (_, i) => abandonedStream(srv.base, SAMPLE_ANSWER.replace("Acme", `Gone-${i}`), 200, 3_000));
        const t0 = performance.now();
        const person = await send(srv.base, "POST", "/v1/grade", JSON_HEADERS, JSON.stringify({ answer: SAMPLE_ANSWER.replace("Acme", "Person"), principle: "ownership" }));
        personMs = Math.round(performance.now() - t0);
        expect(person.status).toBe(200);
        await Promise.all(streams);
        await expect
          .poll(async () => (JSON.parse((await send(srv.base, "GET", `/v1/batches/${batchId}`, {})).text) as { status: string }).status, { timeout: 30_000, interval: 200 })
          .toBe("done");
      })(),
    );
    const status = JSON.parse((await send(srv.base, "GET", `/v1/batches/${batchId}`, {})).text) as { counts: Record<string, number> };
    console.log(`[abuse] 6-row batch + 4 abandoned streams + 1 person, MAX_CONCURRENT=2: ${model.calls - callsBefore} model calls, at most ${peak} open at once; person answered in ${personMs} ms; batch ${JSON.stringify(status.counts)}`);
    expect(peak).toBeLessThanOrEqual(2);
    expect(status.counts).toMatchObject({ total: 6, done: 6, error: 0 });
    // The person waited at most for one model call to free a slot, not for the batch.
    expect(personMs).toBeLessThan(MODEL_LATENCY_MS * 3);
  }, 60_000);
});

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return Math.round(kb / 1024);
}

describe("a JSON batch nested 5 million deep", () => {
  let srv: ServerProcess;
  beforeAll(async () => {
    srv = await startServerProcess({ STARCOACH_OFFLINE: "1", STARCOACH_LOG: "off" });
  }, 60_000);
  afterAll(async () => {
    srv?.kill("SIGTERM");
    await srv?.exited;
  });

  it("is refused with 400 json_too_deep before parsing; memory stays flat and /healthz keeps answering", async () => {
    const depth = 5_000_000;
    const body = "[".repeat(depth) + "]".repeat(depth);
    await send(srv.base, "GET", "/healthz", {});
    const rssBefore = peakRssMb(srv.child.pid!);
    let slowestHealth = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = performance.now();
        await send(srv.base, "GET", "/healthz", {});
        slowestHealth = Math.max(slowestHealth, performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = performance.now();
    const res = await send(srv.base, "POST", "/v1/batches", { "content-type": "application/json" }, body, 60_000);
    const ms = Math.round(performance.now() - started);
    polling = false;
    await poller;
    const rssAfter = peakRssMb(srv.child.pid!);
    console.log(`[abuse] /v1/batches with JSON nested ${depth.toLocaleString("en")} deep (${(body.length / 1e6).toFixed(0)} MB): ${res.status} ${JSON.parse(res.text).error?.code} after ${ms} ms; peak RSS ${rssBefore} → ${rssAfter} MB; slowest /healthz meanwhile ${Math.round(slowestHealth)} ms`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).error.code).toBe("json_too_deep");
    expect(rssAfter - rssBefore).toBeLessThan(200);
    // Before the scan, JSON.parse held the event loop for many seconds (14 s on the loaded VM).
    expect(slowestHealth).toBeLessThan(5_000);
    expect(srv.alive()).toBe(true);
  }, 60_000);
});
