/**
 * The real Worker (src/worker.ts via wrangler.toml) in local workerd with a local D1 migrated by
 * `wrangler d1 migrations apply --local`, its model base URL on the loopback mock server. Runs the
 * shared API contract, then checks it answers bad input exactly like the Node server and grades
 * offline too.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { createApp } from "../src/http/app.js";
import type { AppDeps } from "../src/http/context.js";
import { createNodeDeps } from "../src/node-deps.js";
import { BAD_REQUESTS, defineApiContract, send, type ContractTarget } from "./api-contract.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { startOpenAiServer, type OpenAiServer } from "./support/openai-server.js";
import { startLocalWorker, type LocalWorker } from "./support/worker.js";

// A fresh Worker parses the NLP model (about 5 MB of JSON) on its first request: about half a
// second on a quiet machine, many times that on a loaded 2-core one.
vi.setConfig({ testTimeout: 60_000 });

let model: OpenAiServer;
let worker: LocalWorker;
let target: ContractTarget;
let node: { server: ServerType; deps: AppDeps; baseUrl: string };

beforeAll(async () => {
  model = await startOpenAiServer();
  // No rate limit: the contract suite grades more than the default 30 answers a minute.
  const vars = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseURL, STARCOACH_MODEL_RETRIES: "0", STARCOACH_RATE_LIMIT: "0" };
  worker = await startLocalWorker(vars);
  target = { baseUrl: worker.url, model };
  // The Node server with the same settings, to compare answers byte for byte.
  const deps = await createNodeDeps(loadConfig({ ...vars, STARCOACH_DB: tempDbFile() }));
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  node = { server, deps, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  if (node) {
    await new Promise((resolve) => node.server.close(resolve));
    await node.deps.store.close();
  }
  await model?.close();
});

defineApiContract("the Worker (workerd + local D1)", () => target);

describe("the Worker against the Node server", () => {
  it("bundles the same rubric: same prompt version and model", async () => {
    const [w, n] = await Promise.all([send(worker.url, { method: "GET", path: "/healthz" }), send(node.baseUrl, { method: "GET", path: "/healthz" })]);
    expect(w.body).toEqual(n.body);
  });

  it("answers every bad request with the same status and body as Node", async () => {
    for (const r of BAD_REQUESTS) {
      const [w, n] = await Promise.all([send(worker.url, r), send(node.baseUrl, r)]);
      expect({ name: r.name, ...w }).toEqual({ name: r.name, ...n });
    }
  });

  it("grades the same answer to the same feedback apart from id, time and latency", async () => {
    const body = { answer: `${SAMPLE_ANSWER} Parity.`, principle: "earn-trust", question: "When did you earn trust?" };
    const req = { method: "POST", path: "/v1/grade", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    const [w, n] = await Promise.all([send(worker.url, req), send(node.baseUrl, req)]);
    const strip = (f: any) => ({ ...f, id: null, createdAt: null, storyId: null, meta: { ...f.meta, latencyMs: null } });
    expect(w.status).toBe(200);
    expect(strip(w.body)).toEqual(strip(n.body));
  });
});

describe("rewrites on the Worker", () => {
  it("rewrites with the model, keeps the rewrite in D1 and serves it from there", async () => {
    const graded = await send(worker.url, { method: "POST", path: "/v1/grade", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: `${SAMPLE_ANSWER} Rewrite.`, principle: "ownership" }) });
    const first = await send(worker.url, { method: "POST", path: `/v1/gradings/${graded.body.id}/rewrite` });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ gradingId: graded.body.id, dropped: 0, meta: { mode: "llm", cached: false } });
    expect(first.body.text).toContain("I analyzed two weeks of traces");
    const calls = model.calls.length;
    const again = await send(worker.url, { method: "POST", path: `/v1/gradings/${graded.body.id}/rewrite` });
    expect(again.body).toEqual({ ...first.body, meta: { ...first.body.meta, cached: true } });
    expect(model.calls.length).toBe(calls);
    expect((await send(worker.url, { method: "POST", path: "/v1/gradings/nope/rewrite" })).status).toBe(404);
  });
});

describe("the Worker in offline mode", () => {
  it("grades with the rules when STARCOACH_OFFLINE=1, on the same D1", async () => {
    await worker.worker.patchConfig({ bindings: { STARCOACH_OFFLINE: { type: "plain_text", value: "1" } } });
    // The reload is asynchronous: wait until the new isolate reports offline mode.
    for (let i = 0; i < 100; i++) {
      const health = await send(worker.url, { method: "GET", path: "/healthz" }).catch(() => null);
      if (health?.body?.mode === "offline") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const calls = model.calls.length;
    const res = await send(worker.url, { method: "POST", path: "/v1/grade", headers: { "content-type": "application/json" }, body: JSON.stringify({ answer: SAMPLE_ANSWER, principle: "ownership" }) });
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ mode: "offline", model: null });
    expect(res.body.meta.notice).toMatch(/OPENAI_API_KEY/);
    expect(model.calls.length).toBe(calls);
    const stored = await send(worker.url, { method: "GET", path: `/v1/gradings/${res.body.id}` });
    expect(stored.body).toEqual(res.body);
    // History from the LLM-mode part of this file is still there: the same persisted D1.
    const list = await send(worker.url, { method: "GET", path: "/v1/gradings?limit=200" });
    expect(list.body.items.some((i: { mode: string }) => i.mode === "llm")).toBe(true);
  });
});
