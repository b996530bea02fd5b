/**
 * Crash safety of batches: the real CLI (bin/starcoach.js) grades 200 rows against a loopback mock
 * model and is killed with SIGKILL at 10 random points (seeded), resumed by re-running the same
 * command each time, then left to finish. No row may be lost or written twice, every answer must have
 * exactly one stored grading, and the SQLite file must pass PRAGMA integrity_check.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER } from "../support/app.js";
import { doneRows } from "../support/cli-process.js";
import { startMockModel, type MockModel } from "./mock-model.js";
import { ROOT } from "./server-process.js";

const NODE = join(ROOT, "node_modules", ".bin", "node");
const BIN = join(ROOT, "bin", "starcoach.js");
const ROWS = 200;
const KILLS = 10;

let model: MockModel;
beforeAll(async () => {
  model = await startMockModel({ latencyMs: 25 });
});
afterAll(() => model?.close());

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function startCli(args: string[], db: string) {
  const child = spawn(NODE, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENAI_API_KEY: "sk-test-crash-0123456789", OPENAI_BASE_URL: model.baseURL, STARCOACH_DB: db, STARCOACH_MODEL_RETRIES: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

describe("crash safety of batches", () => {
  it(`${ROWS} rows, SIGKILL at ${KILLS} random points, resumed each time: 0 lost, 0 duplicated`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? 20260706);
    const random = prng(seed);
    const dir = mkdtempSync(join(tmpdir(), "starcoach-crash-"));
    const db = join(dir, "starcoach.db");
    const input = join(dir, "answers.jsonl");
    const out = join(dir, "out.jsonl");
    const answers = Array.from({ length: ROWS }, (_, i) => `${SAMPLE_ANSWER} Crash row ${i}.`);
    writeFileSync(input, answers.map((answer, i) => JSON.stringify({ id: `r${i}`, principle: "ownership", answer })).join("\n") + "\n");
    const args = ["grade", input, "--out", out, "--concurrency", "4"];

    // Ten distinct kill points spread over the run: a done-row count, plus a random extra delay.
    const points = [...new Set(Array.from({ length: 40 }, () => 1 + Math.floor(random() * (ROWS - 10))))].slice(0, KILLS).sort((a, b) => a - b);
    const kills: string[] = [];
    for (const point of points) {
      const run = startCli(args, db);
      const deadline = Date.now() + 30_000;
      let finished = false;
      void run.exited.then(() => (finished = true));
      while (!finished && doneRows(db) < point && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
      run.child.kill("SIGKILL");
      const end = await run.exited;
      kills.push(`${point}→${doneRows(db)}${end.signal === "SIGKILL" ? "" : ` (exited ${end.code} first)`}`);
    }
    const last = await startCli(args, db).exited;
    expect(last.code, last.stderr).toBe(0);

    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; feedback?: { meta: { mode: string } }; error?: unknown });
    const ids = lines.map((l) => l.id);
    const unique = new Set(ids);
    const lost = answers.filter((_, i) => !unique.has(`r${i}`)).length;
    const duplicated = ids.length - unique.size;
    const errors = lines.filter((l) => !l.feedback).length;

    const conn = new Database(db, { readonly: true });
    const integrity = conn.pragma("integrity_check", { simple: true });
    const perAnswer = conn.prepare("SELECT COUNT(*) AS n FROM gradings WHERE answer LIKE '%Crash row %' GROUP BY answer").all() as Array<{ n: number }>;
    const rowStates = conn.prepare("SELECT status, COUNT(*) AS n FROM batch_rows GROUP BY status").all() as Array<{ status: string; n: number }>;
    conn.close();
    const storedTwice = perAnswer.filter((r) => r.n > 1).length;

    console.log(
      `\n[crash-safety] seed ${seed}; kill points (done rows wanted→at kill): ${kills.join(", ")}\n` +
        `[crash-safety] ${ROWS} rows, ${KILLS} SIGKILLs: ${lost} lost, ${duplicated} duplicated; ${errors} error rows; ` +
        `${perAnswer.length} answers stored, ${storedTwice} stored twice; model calls ${model.calls} (${model.calls - ROWS} repeated for rows in flight at a kill); ` +
        `batch_rows ${rowStates.map((r) => `${r.status} ${r.n}`).join(", ")}; PRAGMA integrity_check: ${integrity}`,
    );
    expect(points.length).toBe(KILLS);
    expect(ids).toEqual(answers.map((_, i) => `r${i}`));
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(errors).toBe(0);
    expect(perAnswer).toHaveLength(ROWS);
    expect(storedTwice).toBe(0);
    expect(integrity).toBe("ok");
  }, 240_000);
});
