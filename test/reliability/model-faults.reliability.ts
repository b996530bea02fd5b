/**
 * Model faults against the real service (child process, LLM mode) with a socket-level mock model:
 * each fault once (then the model recovers) and persistently. Every outcome must be a success after
 * a retry or a clean 502/503/504 with a code; the service stays up; the API key never appears in a
 * response, a log line or stderr — even when the provider echoes it back (401echo).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER } from "../support/app.js";
import { send } from "./http-client.js";
import { FAULTS, startMockModel, type MockModel } from "./mock-model.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const SECRET = "sk-proj-RELIABILITYtestKEY-0123456789abcdefghijklmnopqrstuvwxyz";
const TIMEOUT_MS = 8_000;
let mock: MockModel;
let srv: ServerProcess;

beforeAll(async () => {
  mock = await startMockModel();
  srv = await startServerProcess({
    OPENAI_API_KEY: SECRET,
    OPENAI_BASE_URL: mock.baseURL,
    STARCOACH_MODEL_TIMEOUT_MS: String(TIMEOUT_MS),
    STARCOACH_MODEL_RETRIES: "2",
    STARCOACH_RATE_LIMIT: "0",
  });
}, 60_000);
afterAll(async () => {
  srv?.kill("SIGTERM");
  await srv?.exited;
  await mock?.close();
});

interface Outcome {
  status: number;
  code: string;
  retryAfter: string | null;
  calls: number;
  ms: number;
  text: string;
  headers: string;
}

async function gradeWith(marker: string): Promise<Outcome> {
  const started = Date.now();
  const answer = `${SAMPLE_ANSWER} Marker ${marker} here.`;
  const res = await send(srv.base, "POST", "/v1/grade", { "content-type": "application/json" }, JSON.stringify({ answer, principle: "ownership" }), 30_000);
  let code = "";
  try {
    const body = JSON.parse(res.text) as { error?: { code: string }; meta?: unknown };
    code = body.error?.code ?? "ok";
  } catch {
    code = "(not JSON)";
  }
  return { status: res.status, code, retryAfter: (res.headers["retry-after"] as string | undefined) ?? null, calls: mock.callsFor(marker), ms: Date.now() - started, text: res.text, headers: JSON.stringify(res.headers) };
}

describe("model faults → outcome", () => {
  it("ends every fault in a retry or a clean 502/503/504 with a code, stays up, never leaks the key", async () => {
    const runs = await Promise.all(
      FAULTS.map(async (fault) => {
        const [once, always] = await Promise.all([gradeWith(`FAULT_${fault}_1`), gradeWith(`FAULT_${fault}_99`)]);
        return { fault, once, always };
      }),
    );
    const fmt = (o: Outcome) => `${o.status} ${o.code}${o.retryAfter ? ` (Retry-After ${o.retryAfter})` : ""}, ${o.calls} call${o.calls === 1 ? "" : "s"}, ${(o.ms / 1000).toFixed(1)} s`;
    const rows = runs.map((r) => `| ${r.fault.padEnd(9)} | ${fmt(r.once).padEnd(48)} | ${fmt(r.always).padEnd(56)} |`);
    console.log(
      [
        "\n[model-faults] fault → outcome (model timeout 8 s, 2 SDK retries; 'once' = the fault then a good answer)",
        `| ${"fault".padEnd(9)} | ${"once".padEnd(48)} | ${"always".padEnd(56)} |`,
        `|${"-".repeat(11)}|${"-".repeat(50)}|${"-".repeat(58)}|`,
        ...rows,
      ].join("\n"),
    );

    for (const { fault, once, always } of runs) {
      for (const o of [once, always]) {
        expect([200, 502, 503, 504], `${fault}: ${o.status} ${o.text.slice(0, 200)}`).toContain(o.status);
        if (o.status !== 200) expect(o.code, fault).toMatch(/^model_/);
      }
      // Transient faults recover by retrying; a hung model is cut off by the timeout.
      if (["429", "500", "503", "reset", "schema"].includes(fault)) expect(once.status, fault).toBe(200);
      if (fault === "timeout") expect(always).toMatchObject({ status: 504, code: "model_timeout" });
    }
    const byFault = Object.fromEntries(runs.map((r) => [r.fault, r.always]));
    expect(byFault["429"]).toMatchObject({ status: 503, code: "model_rate_limited" });
    expect(byFault["429"]!.retryAfter).toBeTruthy();
    expect(byFault["401echo"]).toMatchObject({ status: 502, code: "model_auth_failed" });
    expect(byFault["schema"]).toMatchObject({ status: 502, code: "model_output_invalid" });

    // Still up, same process.
    expect(srv.alive()).toBe(true);
    expect((await send(srv.base, "GET", "/healthz", {})).status).toBe(200);

    // The key went to the model and nowhere else.
    expect([...mock.authHeaders]).toContain(`Bearer ${SECRET}`);
    const everything = [...runs.flatMap((r) => [r.once.text, r.once.headers, r.always.text, r.always.headers]), ...srv.stdout, ...srv.stderr].join("\n");
    for (const fragment of [SECRET, SECRET.slice(0, 16), SECRET.slice(-16), "RELIABILITYtestKEY"]) expect(everything).not.toContain(fragment);
    // The structured log saw every grading, with a model error code where one failed.
    const logLines = srv.stdout.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const gradeLogs = logLines.filter((l) => l.route === "/v1/grade");
    expect(gradeLogs.length).toBe(FAULTS.length * 2);
    expect(gradeLogs.every((l) => typeof l.requestId === "string" && typeof l.latencyMs === "number")).toBe(true);
    expect(gradeLogs.filter((l) => l.status === 200).every((l) => l.model === "gpt-4.1-mini" && (l.tokens as { input: number }).input > 0)).toBe(true);
    expect(logLines.some((l) => "answer" in l)).toBe(false);
  }, 120_000);
});
