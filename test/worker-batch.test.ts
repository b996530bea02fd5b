/**
 * Batch grading on the Worker through the local Cloudflare Queue: rows stored in local D1, one
 * message per row, graded by the real queue consumer (src/batch/queue.ts) against the loopback
 * mock model, with per-row retries and per-row status written back to D1.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { SAMPLE_ANSWER } from "./support/app.js";
import { startOpenAiServer, type OpenAiServer } from "./support/openai-server.js";
import { startLocalWorker, type LocalWorker } from "./support/worker.js";

let model: OpenAiServer;
let worker: LocalWorker;

beforeAll(async () => {
  model = await startOpenAiServer();
  worker = await startLocalWorker(
    // Retry delay 0 s so the test does not wait out real backoff.
    { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseURL, STARCOACH_MODEL_RETRIES: "0", STARCOACH_QUEUE_RETRY_SECONDS: "0" },
  );
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await model?.close();
});

it("grades a small batch through the queue to completion, retrying transient failures per row", async () => {
  const rows = [
    { id: "a", principle: "ownership", question: null, answer: `${SAMPLE_ANSWER} Row A.` },
    { id: "b", principle: "Dive Deep", question: "Tell me about a deep dive.", answer: `${SAMPLE_ANSWER} Row B.` },
    { id: "flaky", principle: "ownership", question: null, answer: `${SAMPLE_ANSWER} MOCK_FLAKY row.` },
    { id: "down", principle: "ownership", question: null, answer: `${SAMPLE_ANSWER} MOCK_HTTP_500 row.` },
    { id: "bad", principle: "be nice", question: null, answer: SAMPLE_ANSWER },
    { id: "c", principle: "earn-trust", question: null, answer: `${SAMPLE_ANSWER} Row C.` },
  ];
  // The same public route as on Node: rows go to D1, one queue message per row.
  const post = await fetch(`${worker.url}/v1/batches`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rows) });
  expect(post.status).toBe(202);
  const { id } = (await post.json()) as { id: string };

  let state: any;
  // Each redelivery waits out max_batch_timeout (2 s); the failing row is delivered 4 times.
  for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
    state = await (await fetch(`${worker.url}/v1/batches/${id}`)).json();
    if (state.status === "done") break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(state.status, JSON.stringify(state.counts)).toBe("done");
  expect(state.counts).toEqual({ total: 6, pending: 0, done: 4, error: 2 });
  const results = (await (await fetch(`${worker.url}/v1/batches/${id}/results`, { headers: { accept: "application/x-ndjson" } })).text())
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  expect(results.map((r: any) => r.id)).toEqual(["a", "b", "flaky", "down", "bad", "c"]);
  const byId = Object.fromEntries(results.map((r: any) => [r.id, r]));
  for (const ok of ["a", "b", "flaky", "c"]) expect(byId[ok].feedback.meta.mode).toBe("llm");
  expect(byId.b.feedback.principle.id).toBe("dive-deep");
  expect(byId.down.error.code).toBe("model_unavailable");
  expect(byId.bad.error.code).toBe("unknown_principle");

  // The flaky row took two model calls; the dead one was tried QUEUE_MAX_ATTEMPTS (4) times.
  const callsFor = (marker: string) => model.calls.filter((c) => JSON.stringify(c.body.messages).includes(marker)).length;
  expect(callsFor("MOCK_FLAKY row")).toBe(2);
  expect(callsFor("MOCK_HTTP_500 row")).toBe(4);

  // Graded rows are ordinary gradings: readable through the normal API.
  const stored = await fetch(`${worker.url}/v1/gradings/${byId.a.feedback.id}`);
  expect(stored.status).toBe(200);
  const report = await fetch(`${worker.url}/v1/batches/${id}/report`);
  expect(report.headers.get("content-type")).toMatch(/text\/html/);
  expect(await report.text()).toContain("Coverage of the 16 Leadership Principles");

  // Deleting on D1: the batch with the gradings it created, then everything (with confirmation).
  expect((await fetch(`${worker.url}/v1/batches/${id}`, { method: "DELETE" })).status).toBe(204);
  expect((await fetch(`${worker.url}/v1/batches/${id}`)).status).toBe(404);
  expect((await fetch(`${worker.url}/v1/gradings/${byId.a.feedback.id}`)).status).toBe(404);
  const single = await fetch(`${worker.url}/v1/grade`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ principle: "ownership", answer: `${SAMPLE_ANSWER} Alone.` }) });
  expect(single.status).toBe(200);
  expect((await fetch(`${worker.url}/v1/gradings`, { method: "DELETE" })).status).toBe(400);
  const wiped = await fetch(`${worker.url}/v1/gradings?confirm=all-my-data`, { method: "DELETE" });
  expect(await wiped.json()).toEqual({ deleted: { gradings: 1, batchJobs: 0 } });
}, 60_000);
