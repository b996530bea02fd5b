/**
 * GET /v1/doctor on the real app served on a loopback port: the same report as `starcoach doctor`,
 * only to loopback clients (or to token holders when STARCOACH_API_TOKEN is set), never the key;
 * the page's mode badge links to it.
 */
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, securityDefaults } from "../src/config.js";
import { runDoctor } from "../src/grader/doctor.js";
import { createApp } from "../src/http/app.js";
import { buildTestApp } from "./support/app.js";
import { startLocalServer, type LocalServer, type LocalServerTraits } from "./support/local-server.js";

const KEY = "sk-local-0123456789abcdef";
const TOKEN = "t0ken-for-this-test-0123456789";
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setUp(options: { traits?: LocalServerTraits; apiToken?: string; offline?: boolean } = {}) {
  const model: LocalServer = await startLocalServer(options.traits ?? {});
  cleanups.push(() => model.close());
  const config = loadConfig(options.offline ? {} : { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: model.baseURL, STARCOACH_MODEL: "qwen3:8b" });
  const { store, grading } = await buildTestApp();
  const security = { ...securityDefaults(), log: { enabled: false, answers: false }, apiToken: options.apiToken ?? null };
  const app = createApp({ store, grading, security, secrets: [KEY], doctor: () => runDoctor(config) });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { app, model, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A request as it arrives from another machine: @hono/node-server hands the socket over as env.incoming. */
function fromElsewhere(app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) {
  return app.request("/v1/doctor", { headers }, { incoming: { socket: { remoteAddress: "203.0.113.7" } } });
}

describe("GET /v1/doctor", () => {
  it("answers a loopback client with the doctor's report, as JSON, without the key", async () => {
    const { base, model } = await setUp({ traits: { refuses: ["json_schema"] } });
    const res = await fetch(`${base}/v1/doctor`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const text = await res.text();
    expect(text).not.toContain(KEY);
    const report = JSON.parse(text);
    expect(report).toMatchObject({ ok: true, mode: "llm", baseURL: model.baseURL, model: "qwen3:8b", structuredMode: "json_object" });
    expect(report.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(["models:ok", "structured:ok", "transcription:warn"]);
    expect(report.checks[1].summary).toMatch(/json_object mode in \d+ ms/);
  });

  it("a failing check: ok false with the fix, and a key the server echoes is redacted", async () => {
    const { base } = await setUp({ traits: { refuses: ["json_schema", "json_object", "tools"], refusalMessage: "bad request from {token}" } });
    const text = await (await fetch(`${base}/v1/doctor`)).text();
    expect(text).not.toContain(KEY);
    const report = JSON.parse(text);
    expect(report.ok).toBe(false);
    expect(report.checks[1]).toMatchObject({ status: "fail", summary: expect.stringContaining("refused structured output in every mode"), fix: expect.any(String) });
    expect(report.checks[1].summary).toContain('"bad request from [redacted]"');
  });

  it("refuses a client on another machine when no token is set, without calling the model", async () => {
    const { app, model } = await setUp();
    const res = await fromElsewhere(app);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "doctor_local_only", message: expect.stringContaining("STARCOACH_API_TOKEN") } });
    expect(model.calls).toHaveLength(0);
  });

  it("with STARCOACH_API_TOKEN: any client with the token, none without", async () => {
    const { app, base } = await setUp({ apiToken: TOKEN });
    expect((await fromElsewhere(app)).status).toBe(401);
    expect((await fetch(`${base}/v1/doctor`)).status).toBe(401);
    const res = await fromElsewhere(app, { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text).ok).toBe(true);
  });

  it("two requests at once share one probe", async () => {
    const { base, model } = await setUp();
    const [a, b] = await Promise.all([fetch(`${base}/v1/doctor`), fetch(`${base}/v1/doctor`)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(model.calls).toHaveLength(1);
  });

  it("offline: the report says so", async () => {
    const { base } = await setUp({ offline: true });
    const report = await (await fetch(`${base}/v1/doctor`)).json();
    expect(report).toMatchObject({ ok: true, mode: "offline", model: null });
    expect(report.checks[0].summary).toContain("Offline mode");
  });

  it("the page's mode badge links to it, and the API document lists it", async () => {
    const { base } = await setUp();
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toMatch(/<a class="mode mode-offline" href="\/v1\/doctor"/);
    const doc = await (await fetch(`${base}/openapi.json`)).json();
    expect(Object.keys(doc.paths["/v1/doctor"])).toEqual(["get"]);
    expect(doc.components.schemas.DoctorReport).toBeDefined();
  });
});
