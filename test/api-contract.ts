/**
 * The API contract both runtimes must meet, as one suite of HTTP cases run against the Node server
 * (test/api-contract-node.test.ts) and the Worker in workerd (test/worker.test.ts). Both targets
 * are in LLM mode against the loopback mock model (test/support/openai-server.ts) with retries off.
 */
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { describe, expect, it } from "vitest";
import { PRINCIPLES } from "../src/core/principles.js";
import { SAMPLE_ANSWER } from "./support/app.js";
import type { OpenAiServer } from "./support/openai-server.js";

export interface ContractTarget {
  /** e.g. http://127.0.0.1:8787, no trailing slash */
  baseUrl: string;
  model: OpenAiServer;
}

const JSON_HEADERS = { "content-type": "application/json" };

/** A bad request and the error every runtime must answer it with. */
export interface BadRequest {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  code: string;
}

const grade = (body: unknown): Pick<BadRequest, "method" | "path" | "headers" | "body"> => ({
  method: "POST",
  path: "/v1/grade",
  headers: JSON_HEADERS,
  body: typeof body === "string" ? body : JSON.stringify(body),
});

export const BAD_REQUESTS: BadRequest[] = [
  { name: "empty answer", ...grade({ answer: "   ", principle: "ownership" }), status: 400, code: "answer_empty" },
  { name: "unknown principle", ...grade({ answer: SAMPLE_ANSWER, principle: "be nice" }), status: 400, code: "unknown_principle" },
  { name: "missing principle", ...grade({ answer: SAMPLE_ANSWER }), status: 400, code: "invalid_request" },
  { name: "answer not a string", ...grade({ answer: 42, principle: "ownership" }), status: 400, code: "invalid_request" },
  { name: "malformed JSON", ...grade('{"answer": "x", '), status: 400, code: "invalid_json" },
  { name: "question too long", ...grade({ answer: SAMPLE_ANSWER, principle: "ownership", question: "q".repeat(1001) }), status: 400, code: "question_too_long" },
  { name: "answer too long", ...grade({ answer: "word ".repeat(4001), principle: "ownership" }), status: 413, code: "answer_too_long" },
  { name: "body over the limit", ...grade({ answer: "x".repeat(300 * 1024), principle: "ownership" }), status: 413, code: "body_too_large" },
  { name: "not JSON", method: "POST", path: "/v1/grade", headers: { "content-type": "text/plain" }, body: "hello", status: 415, code: "unsupported_media_type" },
  { name: "unknown story on grading", ...grade({ answer: SAMPLE_ANSWER, principle: "ownership", storyId: "no-such-story" }), status: 404, code: "story_not_found" },
  { name: "unknown story", method: "GET", path: "/v1/stories/no-such-story", status: 404, code: "story_not_found" },
  { name: "unknown principle on a story", method: "PATCH", path: "/v1/stories/no-such-story", headers: JSON_HEADERS, body: JSON.stringify({ principles: ["be-nice"] }), status: 404, code: "story_not_found" },
  { name: "drill on an unknown grading", method: "POST", path: "/v1/gradings/no-such-grading/followups", headers: JSON_HEADERS, body: JSON.stringify({ question: "Why?", answer: "Because." }), status: 404, code: "not_found" },
  { name: "unknown mock interview", method: "GET", path: "/v1/mocks/no-such-mock", status: 404, code: "mock_not_found" },
  { name: "mock with too many questions", method: "POST", path: "/v1/mocks", headers: JSON_HEADERS, body: JSON.stringify({ count: 9 }), status: 400, code: "invalid_count" },
  { name: "unknown grading", method: "GET", path: "/v1/gradings/does-not-exist", status: 404, code: "not_found" },
  { name: "bad list limit", method: "GET", path: "/v1/gradings?limit=0", status: 400, code: "invalid_request" },
  { name: "unknown route", method: "GET", path: "/v1/nothing-here", status: 404, code: "not_found" },
];

/**
 * One request on its own connection (node:http, agent: false): a server may answer 413 before
 * reading the whole body and close the socket, which would break a pooled keep-alive connection.
 */
export function send(baseUrl: string, r: Pick<BadRequest, "method" | "path" | "headers" | "body">): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const headers = { ...r.headers, ...(body ? { "content-length": String(body.length) } : {}) };
    const req = httpRequest(`${baseUrl}${r.path}`, { method: r.method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
      });
      res.on("error", reject);
    });
    // The server may close early after answering (413); the response has already arrived.
    req.on("error", (err: NodeJS.ErrnoException) => (err.code === "EPIPE" || err.code === "ECONNRESET" ? undefined : reject(err)));
    req.end(body);
  });
}

export function defineApiContract(runtime: string, target: () => ContractTarget) {
  const post = (body: unknown) => send(target().baseUrl, grade(body));
  const get = (path: string) => send(target().baseUrl, { method: "GET", path });

  describe(`API contract on ${runtime}`, () => {
    it("reports health, mode and prompt version", async () => {
      const { status, body } = await get("/healthz");
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "ok", mode: "llm", model: "gpt-4.1-mini" });
      expect(body.promptVersion).toMatch(/^star-[0-9a-f]{12}$/);
    });

    it("serves the page with the built script and stylesheet (dist/client), versioned by content", async () => {
      const page = await (await fetch(`${target().baseUrl}/`)).text();
      for (const [file, type] of [["app.js", "text/javascript"], ["app.css", "text/css"]] as const) {
        const path = new RegExp(`"(/assets/${file.replace(".", "\\.")}\\?v=[\\w-]+)"`).exec(page)?.[1];
        expect(path, file).toBeDefined();
        const res = await fetch(`${target().baseUrl}${path}`);
        expect(res.headers.get("content-type")).toContain(type);
        expect(await res.text()).toBe(readFileSync(new URL(`../dist/client/${file}`, import.meta.url), "utf8"));
      }
    });

    it("lists the 16 principles", async () => {
      const { status, body } = await get("/v1/principles");
      expect(status).toBe(200);
      expect(body).toHaveLength(16);
      expect(body.map((p: { id: string }) => p.id)).toEqual(PRINCIPLES.map((p) => p.id));
      expect(body[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    });

    it("grades an answer through the model, stores it and reads it back", async () => {
      const before = target().model.calls.length;
      const { status, body } = await post({ answer: SAMPLE_ANSWER, principle: "Have Backbone; Disagree and Commit", question: "Tell me about a time you disagreed." });
      expect(status).toBe(200);
      expect(target().model.calls.length).toBe(before + 1);
      expect(body.principle).toEqual({ id: "have-backbone-disagree-and-commit", name: "Have Backbone; Disagree and Commit" });
      expect(body.meta).toMatchObject({ mode: "llm", model: "gpt-4.1-mini", usage: { inputTokens: 1874, outputTokens: 612 }, cached: false });
      expect(body.star.action.score).toBe(4);
      for (const part of Object.values(body.star) as Array<{ evidence: string[] }>) {
        for (const quote of part.evidence) expect(SAMPLE_ANSWER).toContain(quote);
      }
      expect(body.ownership).toMatchObject({ iCount: 9, weCount: 3, iRatio: 0.75 });

      const stored = await get(`/v1/gradings/${body.id}`);
      expect(stored.status).toBe(200);
      expect(stored.body).toEqual(body);
    });

    it("serves a repeated answer from the store without calling the model", async () => {
      const answer = `${SAMPLE_ANSWER} (cache check)`;
      const first = await post({ answer, principle: "ownership" });
      const calls = target().model.calls.length;
      const second = await post({ answer, principle: "ownership" });
      expect(second.status).toBe(200);
      expect(target().model.calls.length).toBe(calls);
      expect(second.body.meta.cached).toBe(true);
      expect(second.body.overall).toEqual(first.body.overall);
      // The same text with no story named is that grading again: nothing is stored twice.
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.storyId).toBe(first.body.storyId);
      const story = await get(`/v1/stories/${first.body.storyId}`);
      expect(story.body.versions).toBe(1);
    });

    it("records a cache hit as a version of the requested story, not of the story it came from", async () => {
      const answer = `${SAMPLE_ANSWER} (story cache check)`;
      const a = await post({ answer, principle: "ownership" });
      const b = await post({ answer: `${SAMPLE_ANSWER} (another draft)`, principle: "ownership" });
      const calls = target().model.calls.length;
      const again = await post({ answer, principle: "ownership", storyId: b.body.storyId });
      expect(target().model.calls.length).toBe(calls);
      expect(again.body).toMatchObject({ storyId: b.body.storyId, meta: { cached: true } });
      const storyA = await get(`/v1/stories/${a.body.storyId}`);
      const storyB = await get(`/v1/stories/${b.body.storyId}`);
      expect(storyA.body.versionList.map((v: { gradingId: string }) => v.gradingId)).toEqual([a.body.id]);
      expect(storyB.body.versionList.map((v: { gradingId: string }) => v.gradingId)).toEqual([b.body.id, again.body.id]);
    });

    it("keeps stories: versions, the bank, coverage and deletion", async () => {
      const first = await post({ answer: `${SAMPLE_ANSWER} (story v1)`, principle: "dive-deep" });
      const second = await post({ answer: `${SAMPLE_ANSWER} (story v2)`, principle: "dive-deep", storyId: first.body.storyId });
      expect(second.body.storyId).toBe(first.body.storyId);
      const list = await get("/v1/stories");
      expect(list.status).toBe(200);
      const mine = list.body.stories.find((s: { id: string }) => s.id === first.body.storyId);
      expect(mine).toMatchObject({ versions: 2, principles: ["dive-deep"], last: { gradingId: second.body.id } });
      const patched = await send(target().baseUrl, { method: "PATCH", path: `/v1/stories/${first.body.storyId}`, headers: JSON_HEADERS, body: JSON.stringify({ title: "Checkout timeouts", principles: ["dive-deep", "earn-trust"] }) });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ title: "Checkout timeouts", principles: ["earn-trust", "dive-deep"], trend: [first.body.overall.score, second.body.overall.score] });
      const cov = await get("/v1/coverage");
      expect(cov.status).toBe(200);
      expect(cov.body.principles).toHaveLength(16);
      expect(cov.body.principles.find((p: { id: string }) => p.id === "earn-trust").storyIds).toContain(first.body.storyId);
      expect((await send(target().baseUrl, { method: "DELETE", path: `/v1/stories/${first.body.storyId}` })).status).toBe(204);
      expect((await get(`/v1/gradings/${second.body.id}`)).status).toBe(404);
      expect((await get(`/v1/stories/${first.body.storyId}`)).status).toBe(404);
    });

    it("pages through history newest first and deletes a grading", async () => {
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await post({ answer: `${SAMPLE_ANSWER} Paging ${n}.`, principle: "dive-deep" })).body.id);
      const seen: Array<{ id: string; createdAt: string }> = [];
      for (let before: string | null = null, page = 0; page < 50; page++) {
        const res = await get(`/v1/gradings?limit=2${before ? `&before=${before}` : ""}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items);
        before = res.body.nextBefore;
        if (!before) break;
      }
      const seenIds = seen.map((s) => s.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const id of ids) expect(seenIds).toContain(id);
      const times = seen.map((s) => s.createdAt);
      expect([...times].sort().reverse()).toEqual(times);

      const del = await send(target().baseUrl, { method: "DELETE", path: `/v1/gradings/${ids[0]}` });
      expect(del.status).toBe(204);
      expect((await get(`/v1/gradings/${ids[0]}`)).status).toBe(404);
    });

    it("judges a follow-up drill through the model and stores it under the grading", async () => {
      const graded = await post({ answer: `${SAMPLE_ANSWER} (drill)`, principle: "dive-deep" });
      const answer = "I ranked the fixes by the share of timeouts each removed. The index covered 80% of them.";
      const req = { method: "POST", path: `/v1/gradings/${graded.body.id}/followups`, headers: JSON_HEADERS, body: JSON.stringify({ question: graded.body.followUps[0], answer }) };
      const res = await send(target().baseUrl, req);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ gradingId: graded.body.id, answersQuestion: true, consistent: true, score: 3, evidence: ["I ranked the fixes by the share of timeouts each removed."], meta: { mode: "llm" } });
      expect((await get(`/v1/gradings/${graded.body.id}/followups`)).body.followups).toEqual([res.body]);
      const empty = await send(target().baseUrl, { ...req, body: JSON.stringify({ question: "Why?", answer: " " }) });
      expect([empty.status, empty.body.error.code]).toEqual([400, "answer_empty"]);
    });

    it("runs a one-question mock interview to its debrief", async () => {
      const start = await send(target().baseUrl, { method: "POST", path: "/v1/mocks", headers: JSON_HEADERS, body: JSON.stringify({ role: "software-engineer", count: 1 }) });
      expect(start.status).toBe(201);
      const id = start.body.id;
      const answered = await send(target().baseUrl, { method: "POST", path: `/v1/mocks/${id}/answers`, headers: JSON_HEADERS, body: JSON.stringify({ index: 0, answer: `${SAMPLE_ANSWER} (mock)`, elapsedSeconds: 100 }) });
      expect(answered.status).toBe(200);
      expect(answered.body.answers[0]).toMatchObject({ elapsedSeconds: 100, overrun: false, followUp: { question: "Who else did you have to convince?" } });
      const drilled = await send(target().baseUrl, { method: "POST", path: `/v1/mocks/${id}/answers/0/followup`, headers: JSON_HEADERS, body: JSON.stringify({ answer: "I convinced my manager with the traces. She agreed within a day.", elapsedSeconds: 35 }) });
      expect(drilled.status).toBe(200);
      const finished = await send(target().baseUrl, { method: "POST", path: `/v1/mocks/${id}/finish` });
      expect(finished.status).toBe(200);
      expect(finished.body.debrief.principles[0]).toMatchObject({ signal: "yes", reasons: ["The actions are the candidate's own and the result is measured.", "The follow-up held up (3/4)."] });
      expect((await get(`/v1/mocks/${id}`)).body).toEqual(finished.body);
    });

    it("maps a failing model to 502 model_unavailable", async () => {
      const { status, body } = await post({ answer: `${SAMPLE_ANSWER} MOCK_HTTP_500`, principle: "ownership" });
      expect(status).toBe(502);
      expect(body.error.code).toBe("model_unavailable");
    });

    it("retries output that breaks the schema once, then 502 model_output_invalid", async () => {
      const before = target().model.calls.length;
      const { status, body } = await post({ answer: `${SAMPLE_ANSWER} MOCK_BAD_JSON`, principle: "ownership" });
      expect(status).toBe(502);
      expect(body.error.code).toBe("model_output_invalid");
      expect(target().model.calls.length).toBe(before + 2);
    });

    it.each(BAD_REQUESTS)("rejects bad input: $name → $status $code", async (r) => {
      const { status, body } = await send(target().baseUrl, r);
      expect(status).toBe(r.status);
      expect(body).toEqual({ error: { code: r.code, message: expect.any(String) } });
    });
  });
}
