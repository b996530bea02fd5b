/**
 * Resume after kill -9: the real CLI (bin/starcoach.js under Node 24) grades against a loopback
 * model server, is SIGKILLed mid-batch, and the same command run again completes the job.
 */
import Database from "better-sqlite3";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines } from "./support/cli.js";
import { doneRows, startCli as startCliProcess, waitForDoneRows } from "./support/cli-process.js";
import { startSlowModelServer, type SlowModelServer } from "./support/slow-model-server.js";

const ROWS = 24;

let model: SlowModelServer;
beforeAll(async () => {
  model = await startSlowModelServer(120);
});
afterAll(() => model.close());

const startCli = (args: string[], db: string) => startCliProcess(args, db, model.baseURL);

describe("resume after SIGKILL", () => {
  it("loses no row and grades none twice", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    const answers = Array.from({ length: ROWS }, (_, i) => SAMPLE_ANSWER.replace("Acme", `Acme-${i}`));
    writeFileSync(input, answers.map((answer, i) => JSON.stringify({ id: `a${i}`, principle: "ownership", answer })).join("\n"));
    const out = join(dirname(db), "out.jsonl");
    const args = ["grade", input, "--out", out, "--concurrency", "2"];

    const first = startCli(args, db);
    await waitForDoneRows(db, 8);
    first.child.kill("SIGKILL");
    const killed = await first.exited;
    expect(killed.signal).toBe("SIGKILL");
    const doneAtKill = doneRows(db);
    expect(doneAtKill).toBeGreaterThanOrEqual(8);
    expect(doneAtKill).toBeLessThan(ROWS);
    expect(existsSync(out)).toBe(false);
    const callsAtKill = model.calls;

    const second = await startCli(args, db).exited;
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/resuming job job_\w+: \d+ of 24 rows already finished/);

    const lines = jsonLines(readFileSync(out, "utf8"));
    expect(lines.map((l) => l.id)).toEqual(answers.map((_, i) => `a${i}`));
    expect(lines.every((l) => l.feedback?.meta.mode === "llm")).toBe(true);

    // Nothing recorded before the kill was sent again: at most the calls in flight at the kill repeat.
    expect(model.calls).toBeLessThanOrEqual(ROWS + 2);
    expect(model.calls - callsAtKill).toBeLessThanOrEqual(ROWS - doneAtKill + 2);
    // Every answer has exactly one stored grading (a grading stored just before the kill came from the cache).
    const conn = new Database(db, { readonly: true });
    const perAnswer = conn.prepare("SELECT answer, COUNT(*) AS n FROM gradings GROUP BY answer").all() as Array<{ n: number }>;
    conn.close();
    expect(perAnswer).toHaveLength(ROWS);
    expect(perAnswer.every((r) => r.n === 1)).toBe(true);
  }, 60_000);
});
