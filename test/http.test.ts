import { serve, type ServerType } from "@hono/node-server";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, SAMPLE_ANSWER } from "./support/app.js";

let server: ServerType;
let base: string;
let ctx: Awaited<ReturnType<typeof buildTestApp>>;

beforeAll(async () => {
  ctx = await buildTestApp();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: ctx.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await ctx.store.close();
});

const json = { "content-type": "application/json" };
async function grade(body: unknown, headers: Record<string, string> = json) {
  const res = await fetch(`${base}/v1/grade`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe("offline grading over a real HTTP server", () => {
  it("returns every contract field", async () => {
    const { status, body } = await grade({ answer: SAMPLE_ANSWER, principle: "have-backbone-disagree-and-commit", question: "Tell me about a time you disagreed." });
    expect(status).toBe(200);
    for (const key of ["id", "createdAt", "principle", "question", "overall", "star", "ownership", "length", "principleFit", "metrics", "improvements", "followUps", "meta"]) {
      expect(body).toHaveProperty(key);
    }
    expect(body.principle).toEqual({ id: "have-backbone-disagree-and-commit", name: "Have Backbone; Disagree and Commit" });
    expect(body.meta).toMatchObject({ mode: "offline", model: null, cached: false, samples: 1 });
    expect(body.meta.notice).toMatch(/OPENAI_API_KEY/);
    expect(Object.keys(body.star)).toEqual(["situation", "task", "action", "result"]);
    for (const part of Object.values(body.star) as any[]) {
      expect(part).toEqual(expect.objectContaining({ present: expect.any(Boolean), score: expect.any(Number), evidence: expect.any(Array), feedback: expect.any(String) }));
      for (const quote of part.evidence) expect(SAMPLE_ANSWER).toContain(quote);
    }
    expect(body.ownership).toMatchObject({ iCount: 9, weCount: 3, iRatio: 0.75 });
    expect(body.length).toMatchObject({ words: 141, speakingSeconds: 56, wordsPerMinute: 150, targetSeconds: { min: 60, max: 120 }, verdict: "too_short" });
    expect(body.metrics).toEqual({
      numbers: ["6", "4%", "0.5%", "5", "80%", "0.2%", "3x"],
      quantities: ["6", "4%", "0.5%", "5 weeks", "two weeks", "80%", "one", "0.2%", "3x"],
      quantifiedResult: true,
      hypothetical: false,
    });
    expect(body.overall.score).toBeGreaterThan(50);
    expect(body.improvements.length).toBeGreaterThan(0);
    expect(body.followUps.length).toBeGreaterThan(0);
  });

  it("accepts a principle by loose name", async () => {
    for (const principle of ["HAVE BACKBONE, DISAGREE & COMMIT", "earths best employer".replace("earths", "Strive to be Earth’s"), "deliver_results"]) {
      expect((await grade({ answer: SAMPLE_ANSWER, principle })).status).toBe(200);
    }
  });
});

describe("bad input gets a precise 4xx", () => {
  const cases: Array<[string, unknown, Record<string, string> | undefined, number, string]> = [
    ["missing answer", { principle: "ownership" }, undefined, 400, "invalid_request"],
    ["empty answer", { answer: "", principle: "ownership" }, undefined, 400, "answer_empty"],
    ["whitespace answer", { answer: " \n\t ", principle: "ownership" }, undefined, 400, "answer_empty"],
    ["zero-width answer", { answer: "\u200b\u200c\u200d\u2060\ufeff\u200e\u202e", principle: "ownership" }, undefined, 400, "answer_empty"],
    ["NUL answer", { answer: "\u0000".repeat(40), principle: "ownership" }, undefined, 400, "answer_empty"],
    ["Hangul fillers and punctuation only", { answer: "\u3164 \u115f … — !!", principle: "ownership" }, undefined, 400, "answer_empty"],
    ["answer over 20,000 characters", { answer: "a ".repeat(10_001), principle: "ownership" }, undefined, 413, "answer_too_long"],
    ["answer of wrong type", { answer: 42, principle: "ownership" }, undefined, 400, "invalid_request"],
    ["question of wrong type", { answer: "I did it.", principle: "ownership", question: ["x"] }, undefined, 400, "invalid_request"],
    ["unknown principle", { answer: "I did it.", principle: "Be Nice" }, undefined, 400, "unknown_principle"],
    ["array body", [1, 2], undefined, 400, "invalid_request"],
    ["malformed JSON", '{"answer": "x",', undefined, 400, "invalid_json"],
    ["wrong content type", "answer=x", { "content-type": "application/x-www-form-urlencoded" }, 415, "unsupported_media_type"],
    ["no content type", "{}", {}, 415, "unsupported_media_type"],
  ];
  for (const [name, body, headers, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      const res = await grade(body, headers ?? json);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message.length).toBeGreaterThan(10);
    });
  }

  it("body over the limit → 413 body_too_large (without reading it all)", async () => {
    // Its own connection: the server answers early and closes it, so it must not be reused.
    const payload = JSON.stringify({ answer: "x".repeat(300_000), principle: "ownership" });
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${base}/v1/grade`, { method: "POST", agent: false, headers: { ...json, "content-length": Buffer.byteLength(payload) } }, (r) => {
        let body = "";
        r.on("data", (c) => (body += c));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end(payload);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe("body_too_large");
  });

  it("lists the valid ids for an unknown principle", async () => {
    const res = await grade({ answer: "I did it.", principle: "Be Nice" });
    expect(res.body.error.message).toContain("customer-obsession");
    expect(res.body.error.message).toContain("success-and-scale-bring-broad-responsibility");
  });

  it("unknown routes get a JSON 404", async () => {
    const res = await fetch(`${base}/v1/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe("not_found");
  });
});

describe("principles, history, health and docs", () => {
  it("GET /v1/principles lists the 16 principles", async () => {
    const list = (await (await fetch(`${base}/v1/principles`)).json()) as Array<{ id: string; name: string }>;
    expect(list).toHaveLength(16);
    expect(list.map((p) => p.name)).toContain("Strive to be Earth's Best Employer");
    expect(new Set(list.map((p) => p.id)).size).toBe(16);
  });

  it("stores gradings: get, list newest first with paging, delete", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await grade({ answer: `${SAMPLE_ANSWER} (${i})`, principle: "ownership" })).body.id);
    const one = (await (await fetch(`${base}/v1/gradings/${ids[0]}`)).json()) as any;
    expect(one.id).toBe(ids[0]);
    expect(one.answer).toContain("(0)");

    const page1 = (await (await fetch(`${base}/v1/gradings?limit=2`)).json()) as any;
    expect(page1.items.map((x: any) => x.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await (await fetch(`${base}/v1/gradings?limit=2&before=${page1.nextBefore}`)).json()) as any;
    expect(page2.items[0].id).toBe(ids[0]);

    expect((await fetch(`${base}/v1/gradings/${ids[1]}`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${base}/v1/gradings/${ids[1]}`)).status).toBe(404);
    expect((await fetch(`${base}/v1/gradings/${ids[1]}`, { method: "DELETE" })).status).toBe(404);
  });

  it("rejects a bad history limit", async () => {
    for (const q of ["limit=0", "limit=1000", "limit=abc"]) {
      const res = await fetch(`${base}/v1/gradings?${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).error.code).toBe("invalid_request");
    }
  });

  it("GET /healthz reports the mode", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: "ok", mode: "offline" });
  });

  it("serves an OpenAPI document generated from the zod schemas", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/grade", "/v1/principles", "/v1/gradings", "/v1/gradings/{id}"]));
    expect(doc.components.schemas.Feedback.properties.ownership.properties).toHaveProperty("actionIRatio");
    expect(doc.paths["/v1/grade"].post.responses).toHaveProperty("413");
  });

  it("serves the API reference page and its assets from the app, with no CDN", async () => {
    const page = await (await fetch(`${base}/docs`)).text();
    expect(page).not.toMatch(/https?:\/\//);
    const srcs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThanOrEqual(3);
    for (const src of srcs) {
      const res = await fetch(`${base}${src}`);
      expect(res.status, src).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(20);
    }
    expect((await fetch(`${base}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
