/**
 * `starcoach mcp` as an MCP client sees it: the real CLI in a child process (the project's Node
 * with tsx), spoken to over stdio by the SDK's own Client, on a temporary SQLite file. Offline
 * without a key; LLM mode against the loopback mock of the model API (MSW cannot reach a child).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze, DEFAULT_LENGTH } from "../src/core/analyze.js";
import type { Feedback } from "../src/core/feedback.js";
import { PRINCIPLE_IDS } from "../src/core/principles.js";
import { questionsFor } from "../src/core/questions.js";
import { MAX_ANSWER_CHARS } from "../src/grading.js";
import { openSqlite } from "../src/store/sqlite.js";
import type { StorySummary } from "../src/practice/bank.js";
import { listStories, toSummary } from "../src/practice/stories.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { startOpenAiServer, type OpenAiServer } from "./support/openai-server.js";
import { startSlowModelServer } from "./support/slow-model-server.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The CLI from source: this Node (the project's Node 24 under vitest) with tsx as a loader. */
const CLI = ["--import", "tsx", "src/cli/main.ts"];
const STARTUP_MS = 60_000;

interface Session {
  client: Client;
  stderr: () => string;
  /** Protocol errors the client saw (e.g. a line on stdout that is not JSON-RPC). */
  protocolErrors: Error[];
  close(): Promise<void>;
}

/** Start `starcoach mcp` as a child and connect the SDK client to it. */
async function startSession(env: Record<string, string>): Promise<Session> {
  // The transport passes only a safe default environment (PATH, HOME…) plus `env`: no OPENAI_API_KEY leaks in.
  const transport = new StdioClientTransport({ command: process.execPath, args: [...CLI, "mcp"], cwd: ROOT, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: "starcoach-test", version: "0.0.0" });
  const protocolErrors: Error[] = [];
  client.onerror = (err) => protocolErrors.push(err);
  await client.connect(transport);
  return { client, stderr: () => stderr, protocolErrors, close: () => client.close() };
}

const call = (s: Session, name: string, args: Record<string, unknown> = {}) => s.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const errorOf = (r: CallToolResult) => (r.structuredContent as { error: { code: string; message: string } }).error;

describe("starcoach mcp (offline, no OPENAI_API_KEY)", () => {
  const db = tempDbFile();
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ STARCOACH_DB: db });
  }, STARTUP_MS);
  afterAll(async () => {
    await s?.close();
  });

  it("introduces itself and lists the five tools", async () => {
    expect(s.client.getServerVersion()?.name).toBe("starcoach");
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["grade_answer", "list_principles", "list_stories", "story_coverage", "suggest_question"]);
    const grade = tools.find((t) => t.name === "grade_answer")!;
    expect(grade.inputSchema.required).toEqual(["answer", "principle"]);
    expect(Object.keys(grade.inputSchema.properties ?? {})).toEqual(["answer", "principle", "question"]);
    expect(tools.find((t) => t.name === "list_principles")!.outputSchema?.required).toEqual(["principles"]);
    expect(s.stderr()).toContain("grading offline");
  });

  it("grades an answer: the Feedback as structured content, its figures from the analysis, a short summary, stored in the database", async () => {
    const question = "Tell me about a time you disagreed with your team.";
    const r = await call(s, "grade_answer", { answer: SAMPLE_ANSWER, principle: "Have Backbone; Disagree & Commit", question });
    expect(r.isError).toBeFalsy();
    const f = r.structuredContent as Feedback;
    const analysis = analyze(SAMPLE_ANSWER, DEFAULT_LENGTH);
    expect(f.principle.id).toBe("have-backbone-disagree-and-commit");
    expect(f.question).toBe(question);
    expect(f.meta.mode).toBe("offline");
    expect(f.length.words).toBe(analysis.words);
    expect(f.length.speakingSeconds).toBe(analysis.speakingSeconds);
    expect(f.ownership.iCount).toBe(analysis.iCount);
    expect(f.ownership.weCount).toBe(analysis.weCount);

    const text = textOf(r);
    expect(text).toContain(`Overall ${f.overall.score}/100 (${f.overall.band}) for Have Backbone`);
    expect(text).toContain(`Situation ${f.star.situation.score}/4 · Task ${f.star.task.score}/4 · Action ${f.star.action.score}/4 · Result ${f.star.result.score}/4 · Principle fit ${f.principleFit.score}/4`);
    expect(text).toContain(`${analysis.words} words, about ${analysis.speakingSeconds} s spoken`);
    const numbered = text.split("\n").filter((l) => /^\d\. /.test(l));
    expect(f.improvements.length).toBeGreaterThan(0);
    expect(numbered).toEqual(f.improvements.slice(0, 3).map((imp, i) => `${i + 1}. ${imp}`));

    const store = openSqlite(db).store;
    try {
      expect((await store.getGrading(f.id))?.overall).toEqual(f.overall);
    } finally {
      await store.close();
    }
  });

  it("answers bad input with tool errors carrying the API's codes, in the text and the structured content", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ answer: SAMPLE_ANSWER, principle: "Be Nice" }, "unknown_principle"],
      [{ answer: "  \n ", principle: "ownership" }, "answer_empty"],
      [{ answer: "word ".repeat(MAX_ANSWER_CHARS / 5 + 1), principle: "ownership" }, "answer_too_long"],
      [{ answer: SAMPLE_ANSWER, principle: "ownership", question: "?".repeat(1_001) }, "question_too_long"],
    ];
    for (const [args, code] of cases) {
      const r = await call(s, "grade_answer", args);
      expect(r.isError, code).toBe(true);
      expect(textOf(r)).toMatch(new RegExp(`^${code}: `));
      expect(errorOf(r).code).toBe(code);
    }
    // Arguments of the wrong type never reach the grading service: the SDK refuses them against the input schema.
    const wrongType = await call(s, "grade_answer", { answer: 42, principle: "ownership" });
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toMatch(/Input validation error.*answer/);
  });

  it("reports story coverage: the graded answer's principle has one story, the others none", async () => {
    const r = await call(s, "story_coverage");
    expect(r.isError).toBeFalsy();
    const coverage = r.structuredContent as { target: number; principles: Array<{ id: string; stories: number; status: string; bestScore: number | null }> };
    expect(coverage.target).toBe(2);
    expect(coverage.principles.map((p) => p.id)).toEqual(PRINCIPLE_IDS);
    // The grade_answer test above graded one answer for Have Backbone.
    const backbone = coverage.principles.find((p) => p.id === "have-backbone-disagree-and-commit")!;
    expect(backbone).toMatchObject({ stories: 1, status: "thin", bestScore: expect.any(Number) });
    expect(coverage.principles.filter((p) => p.status === "missing")).toHaveLength(15);
    expect(textOf(r)).toContain("Thin: Have Backbone; Disagree and Commit (1).");
  });

  it("lists the stories: the graded answer is one, with its score, as the API lists it", async () => {
    const r = await call(s, "list_stories");
    expect(r.isError).toBeFalsy();
    const { stories } = r.structuredContent as { stories: StorySummary[] };
    expect(stories).toHaveLength(1);
    const { stories: bank, close } = openSqlite(db);
    try {
      expect(stories).toEqual((await listStories({ stories: bank })).map(toSummary));
    } finally {
      await close();
    }
    const [story] = stories;
    expect(story).toMatchObject({ principles: ["have-backbone-disagree-and-commit"], versions: 1, title: "In my last role at Acme, I was…" });
    expect(textOf(r)).toContain(`1 story, most recently practised first:\n\n  ${String(story!.best.score).padStart(3)}/100  ${story!.title}\n`);
    expect(textOf(r)).toContain(`Have Backbone; Disagree and Commit · 1 version · last practised ${story!.updatedAt.slice(0, 10)} · id ${story!.id}`);
  });

  it("lists the 16 principles", async () => {
    const r = await call(s, "list_principles");
    const { principles } = r.structuredContent as { principles: Array<{ id: string; name: string; summary: string }> };
    expect(principles).toHaveLength(16);
    expect(principles.map((p) => p.id)).toEqual(PRINCIPLE_IDS);
    expect(textOf(r).split("\n")).toHaveLength(16);
    expect(textOf(r)).toContain("frugality (Frugality): ");
  });

  it("suggests a bank question for the principle, the same one for the same seed", async () => {
    const bank = questionsFor("frugality");
    const r = await call(s, "suggest_question", { principle: "Frugality", seed: 7 });
    const { question, principle, candidates } = r.structuredContent as { question: { id: string; text: string; principles: string[] }; principle: { id: string }; candidates: number };
    expect(bank.map((q) => q.id)).toContain(question.id);
    expect(question.principles).toContain("frugality");
    expect(principle.id).toBe("frugality");
    expect(candidates).toBe(bank.length);
    expect(textOf(r).split("\n")[0]).toBe(question.text);
    const again = await call(s, "suggest_question", { principle: "frugality", seed: 7 });
    expect((again.structuredContent as { question: { id: string } }).question.id).toBe(question.id);

    const any = await call(s, "suggest_question");
    expect(questionsFor().map((q) => q.id)).toContain((any.structuredContent as { question: { id: string } }).question.id);

    const bad = await call(s, "suggest_question", { principle: "Be Nice" });
    expect(bad.isError).toBe(true);
    expect(errorOf(bad).code).toBe("unknown_principle");
  });

  it("kept standard output to the protocol: the client never saw a line it could not parse", () => {
    expect(s.protocolErrors).toEqual([]);
  });
});

describe("starcoach mcp (LLM mode, loopback mock of the model API)", () => {
  let model: OpenAiServer;
  let s: Session;
  beforeAll(async () => {
    model = await startOpenAiServer();
    s = await startSession({ STARCOACH_DB: tempDbFile(), OPENAI_API_KEY: "sk-test-mcp", OPENAI_BASE_URL: model.baseURL, STARCOACH_MODEL_RETRIES: "0" });
  }, STARTUP_MS);
  afterAll(async () => {
    await s?.close();
    await model?.close();
  });

  it("grades with the model, then serves the same answer from the cache", async () => {
    const first = await call(s, "grade_answer", { answer: SAMPLE_ANSWER, principle: "ownership" });
    const f = first.structuredContent as Feedback;
    expect(f.meta.mode).toBe("llm");
    expect(f.meta.model).toBe("gpt-4.1-mini");
    expect(model.calls).toHaveLength(1);
    expect(textOf(first)).toContain("graded by gpt-4.1-mini");
    const second = await call(s, "grade_answer", { answer: SAMPLE_ANSWER, principle: "ownership" });
    expect((second.structuredContent as Feedback).meta.cached).toBe(true);
    expect(textOf(second)).toContain("from cache");
    expect(model.calls).toHaveLength(1);
  });

  it("reports a model failure as a tool error with its code", async () => {
    const r = await call(s, "grade_answer", { answer: `${SAMPLE_ANSWER} MOCK_HTTP_500`, principle: "ownership" });
    expect(r.isError).toBe(true);
    expect(errorOf(r).code).toBe("model_unavailable");
    expect(textOf(r)).toMatch(/^model_unavailable: /);
    expect(s.stderr()).not.toContain("sk-test-mcp");
  });
});

describe("starcoach mcp lifetime", () => {
  it("answers the requests it already received when its input ends, then exits 0", async () => {
    // A model that takes its time, so the grading is still running when the input ends.
    const model = await startSlowModelServer(500);
    const env = { PATH: process.env.PATH ?? "", OPENAI_API_KEY: "sk-test-mcp", OPENAI_BASE_URL: model.baseURL };
    const child = spawn(process.execPath, [...CLI, "mcp", "--db", tempDbFile()], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const message = (m: object) => `${JSON.stringify({ jsonrpc: "2.0", ...m })}\n`;
    // Everything at once, then end of input: a client that quits right after its last call.
    child.stdin.end(
      message({ id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "pipe", version: "0" } } }) +
        message({ method: "notifications/initialized" }) +
        message({ id: 2, method: "tools/call", params: { name: "grade_answer", arguments: { answer: SAMPLE_ANSWER, principle: "ownership" } } }) +
        message({ id: 3, method: "tools/call", params: { name: "grade_answer", arguments: { answer: "", principle: "ownership" } } }),
    );
    expect(await exited).toBe(0);
    await model.close();
    expect(model.calls).toBe(1);
    // Replies may come in any order (the empty answer is refused before the grading finishes).
    const replies = stdout.trim().split("\n").map((line) => JSON.parse(line) as { id: number; result: CallToolResult }).sort((a, b) => a.id - b.id);
    expect(replies.map((r) => r.id)).toEqual([1, 2, 3]);
    expect((replies[1]!.result.structuredContent as Feedback).meta.mode).toBe("llm");
    expect(replies[2]!.result.isError).toBe(true);
  }, STARTUP_MS);

  it("stops on SIGTERM (what a client sends when it quits) with exit code 0", async () => {
    const child = spawn(process.execPath, [...CLI, "mcp", "--offline", "--db", tempDbFile()], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) =>
      child.stderr.on("data", (c: Buffer) => {
        stderr += c.toString("utf8");
        if (stderr.includes("MCP server ready")) resolve();
      }),
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toBe("");
  }, STARTUP_MS);
});
