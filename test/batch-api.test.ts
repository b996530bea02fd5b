/** POST /v1/batches and friends over a real HTTP server on 127.0.0.1, on a real SQLite file. */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalBatchJobs, resumeBatches, type LocalBatchJobs } from "../src/batch/service.js";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService } from "../src/grading.js";
import { createApp } from "../src/http/app.js";
import { MAX_BATCH_BODY_BYTES } from "../src/http/routes/batches.js";
import type { BatchJobs } from "../src/http/context.js";
import { openSqliteBatchStore } from "../src/store/sqlite-batch.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines } from "./support/cli.js";

const FIXTURE = readFileSync(new URL("./fixtures/batch-answers.jsonl", import.meta.url), "utf8");
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function startServer(db: string, options: { start?: "run" | "never" } = {}) {
  const store = openSqliteStore(db);
  const batchStore = openSqliteBatchStore(db);
  const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const local = createLocalBatchJobs({ store: batchStore, grading, log: () => {} });
  // "never": a server that stores jobs and dies before grading them.
  const batches: BatchJobs = options.start === "never" ? { store: batchStore, start: async () => {} } : local;
  const app = createApp({ store, grading, batches });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handle = {
    base,
    local,
    async close() {
      local.stop();
      await local.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await batchStore.close();
      await store.close();
    },
  };
  servers.push(handle);
  return handle;
}

async function waitDone(base: string, id: string) {
  for (let i = 0; i < 200; i++) {
    const s = (await (await fetch(`${base}/v1/batches/${id}`)).json()) as { status: string; counts: Record<string, number> };
    if (s.status === "done") return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("batch did not finish");
}

describe("batch API", () => {
  it("takes JSONL, answers 202 with a job id, and serves status, JSONL and CSV results and the report", async () => {
    const { base } = await startServer(tempDbFile());
    const res = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: FIXTURE });
    expect(res.status).toBe(202);
    const created = (await res.json()) as { id: string; counts: { total: number }; links: { results: string } };
    expect(created.id).toMatch(/^job_/);
    expect(res.headers.get("location")).toBe(`/v1/batches/${created.id}`);
    expect(created.counts.total).toBe(9);

    const status = await waitDone(base, created.id);
    expect(status.counts).toEqual({ total: 9, pending: 0, done: 7, error: 2 });

    const jsonl = await fetch(`${base}${created.links.results}`);
    expect(jsonl.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = jsonLines(await jsonl.text());
    expect(lines.map((l) => l.id)).toEqual(["backbone-1", "results-1", "customer-1", "frugal-1", "hire-1", "dive-1", "invent-1", "bad-principle", "empty-answer"]);
    expect(lines[7]!.error?.code).toBe("unknown_principle");

    const csv = await fetch(`${base}${created.links.results}`, { headers: { accept: "text/csv" } });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const records = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
    expect(records).toHaveLength(9);
    expect(records[8]).toMatchObject({ id: "empty-answer", status: "error", error_code: "answer_empty" });

    const report = await fetch(`${base}/v1/batches/${created.id}/report`);
    expect(report.headers.get("content-type")).toContain("text/html");
    const html = await report.text();
    expect(html).toContain('id="coverage-matrix"');
    expect(html).toContain('id="duplicate-pairs"');
  });

  it("takes a JSON array and CSV above the 256 KiB limit of the other routes", async () => {
    const { base } = await startServer(tempDbFile());
    const arr = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([{ id: "x", principle: "ownership", answer: SAMPLE_ANSWER }, { id: "y", answer: 3 }]) });
    expect(arr.status).toBe(202);
    const arrId = ((await arr.json()) as { id: string }).id;
    expect((await waitDone(base, arrId)).counts).toMatchObject({ done: 1, error: 1 });

    const rows = Array.from({ length: 400 }, (_, i) => `c${i},ownership,,"${SAMPLE_ANSWER.replace("Acme", `Acme ${i}`)}"`);
    const body = `id,principle,question,answer\r\n${rows.join("\r\n")}\r\n`;
    expect(body.length).toBeGreaterThan(256 * 1024);
    const big = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "text/csv" }, body });
    expect(big.status).toBe(202);
    const bigId = ((await big.json()) as { id: string }).id;
    expect((await waitDone(base, bigId)).counts).toMatchObject({ total: 400, done: 400 });

    // POST /v1/grade keeps its own 256 KiB limit.
    const grade = await fetch(`${base}/v1/grade`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: "x".repeat(300 * 1024), principle: "ownership" }) });
    expect(grade.status).toBe(413);
  });

  it("fails rows whose answer is only invisible characters as answer_empty, and grades the rest", async () => {
    const { base } = await startServer(tempDbFile());
    const rows = [
      { id: "zero-width", principle: "ownership", answer: "\u200b\u200b\u200d\ufeff" },
      { id: "nul", principle: "ownership", answer: "\u0000\u0000\u0000" },
      { id: "real", principle: "ownership", answer: `\u200b${SAMPLE_ANSWER}` },
    ];
    const res = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rows) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect((await waitDone(base, id)).counts).toMatchObject({ done: 1, error: 2 });
    const lines = jsonLines(await (await fetch(`${base}/v1/batches/${id}/results`)).text());
    expect(lines.map((l) => [l.id, l.error?.code ?? l.feedback?.length.words])).toEqual([["zero-width", "answer_empty"], ["nul", "answer_empty"], ["real", 141]]);
  });

  it("serves CSV results with formula-like cells prefixed by an apostrophe", async () => {
    const { base } = await startServer(tempDbFile());
    const rows = [{ id: "=cmd|' /C calc'!A0", principle: "ownership", answer: SAMPLE_ANSWER }, { id: "@x", principle: "ownership", answer: "" }];
    const res = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rows) });
    const { id } = (await res.json()) as { id: string };
    await waitDone(base, id);
    const csv = await (await fetch(`${base}/v1/batches/${id}/results`, { headers: { accept: "text/csv" } })).text();
    const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.id)).toEqual(["'=cmd|' /C calc'!A0", "'@x"]);
    // JSONL keeps the ids exactly as given.
    const lines = jsonLines(await (await fetch(`${base}/v1/batches/${id}/results`)).text());
    expect(lines.map((l) => l.id)).toEqual(["=cmd|' /C calc'!A0", "@x"]);
  });

  it("rejects other media types, empty and oversized bodies, and unknown jobs with the one error shape", async () => {
    const { base } = await startServer(tempDbFile());
    const text = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(text.status).toBe(415);
    expect(((await text.json()) as any).error.code).toBe("unsupported_media_type");
    const empty = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: "\n" });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error.code).toBe("empty_batch");
    const header = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "text/csv" }, body: "a,b\n1,2\n" });
    expect(header.status).toBe(400);
    expect(((await header.json()) as any).error.code).toBe("invalid_csv_header");
    const huge = await fetch(`${base}/v1/batches`, { method: "POST", headers: { "content-type": "text/csv", "content-length": String(MAX_BATCH_BODY_BYTES + 1) }, body: "x".repeat(MAX_BATCH_BODY_BYTES + 1) });
    expect(huge.status).toBe(413);
    const missing = await fetch(`${base}/v1/batches/job_nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("batch_not_found");
  });

  it("a job stored by a server that stopped continues when the next server starts", async () => {
    const db = tempDbFile();
    const first = await startServer(db, { start: "never" });
    const res = await fetch(`${first.base}/v1/batches`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body: FIXTURE });
    const { id } = (await res.json()) as { id: string };
    expect(((await (await fetch(`${first.base}/v1/batches/${id}`)).json()) as any).counts.pending).toBe(7);
    await servers.pop()!.close();

    const second = await startServer(db);
    expect(await resumeBatches(second.local, () => {})).toEqual([id]);
    expect((await waitDone(second.base, id)).counts).toEqual({ total: 9, pending: 0, done: 7, error: 2 });
  });
});
