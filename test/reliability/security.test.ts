/**
 * Access token, rate limit, grading gate, secure headers, CORS and structured logs, through the
 * real app (app.request: no sockets, fast). The socket-level suites are in *.reliability.ts.
 */
import { serve } from "@hono/node-server";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { CSP } from "../../src/http/middleware/headers.js";
import { createRateLimiter } from "../../src/http/middleware/rate-limit.js";
import { memorySessions } from "../../src/http/middleware/sessions.js";
import { forwardedEntry, redactor, timingSafeEqual } from "../../src/http/middleware/util.js";
import { SAMPLE_ANSWER } from "../support/app.js";
import { send } from "./http-client.js";
import { buildSecureApp, heldGrader, TOKEN } from "./support.js";

const JSON_HEADERS = { "content-type": "application/json" };
const body = JSON.stringify({ answer: SAMPLE_ANSWER, principle: "ownership" });
const post = (headers: Record<string, string> = {}) => ({ method: "POST", headers: { ...JSON_HEADERS, ...headers }, body });

describe("access token", () => {
  const { app } = buildSecureApp({ security: { apiToken: TOKEN } });

  it("401s every /v1 route without the token, with the error shape and WWW-Authenticate", async () => {
    for (const [path, init] of [["/v1/principles", {}], ["/v1/gradings", {}], ["/v1/grade", post()], ["/v1/grade/stream", post()]] as const) {
      const res = await app.request(path, init);
      expect(res.status, path).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await res.json()) as unknown).toEqual({ error: { code: "unauthorized", message: expect.stringContaining("Authorization: Bearer") } });
    }
  });

  it("rejects a wrong, empty or prefix token and accepts the right one", async () => {
    for (const bad of ["Bearer wrong", "Bearer ", `Bearer ${TOKEN.slice(0, -1)}`, `Bearer ${TOKEN}x`, TOKEN, `Basic ${btoa(`u:${TOKEN}`)}`]) {
      expect((await app.request("/v1/principles", { headers: { authorization: bad } })).status, bad).toBe(401);
    }
    expect((await app.request("/v1/principles", { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await app.request("/v1/grade", post({ authorization: `bearer ${TOKEN}` }))).status).toBe(200);
  });

  it("keeps health, assets, docs and the login form open", async () => {
    for (const path of ["/healthz", "/docs", "/openapi.json", "/login"]) expect((await app.request(path)).status, path).toBe(200);
  });

  it("shows the login form with 401 on pages, and the cookie from it opens pages and the API", async () => {
    const page = await app.request("/history");
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('action="/login"');
    expect(html).toContain('value="/history"');

    const origin = "http://localhost";
    const wrong = await app.request("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: "token=nope&next=%2Fhistory" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();

    const ok = await app.request("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin }, body: `token=${TOKEN}&next=%2Fhistory` });
    expect(ok.status).toBe(303);
    expect(ok.headers.get("location")).toBe("/history");
    const setCookie = ok.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^starcoach_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(";")[0]!;
    expect((await app.request("/history", { headers: { cookie } })).status).toBe(200);
    expect((await app.request("/v1/gradings", { headers: { cookie } })).status).toBe(200);
    expect((await app.request("/history", { headers: { cookie: "starcoach_session=forged" } })).status).toBe(401);
  });

  it("refuses a cross-site login post and an open redirect", async () => {
    const cross = await app.request("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" }, body: `token=${TOKEN}` });
    expect(cross.status).toBe(403);
    const redirect = await app.request("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" }, body: `token=${TOKEN}&next=%2F%2Fevil.example` });
    expect(redirect.headers.get("location")).toBe("/");
  });

  it("compares in constant time without length or prefix shortcuts (results)", async () => {
    expect(await timingSafeEqual("abc", "abc")).toBe(true);
    expect(await timingSafeEqual("abc", "abd")).toBe(false);
    expect(await timingSafeEqual("abc", "abcd")).toBe(false);
    expect(await timingSafeEqual("", "a")).toBe(false);
  });
});

describe("brute force and client identity", () => {
  const loginForm = (token: string, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", ...headers },
    body: `token=${encodeURIComponent(token)}&next=%2F`,
  });

  it("limits wrong bearer tokens per client with 429 + Retry-After, and the right token still passes", async () => {
    const { app } = buildSecureApp({ security: { apiToken: TOKEN, trustProxy: 1 } });
    const as = (ip: string, token: string) => ({ headers: { authorization: `Bearer ${token}`, "x-forwarded-for": ip } });
    for (let i = 0; i < 10; i++) expect((await app.request("/v1/gradings", as("10.0.0.1", `guess-${i}`))).status).toBe(401);
    const limited = await app.request("/v1/gradings", as("10.0.0.1", "guess-10"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as any).error.code).toBe("too_many_auth_failures");
    expect((await app.request("/v1/gradings", as("10.0.0.1", TOKEN))).status).toBe(200);
    expect((await app.request("/v1/gradings", as("10.0.0.2", "guess"))).status).toBe(401);
    // A request without any token is not a guess.
    expect((await app.request("/v1/gradings", { headers: { "x-forwarded-for": "10.0.0.3" } })).status).toBe(401);
  });

  it("a brute-forcer on the same address cannot lock the owner out of the login form", async () => {
    const { app } = buildSecureApp({ security: { apiToken: TOKEN } });
    for (let i = 0; i < 10; i++) expect((await app.request("/login", loginForm(`guess-${i}`))).status).toBe(401);
    const limited = await app.request("/login", loginForm("guess-10"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect(await limited.text()).toContain("Too many wrong tokens");
    const owner = await app.request("/login", loginForm(TOKEN));
    expect(owner.status).toBe(303);
    expect(owner.headers.get("set-cookie")).toMatch(/^starcoach_session=/);
  });

  it("takes the client from the right-most X-Forwarded-For entry the trusted proxies wrote, not the client's own", async () => {
    const { app } = buildSecureApp({ security: { rateLimitPerMinute: 3, rateLimitOffline: true, trustProxy: 1 } });
    // The proxy appends the real address (10.0.0.7); the client varies the entry it sends itself.
    const spoofed = (i: number) => post({ "x-forwarded-for": `203.0.113.${i}, 10.0.0.7` });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.request("/v1/grade", spoofed(i))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await app.request("/v1/grade", post({ "x-forwarded-for": "203.0.113.1, 10.0.0.8" }))).status).toBe(200);
  });

  it("reads the entry of the outermost trusted proxy when there are several", () => {
    expect(forwardedEntry("spoof, 198.51.100.4, 10.0.0.2", 2)).toBe("198.51.100.4");
    expect(forwardedEntry("spoof, 198.51.100.4", 1)).toBe("198.51.100.4");
    expect(forwardedEntry("198.51.100.4", 3)).toBe("198.51.100.4");
    expect(forwardedEntry("198.51.100.4", 0)).toBeUndefined();
    expect(loadConfig({ STARCOACH_TRUST_PROXY: "true" }).security.trustProxy).toBe(1);
    expect(loadConfig({ STARCOACH_TRUST_PROXY: "2" }).security.trustProxy).toBe(2);
    expect(() => loadConfig({ STARCOACH_TRUST_PROXY: "yes" })).toThrow(/STARCOACH_TRUST_PROXY/);
  });
});

describe("sessions behind a TLS proxy", () => {
  const login = (app: ReturnType<typeof buildSecureApp>["app"], headers: Record<string, string> = {}) =>
    app.request("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", ...headers }, body: `token=${TOKEN}&next=%2Fhistory` });
  const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

  it("marks the cookie Secure and sends HSTS when a trusted proxy says the client used HTTPS", async () => {
    const { app } = buildSecureApp({ security: { apiToken: TOKEN, trustProxy: 1 } });
    const res = await login(app, { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.7" });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    const page = await app.request("/healthz", { headers: { "x-forwarded-proto": "https" } });
    expect(page.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("ignores X-Forwarded-Proto from a client when no proxy is trusted", async () => {
    const { app } = buildSecureApp({ security: { apiToken: TOKEN } });
    const res = await login(app, { "x-forwarded-proto": "https" });
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/i);
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("gives every login its own session value, and logout revokes it", async () => {
    const { app } = buildSecureApp({ security: { apiToken: TOKEN } });
    const a = cookieOf(await login(app));
    const b = cookieOf(await login(app));
    expect(a).not.toBe(b);
    expect((await app.request("/history", { headers: { cookie: a } })).status).toBe(200);
    const out = await app.request("/logout", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost", cookie: a } });
    expect(out.status).toBe(303);
    // A copy of the cookie kept after logout opens nothing; the other login is untouched.
    expect((await app.request("/history", { headers: { cookie: a } })).status).toBe(401);
    expect((await app.request("/v1/gradings", { headers: { cookie: a } })).status).toBe(401);
    expect((await app.request("/history", { headers: { cookie: b } })).status).toBe(200);
  });

  it("expires sessions and keeps the table bounded", () => {
    let t = 0;
    const sessions = memorySessions({ maxAgeMs: 1_000, maxSessions: 50, now: () => t });
    const id = sessions.create();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.has(id)).toBe(true);
    t += 1_001;
    expect(sessions.has(id)).toBe(false);
    for (let i = 0; i < 500; i++) sessions.create();
    expect(sessions.size).toBe(50);
  });
});

describe("no token configured", () => {
  it("serves /v1 and pages without credentials and has no login route", async () => {
    const { app } = buildSecureApp();
    expect((await app.request("/v1/principles")).status).toBe(200);
    expect((await app.request("/login")).status).toBe(404);
  });
});

describe("DNS rebinding: only the server's own names are answered", () => {
  const form = (origin: string) => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, "sec-fetch-site": "same-origin" },
    body: `principle=ownership&question=&answer=${encodeURIComponent(SAMPLE_ANSWER)}`,
  });

  it("refuses a rebound name with 421 host_not_allowed: no history read, no delete, no form post", async () => {
    const { app, store } = buildSecureApp();
    const graded = await app.request("/v1/grade", post());
    const { id } = (await graded.json()) as { id: string };
    const evil = "http://evil.example:8787";
    const read = await app.request(`${evil}/v1/gradings`);
    expect(read.status).toBe(421);
    const error = ((await read.json()) as any).error;
    expect(error.code).toBe("host_not_allowed");
    expect(error.message).toContain("STARCOACH_ALLOWED_HOSTS");
    expect((await app.request(`${evil}/v1/gradings/${id}`, { method: "DELETE" })).status).toBe(421);
    expect((await app.request(`${evil}/grade`, form(evil))).status).toBe(421);
    expect((await app.request(`${evil}/`)).status).toBe(421);
    expect(await store.getGrading(id)).not.toBeNull();
  });

  it("answers localhost, IP addresses and the names in STARCOACH_ALLOWED_HOSTS", async () => {
    const { app } = buildSecureApp({ security: { allowedHosts: ["coach.example", "lan.example:8443"] } });
    for (const base of ["http://localhost:8787", "http://127.0.0.1:8787", "http://[::1]:8787", "http://192.168.1.20:8787", "http://coach.example", "https://coach.example:9000", "https://lan.example:8443"]) {
      expect((await app.request(`${base}/v1/principles`)).status, base).toBe(200);
    }
    for (const base of ["http://lan.example:8787", "http://coach.example.evil.example", "http://localhost.evil.example:8787"]) {
      expect((await app.request(`${base}/v1/principles`)).status, base).toBe(421);
    }
    const local = "http://127.0.0.1:8787";
    expect((await app.request(`${local}/grade`, form(local))).status).toBe(303);
  });

  it("checks the Host header a real socket carries", async () => {
    const { app } = buildSecureApp();
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      expect((await send(base, "GET", "/v1/gradings", { host: "evil.example" })).status).toBe(421);
      expect((await send(base, "GET", "/v1/gradings", {})).status).toBe(200);
    } finally {
      server.close();
    }
  });

  it("is on for a Node server without a token or on loopback, off on Workers, the operator's choice with a token on a public address", () => {
    const hosts = (env: Record<string, string>, runtime?: "workers") => loadConfig(env, runtime).security.allowedHosts;
    expect(hosts({})).toEqual([]);
    expect(hosts({ HOST: "0.0.0.0" })).toEqual([]);
    expect(hosts({ STARCOACH_API_TOKEN: TOKEN })).toEqual([]);
    expect(hosts({ HOST: "0.0.0.0", STARCOACH_API_TOKEN: TOKEN })).toBeNull();
    expect(hosts({ HOST: "0.0.0.0", STARCOACH_API_TOKEN: TOKEN, STARCOACH_ALLOWED_HOSTS: "Coach.Example, coach.example:8443" })).toEqual(["coach.example", "coach.example:8443"]);
    expect(hosts({ STARCOACH_ALLOWED_HOSTS: "*" })).toBeNull();
    expect(hosts({}, "workers")).toBeNull();
    expect(() => loadConfig({ STARCOACH_ALLOWED_HOSTS: "https://coach.example/" })).toThrow(/STARCOACH_ALLOWED_HOSTS/);
  });
});

describe("per-client rate limit on grading", () => {
  it("answers 429 with Retry-After and the error shape once the bucket is empty, per client", async () => {
    const { app } = buildSecureApp({ security: { rateLimitPerMinute: 3, rateLimitOffline: true, trustProxy: 1 } });
    const as = (ip: string) => post({ "x-forwarded-for": ip });
    for (let i = 0; i < 3; i++) expect((await app.request("/v1/grade", as("10.0.0.1"))).status).toBe(200);
    const limited = await app.request("/v1/grade", as("10.0.0.1"));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as any).error.code).toBe("rate_limited");
    expect((await app.request("/v1/grade/stream", as("10.0.0.1"))).status).toBe(429);
    expect((await app.request("/v1/grade", as("10.0.0.2"))).status).toBe(200);
    // Reads are not limited.
    expect((await app.request("/v1/principles", { headers: { "x-forwarded-for": "10.0.0.1" } })).status).toBe(200);
  });

  it("refills over time and keeps its client table bounded", () => {
    let t = 0;
    const limiter = createRateLimiter({ limit: 60, maxClients: 100, now: () => t });
    for (let i = 0; i < 60; i++) expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(1);
    t += 1000;
    expect(limiter.take("a")).toBe(0);
    for (let i = 0; i < 10_000; i++) limiter.take(`client-${i}`);
    expect(limiter.size).toBe(100);
  });
});

describe("cap on concurrent gradings with a bounded queue", () => {
  it("runs maxConcurrent, queues maxQueue, answers 503 + Retry-After beyond, then serves the queue", async () => {
    const grader = heldGrader();
    const { app, gate } = buildSecureApp({ grader, security: { maxConcurrent: 2, maxQueue: 2, rateLimitPerMinute: 0 } });
    const first = Array.from({ length: 4 }, () => app.request("/v1/grade", post()));
    await expect.poll(() => gate.stats()).toMatchObject({ running: 2, queued: 2 });
    const rejected = await app.request("/v1/grade", post());
    expect(rejected.status).toBe(503);
    expect(Number(rejected.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await rejected.json()) as any).error.code).toBe("server_busy");
    expect(grader.started).toBe(2);
    const releaser = setInterval(() => grader.release(), 10);
    const statuses = (await Promise.all(first)).map((r) => r.status);
    clearInterval(releaser);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(gate.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("gives a queued grading 503 after the queue timeout", async () => {
    const grader = heldGrader(2_000);
    const { app } = buildSecureApp({ grader, security: { maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 150, rateLimitPerMinute: 0 } });
    const running = app.request("/v1/grade", post());
    await expect.poll(() => grader.started).toBe(1);
    const queued = await app.request("/v1/grade", post());
    expect(queued.status).toBe(503);
    expect(queued.headers.get("retry-after")).toBeTruthy();
    grader.release();
    expect((await running).status).toBe(200);
  });

  it("drains: refuses new requests with 503 shutting_down and resolves once in-flight work ends", async () => {
    const grader = heldGrader();
    const { app, gate } = buildSecureApp({ grader, security: { rateLimitPerMinute: 0 } });
    const inflight = app.request("/v1/grade", post());
    await expect.poll(() => grader.started).toBe(1);
    const drained = gate.drain(5_000);
    const refused = await app.request("/v1/principles");
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).error.code).toBe("shutting_down");
    grader.release();
    expect((await inflight).status).toBe(200);
    expect(await drained).toBe(true);
  });
});

describe("secure headers and CORS", () => {
  it("sends the CSP and hardening headers on pages, API answers and errors", async () => {
    const { app } = buildSecureApp();
    for (const path of ["/", "/history", "/v1/principles", "/nope", "/docs"]) {
      const res = await app.request(path);
      expect(res.headers.get("content-security-policy"), path).toBe(CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(CSP).toMatch(/script-src 'self'(;|$)/);
    expect(CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|style-src-elem[^;]*unsafe-inline/);
  });

  it("keeps CORS off by default: no Access-Control headers, preflight not allowed", async () => {
    const { app } = buildSecureApp();
    const res = await app.request("/v1/principles", { headers: { origin: "https://other.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const pre = await app.request("/v1/grade", { method: "OPTIONS", headers: { origin: "https://other.example", "access-control-request-method": "POST" } });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the configured origins, preflight included, even with a token", async () => {
    const { app } = buildSecureApp({ security: { corsOrigins: ["https://ok.example"], apiToken: TOKEN } });
    const pre = await app.request("/v1/grade", { method: "OPTIONS", headers: { origin: "https://ok.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://ok.example");
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    const other = await app.request("/v1/principles", { headers: { origin: "https://evil.example", authorization: `Bearer ${TOKEN}` } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the batch report under the CSP", () => {
  it("allows exactly the report's inline stylesheet, by its hash, on the report alone", async () => {
    const { app, batches } = buildSecureApp({ batches: true });
    const created = await app.request("/v1/batches", { method: "POST", headers: JSON_HEADERS, body: JSON.stringify([{ id: "a", principle: "ownership", answer: SAMPLE_ANSWER }]) });
    const { id } = (await created.json()) as { id: string };
    await batches!.idle();
    const report = await app.request(`/v1/batches/${id}/report`);
    const html = await report.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = `'sha256-${createHash("sha256").update(styles[0]!).digest("base64")}'`;
    const csp = report.headers.get("content-security-policy")!;
    expect(csp).toMatch(new RegExp(`style-src-elem 'self' ${hash.replace(/[+/]/g, "\\$&")}(;|$)`));
    expect(csp).not.toMatch(/unsafe-inline[^;]*;?\s*style-src-attr|style-src-elem[^;]*unsafe-inline/);
    expect((await app.request("/history")).headers.get("content-security-policy")).toBe(CSP);
  });
});

describe("structured logs", () => {
  it("logs request id, route, status, latency, mode, model and tokens, and no answer text", async () => {
    const { app, logs, lines } = buildSecureApp();
    const res = await app.request("/v1/grade", post({ "x-request-id": "abc-123" }));
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    await app.request("/v1/gradings/missing");
    expect(logs[0]).toMatchObject({ msg: "request", requestId: "abc-123", method: "POST", route: "/v1/grade", status: 200, mode: "offline", model: null, tokens: null, cached: false, principle: expect.any(String), answerChars: SAMPLE_ANSWER.length });
    expect(logs[0]!.latencyMs).toEqual(expect.any(Number));
    expect(logs[1]).toMatchObject({ route: "/v1/gradings/:id", status: 404, errorCode: "not_found" });
    const words = SAMPLE_ANSWER.split(/\s+/).filter((w) => w.length > 6).slice(0, 10);
    for (const line of lines) for (const w of words) expect(line).not.toContain(w);
  });

  it("logs the answer only with STARCOACH_LOG_ANSWERS=1", async () => {
    const { app, logs } = buildSecureApp({ security: { log: { enabled: true, answers: true } } });
    await app.request("/v1/grade", post());
    expect(logs[0]!.answer).toBe(SAMPLE_ANSWER);
  });

  it("redacts secrets and long runs of them", () => {
    const key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    const redact = redactor([key]);
    expect(redact(`key ${key} end`)).toBe("key [redacted] end");
    expect(redact(`Incorrect API key provided: ${key.slice(0, 12)}****${key.slice(-12)}`)).not.toMatch(/ABCDEFGHI|0123456789/);
  });
});
