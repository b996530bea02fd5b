/**
 * `starcoach doctor` against a real model server stand-in on loopback: one line per check, a fix
 * under each problem, exit 1 when something fails — and never the key.
 */
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";
import { closedPort, startLocalServer, type LocalServer, type LocalServerTraits } from "./support/local-server.js";

const KEY = "sk-local-0123456789abcdef";
let server: LocalServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function doctor(traits: LocalServerTraits, env: Record<string, string> = {}, args: string[] = []) {
  server = await startLocalServer(traits);
  return runCli(["doctor", ...args], { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL, STARCOACH_MODEL: "qwen3:8b", ...env } });
}

/** The report's line for a check, and the fix line under it (if any). */
function line(stdout: string, id: string): { text: string; fix: string | null } {
  const lines = stdout.split("\n");
  const i = lines.findIndex((l) => new RegExp(`^  \\S+\\s+${id} `).test(l));
  expect(i, `no ${id} line in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const next = lines[i + 1] ?? "";
  return { text: lines[i]!, fix: next.includes("→") ? next.trim() : null };
}

describe("starcoach doctor", () => {
  it("a working server: every check ok, the mode chosen and the latency, exit 0", async () => {
    const { code, stdout } = await doctor({ models: ["qwen3:8b", "gemma3:4b"] });
    expect(code).toBe(0);
    expect(stdout).toContain(`starcoach doctor: ${server!.baseURL}, model qwen3:8b`);
    expect(line(stdout, "models").text).toMatch(/^  ok\s+models\s+.*\/v1\/models answers in \d+ ms and lists "qwen3:8b"\.$/);
    expect(line(stdout, "structured").text).toMatch(/ok\s+structured\s+A structured answer came back in json_schema mode in \d+ ms\.$/);
    // The transcription endpoint defaults to the model server, which has none: a warning, not a failure.
    expect(line(stdout, "transcription").text).toMatch(/warn\s+transcription\s+.*\/audio\/transcriptions answered 404/);
    expect(stdout).toContain("Grading will use qwen3:8b with json_schema structured output.");
  });

  it("a wrong base URL (nothing listening): one line, the fix names OPENAI_BASE_URL, exit 1", async () => {
    const port = await closedPort();
    const { code, stdout } = await runCli(["doctor"], { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    expect(code).toBe(1);
    const models = line(stdout, "models");
    expect(models.text).toContain(`FAIL  models         Nothing answers at 127.0.0.1:${port} (connection refused).`);
    expect(models.fix).toMatch(/^→ Start the model server, or set OPENAI_BASE_URL to where it listens \(Ollama http:\/\/localhost:11434\/v1/);
    expect(line(stdout, "structured").text).toContain("skip");
    expect(stdout).toContain("1 check failed");
  });

  it("a base URL without /v1: /models answers 404", async () => {
    server = await startLocalServer({});
    const { code, stdout } = await runCli(["doctor"], { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL.replace(/\/v1$/, ""), STARCOACH_MODEL: "qwen3:8b" } });
    expect(code).toBe(1);
    expect(line(stdout, "models").text).toMatch(/FAIL\s+models\s+.*\/models answered 404: this is not the API's base URL\./);
    expect(line(stdout, "models").fix).toContain("usually ending in /v1");
    expect(line(stdout, "structured").text).toContain("Not found either (HTTP 404): fix the base URL first");
  });

  it("a wrong key: 401, said in one line, and the key appears nowhere", async () => {
    const { code, stdout, stderr } = await doctor({ key: "sk-the-real-key-000000" }, {}, []);
    expect(code).toBe(1);
    expect(line(stdout, "models").text).toMatch(/FAIL\s+models\s+The server rejected the API key \(HTTP 401 from .*\)\./);
    expect(line(stdout, "models").fix).toContain("Set OPENAI_API_KEY");
    expect(stdout + stderr).not.toContain(KEY);
    expect(stdout + stderr).not.toContain(KEY.slice(0, 7));
  });

  it("an unknown model: not listed, and the server says so", async () => {
    const { code, stdout } = await doctor({ models: ["llama3.2:latest", "gemma3:4b"] }, { STARCOACH_MODEL: "qwen3:14b" });
    expect(code).toBe(1);
    expect(line(stdout, "models").text).toMatch(/FAIL\s+models\s+.* does not list "qwen3:14b" \(it lists llama3\.2:latest, gemma3:4b\)\./);
    expect(line(stdout, "models").fix).toContain("`ollama pull qwen3:14b`");
    expect(line(stdout, "structured").text).toContain('The server does not know the model "qwen3:14b" (HTTP 404).');
  });

  it('a model pulled as "name" is found as "name:latest"', async () => {
    const { code, stdout } = await doctor({ models: ["llama3.2:latest"], serves: ["llama3.2", "llama3.2:latest"] }, { STARCOACH_MODEL: "llama3.2" });
    expect(stdout).toContain('lists "llama3.2"');
    expect(code).toBe(0);
  });

  it("a server that serves any model name (llama.cpp) is only a warning", async () => {
    const { code, stdout } = await doctor({ models: ["Qwen3-8B-Q4_K_M.gguf"], serves: "*" });
    expect(code).toBe(0);
    expect(line(stdout, "models").text).toMatch(/warn\s+models\s+.*does not list "qwen3:8b".* The server answered for it anyway\.$/);
  });

  it("a server without structured output: every mode refused, one line with the server's words", async () => {
    const { code, stdout } = await doctor({ refuses: ["json_schema", "json_object", "tools"] });
    expect(code).toBe(1);
    expect(line(stdout, "structured").text).toMatch(/FAIL\s+structured\s+The server refused structured output in every mode \(json_schema, json_object, tool\): HTTP 400 ".*tools is not supported by this server.*"\./);
    expect(server!.calls.map((c) => (c.body.tools ? "tool" : c.body.response_format?.type))).toEqual(["json_schema", "json_object", "tool"]);
  });

  it("a server with JSON mode only: ok, and it says which mode gradings will use", async () => {
    const { code, stdout } = await doctor({ refuses: ["json_schema"] });
    expect(code).toBe(0);
    expect(line(stdout, "structured").text).toMatch(/came back in json_object mode in \d+ ms; the server refused json_schema, so gradings use json_object\.$/);
  });

  it("a reply wrapped in a fence is reported as repaired", async () => {
    const { stdout } = await doctor({ content: '```json\n{"word": "star", "count": 3}\n```' });
    expect(line(stdout, "structured").text).toContain("the reply needed repair (fence)");
  });

  it("a model that cannot produce the schema", async () => {
    const { code, stdout } = await doctor({ content: "I am sorry, I can only chat." });
    expect(code).toBe(1);
    expect(line(stdout, "structured").text).toContain("The model answered, but twice not with JSON that fits the schema.");
    expect(line(stdout, "structured").fix).toContain("STARCOACH_STRUCTURED=tool");
  });

  it("an explicit transcription endpoint that answers is ok; one that is missing fails", async () => {
    const ok = await doctor({ transcribes: true }, {}, []);
    const base = server!.baseURL;
    expect(line(ok.stdout, "transcription").text).toMatch(/ok\s+transcription\s+.*\/audio\/transcriptions answers \(HTTP 400 to an empty request, in \d+ ms\); model whisper-1\./);
    await server!.close();
    const port = await closedPort();
    server = await startLocalServer({});
    const missing = await runCli(["doctor"], { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseURL, STARCOACH_MODEL: "qwen3:8b", STARCOACH_TRANSCRIBE_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    expect(missing.code).toBe(1);
    expect(line(missing.stdout, "transcription").text).toMatch(/FAIL\s+transcription\s+Nothing answers at 127\.0\.0\.1:\d+ \(connection refused\)\./);
    expect(base).not.toBe(server.baseURL);
  });

  it("offline: nothing to check, exit 0; --json prints the same report as GET /v1/doctor", async () => {
    const offline = await runCli(["doctor"], { env: {} });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("Offline mode: no OPENAI_API_KEY");
    expect(line(offline.stdout, "transcription").text).toContain("Not configured");
    const json = await doctor({}, {}, ["--json"]);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: true, mode: "llm", model: "qwen3:8b", structuredMode: "json_schema" });
    expect(report.checks.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([["models", "ok"], ["structured", "ok"], ["transcription", "warn"]]);
  });
});
