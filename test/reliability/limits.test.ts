/**
 * What the limits count and how their refusals reach people: the rate limit's scope (model calls,
 * or everything when the server is shared), refusals in the web form, gradings cancelled when the
 * client goes away, batch rows inside the grading gate and the per-client budget of batch rows.
 * In-process through the real app, the model mocked by MSW. The socket-level check of the same
 * (model calls in flight against a real server process) is in abuse.reliability.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createGate } from "../../src/http/middleware/concurrency.js";
import { llmGrader, SAMPLE_ANSWER, useOpenAiMock } from "../support/app.js";
import { createOpenAiMock, modelGrade } from "../support/openai-mock.js";
import { streamingLlmGrader } from "../support/web.js";
import { buildSecureApp, heldGrader, TOKEN } from "./support.js";

const mock = createOpenAiMock();
useOpenAiMock(mock, { beforeAll, afterEach, afterAll });

type App = ReturnType<typeof buildSecureApp>["app"];
const JSON_HEADERS = { "content-type": "application/json" };
let n = 0;
/** A distinct answer each time, so no grading comes from the cache. */
const answer = () => SAMPLE_ANSWER.replace("Acme", `Acme ${++n}`);
const gradeJson = (app: App, text = answer()) => app.request("/v1/grade", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ answer: text, principle: "ownership" }) });
const formPost = (app: App, fields: Record<string, string>, origin = "http://localhost") =>
  app.request("/grade", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: new URLSearchParams({ principle: "ownership", question: "", ...fields }).toString() });
const statuses = async (requests: Array<() => Promise<Response> | Response>) => {
  const out: number[] = [];
  for (const r of requests) out.push((await r()).status);
  return out;
};

describe("what the rate limit counts", () => {
  it("does not count the owner's offline gradings on loopback without a token (form and API)", async () => {
    const { app } = buildSecureApp({ security: { rateLimitPerMinute: 3 } });
    expect(await statuses(Array.from({ length: 6 }, () => () => gradeJson(app)))).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await statuses(Array.from({ length: 3 }, () => () => formPost(app, { answer: answer() })))).toEqual([303, 303, 303]);
  });

  it("counts gradings that call the model, on loopback too", async () => {
    mock.always(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const { app } = buildSecureApp({ grader: await llmGrader(), security: { rateLimitPerMinute: 3 } });
    expect(await statuses(Array.from({ length: 4 }, () => () => gradeJson(app)))).toEqual([200, 200, 200, 429]);
  });

  it("counts offline gradings as well with a token, on a public address or on Workers", () => {
    const counts = (env: Record<string, string>, runtime?: "workers") => loadConfig(env, runtime).security.rateLimitOffline;
    expect(counts({})).toBe(false);
    expect(counts({ STARCOACH_API_TOKEN: TOKEN })).toBe(true);
    expect(counts({ HOST: "0.0.0.0" })).toBe(true);
    expect(counts({}, "workers")).toBe(true);
  });
});

describe("refusals in the web form keep the typed text", () => {
  const typed = `${SAMPLE_ANSWER} <b>kept & escaped</b>`;
  const keeps = async (res: Response) => {
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/^\{"error"/);
    expect(html).toContain("&lt;b&gt;kept &amp; escaped&lt;/b&gt;");
    return html;
  };

  it("429: the form again with the answer, the message and Retry-After, not JSON", async () => {
    const { app } = buildSecureApp({ security: { rateLimitPerMinute: 1, rateLimitOffline: true } });
    expect((await formPost(app, { answer: answer() })).status).toBe(303);
    const limited = await formPost(app, { answer: typed });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await keeps(limited)).toContain("Too many gradings");
  });

  it("503: the form again when every slot is taken and the queue is full", async () => {
    const grader = heldGrader();
    const { app } = buildSecureApp({ grader, security: { maxConcurrent: 1, maxQueue: 0, rateLimitPerMinute: 0 } });
    const running = formPost(app, { answer: answer() });
    await expect.poll(() => grader.started).toBe(1);
    const busy = await formPost(app, { answer: typed });
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBeTruthy();
    expect(await keeps(busy)).toContain("busy");
    grader.release();
    expect((await running).status).toBe(303);
  });

  it("403: a post from another origin shows the form again instead of a bare Forbidden", async () => {
    const { app, store } = buildSecureApp();
    const cross = await formPost(app, { answer: typed }, "https://elsewhere.example");
    expect(cross.status).toBe(403);
    expect(await keeps(cross)).toContain("another site");
    expect(await store.listGradings({ limit: 5 })).toEqual([]);
  });

  it("the Random question button counts against no limit", async () => {
    const { app } = buildSecureApp({ security: { rateLimitPerMinute: 2, rateLimitOffline: true } });
    expect(await statuses(Array.from({ length: 5 }, () => () => formPost(app, { answer: "", intent: "random" })))).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses([() => formPost(app, { answer: answer() }), () => formPost(app, { answer: answer() })])).toEqual([303, 303]);
  });
});

describe("a client that goes away cancels its grading", () => {
  it("a stream aborted mid-grading cancels the model call, stores nothing and frees the slot", async () => {
    const text = answer();
    mock.reply({ kind: "delay", ms: 1_500, content: JSON.stringify(modelGrade(text)) });
    const { app, gate, store } = buildSecureApp({ grader: await streamingLlmGrader({ maxRetries: 0 }), security: { rateLimitPerMinute: 0 } });
    const client = new AbortController();
    const res = await app.request(
      new Request("http://localhost/v1/grade/stream", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify({ answer: text, principle: "ownership" }), signal: client.signal }),
    );
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("event: analysis");
    await expect.poll(() => mock.calls.length).toBe(1);
    expect(gate.stats().running).toBe(1);
    client.abort();
    await expect.poll(() => gate.stats().running, { timeout: 1_000 }).toBe(0);
    // Long after the model would have answered: nothing was stored and no fallback call was made.
    await new Promise((r) => setTimeout(r, 1_800));
    expect(await store.listGradings({ limit: 5 })).toEqual([]);
    expect(mock.calls).toHaveLength(1);
  });
});

describe("batch rows inside the grading gate", () => {
  it("batch rows take at most the batch share; people get the free slots first", async () => {
    const gate = createGate({ maxConcurrent: 4, maxQueue: 8, queueTimeoutMs: 5_000 });
    expect(gate.batchCapacity).toBe(3);
    const batch = await Promise.all([1, 2, 3].map(() => gate.acquire("batch")));
    expect(batch.every((s) => s.ok)).toBe(true);
    let fourth = false;
    const waitingRow = gate.acquire("batch").then((s) => ((fourth = true), s));
    // The slot kept for people is free although a batch row waits.
    const person = await gate.acquire();
    expect(person.ok).toBe(true);
    expect(gate.stats()).toMatchObject({ running: 4, batchRunning: 3, batchQueued: 1 });
    const queuedPerson = gate.acquire();
    expect(gate.stats()).toMatchObject({ queued: 1, batchQueued: 1 });
    // A freed slot goes to the waiting person, not to the waiting batch row…
    if (batch[0]!.ok) batch[0]!.release();
    const second = await queuedPerson;
    expect(second.ok).toBe(true);
    expect(fourth).toBe(false);
    // …and a batch row starts only while a slot stays free for people (3 running of 4 is not enough).
    if (person.ok) person.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(fourth).toBe(false);
    if (second.ok) second.release();
    expect((await waitingRow).ok).toBe(true);
    expect(gate.stats()).toMatchObject({ running: 3, batchRunning: 3 });
    expect([createGate({ maxConcurrent: 1, maxQueue: 0, queueTimeoutMs: 1 }).batchCapacity, createGate({ maxConcurrent: 2, maxQueue: 0, queueTimeoutMs: 1 }).batchCapacity, createGate({ maxConcurrent: 16, maxQueue: 0, queueTimeoutMs: 1 }).batchCapacity]).toEqual([1, 1, 12]);
  });

  it("a running batch leaves room for an interactive grading, and shutdown turns waiting rows away", async () => {
    const grader = heldGrader();
    const { app, gate, batches } = buildSecureApp({ grader, batches: true, security: { maxConcurrent: 4, rateLimitPerMinute: 0 } });
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `r${i}`, principle: "ownership", answer: answer() }));
    const res = await app.request("/v1/batches", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(rows) });
    expect(res.status).toBe(202);
    // The runner's 8 row workers (2 for each of its 4 model calls) hold 3 slots (the batch share) and 5 wait.
    await expect.poll(() => gate.stats()).toMatchObject({ running: 3, batchRunning: 3, batchQueued: 5 });
    const interactive = gradeJson(app);
    await expect.poll(() => grader.started).toBe(4);
    expect(gate.stats()).toMatchObject({ running: 4, batchRunning: 3 });
    const releaser = setInterval(() => grader.release(), 5);
    expect((await interactive).status).toBe(200);
    batches!.stop();
    await batches!.idle();
    clearInterval(releaser);
    expect(gate.stats()).toMatchObject({ running: 0, batchRunning: 0 });
  });
});

describe("per-client budget of batch rows", () => {
  const upload = (app: App, count: number) =>
    app.request("/v1/batches", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: `row-${i}`, principle: "ownership", answer: answer() }))) });

  it("counts rows against the client's hourly budget: 429 batch_rows_limited with Retry-After, and the refused upload is not stored", async () => {
    const { app, batches } = buildSecureApp({ batches: true, security: { batchRowsPerHour: 10, rateLimitOffline: true, rateLimitPerMinute: 0 } });
    expect((await upload(app, 8)).status).toBe(202);
    const over = await upload(app, 5);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const error = ((await over.json()) as any).error;
    expect(error.code).toBe("batch_rows_limited");
    expect(error.message).toMatch(/10 rows an hour, 2 left/);
    expect((await upload(app, 2)).status).toBe(202);
    await batches!.idle();
    expect((await batches!.store.listJobs(["ready", "done", "ingesting"])).length).toBe(2);
  });

  it("an upload larger than the whole budget is told to split", async () => {
    const { app } = buildSecureApp({ batches: true, security: { batchRowsPerHour: 10, rateLimitOffline: true } });
    const over = await upload(app, 12);
    expect(over.status).toBe(429);
    expect(((await over.json()) as any).error.message).toMatch(/split it into parts of at most 10 rows/);
  });

  it("does not count the owner's offline batches on loopback", async () => {
    const { app } = buildSecureApp({ batches: true, security: { batchRowsPerHour: 10 } });
    expect((await upload(app, 12)).status).toBe(202);
    expect((await upload(app, 12)).status).toBe(202);
  });
});
