/**
 * Graceful shutdown with a real child process: SIGTERM while gradings (one of them streamed) are
 * waiting on a slow model. The in-flight gradings must all finish and be stored, new connections
 * must be refused, the process must exit 0, and the SQLite file must be closed cleanly (WAL
 * checkpointed and removed) and pass PRAGMA integrity_check. The answers are analysed on two worker
 * threads (dist/analysis-worker.js), which must not keep the process from exiting.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER } from "../support/app.js";
import { send } from "./http-client.js";
import { startMockModel, type MockModel } from "./mock-model.js";
import { startServerProcess } from "./server-process.js";

let mock: MockModel;
afterAll(async () => mock?.close());

describe("graceful shutdown on SIGTERM", () => {
  it("finishes in-flight gradings, refuses new work, closes SQLite, exits 0", async () => {
    mock = await startMockModel({ latencyMs: 1_500 });
    const srv = await startServerProcess({ OPENAI_API_KEY: "sk-test-shutdown-0123456789", OPENAI_BASE_URL: mock.baseURL, STARCOACH_RATE_LIMIT: "0", STARCOACH_ANALYSIS_THREADS: "2" });
    expect(srv.stdout.find((l) => l.includes("listening on"))).toContain("analysis on 2 worker threads");
    const body = (i: number) => JSON.stringify({ answer: `${SAMPLE_ANSWER} Shutdown run ${i}.`, principle: "ownership" });
    const json = { "content-type": "application/json" };
    const inflight = [
      ...Array.from({ length: 5 }, (_, i) => send(srv.base, "POST", "/v1/grade", json, body(i), 30_000)),
      send(srv.base, "POST", "/v1/grade/stream", json, body(99), 30_000),
    ];
    const deadline = Date.now() + 10_000;
    while (mock.calls < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(mock.calls).toBe(6);

    const signalled = Date.now();
    srv.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    const late = await send(srv.base, "GET", "/healthz", {}, undefined, 2_000).then(
      (r) => `HTTP ${r.status}`,
      (err: Error) => (/ECONNREFUSED/.test(String(err)) ? "ECONNREFUSED" : String(err)),
    );
    const results = await Promise.all(inflight);
    const { code, signal } = await srv.exited;
    const stopMs = Date.now() - signalled;

    const statuses = results.map((r) => r.status);
    const streamed = results[5]!.text;
    console.log(`\n[shutdown] SIGTERM with 6 gradings in flight (model latency 1.5 s): statuses ${statuses.join(",")}; new connection → ${late}; exit code ${code} after ${stopMs} ms`);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(streamed).toContain("event: feedback");
    expect(late === "ECONNREFUSED" || late === "HTTP 503").toBe(true);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const stopped = srv.stdout.find((l) => l.includes(`"msg":"stopped"`));
    console.log(`[shutdown] ${stopped}`);
    expect(stopped).toContain(`"drained":true`);
    expect(srv.stderr.join("")).not.toContain("analysis thread"); // the threads started and none stopped

    expect(existsSync(`${srv.dbFile}-wal`)).toBe(false); // closed cleanly: WAL checkpointed and removed
    const db = new Database(srv.dbFile, { readonly: true });
    const integrity = db.pragma("integrity_check", { simple: true });
    const stored = (db.prepare("SELECT count(*) AS n FROM gradings").get() as { n: number }).n;
    db.close();
    console.log(`[shutdown] stored gradings ${stored}/6, PRAGMA integrity_check: ${integrity}`);
    expect(integrity).toBe("ok");
    expect(stored).toBe(6);
  }, 60_000);
});
