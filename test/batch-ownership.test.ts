/**
 * One grader per batch job: a job records its owner and holds a lease while it is graded, and is
 * never finished in another mode or with another model than it started with. The first two cases
 * race the real CLI (a child process, LLM mode against a slow loopback model) against a server and
 * against a second CLI on the same database file.
 */
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createJobFromRows, JobConflictError } from "../src/batch/job.js";
import { LEASE_MS, processOwner } from "../src/batch/lease.js";
import { runJob } from "../src/batch/runner.js";
import { createLocalBatchJobs } from "../src/batch/service.js";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService } from "../src/grading.js";
import { createApp } from "../src/http/app.js";
import type { BatchRowInput, JobOwner } from "../src/store/batch-types.js";
import { openSqliteBatchStore } from "../src/store/sqlite-batch.js";
import { openSqliteStore } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines } from "./support/cli.js";
import { startCli, waitForDoneRows } from "./support/cli-process.js";
import { startSlowModelServer, type SlowModelServer } from "./support/slow-model-server.js";

const ROWS = 24;
let model: SlowModelServer;
beforeAll(async () => {
  model = await startSlowModelServer(120);
});
afterAll(() => model.close());

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** An offline server's pieces on `db`: stores, grading service and the local batch runner, with its log. */
function offlineServer(db: string) {
  const store = openSqliteStore(db);
  const batches = openSqliteBatchStore(db);
  const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const logs: string[] = [];
  const local = createLocalBatchJobs({ store: batches, grading, log: (m) => logs.push(m) });
  closers.push(async () => {
    local.stop();
    await local.idle();
    await batches.close();
    await store.close();
  });
  return { store, batches, grading, local, logs };
}

function writeAnswers(db: string, n = ROWS): { input: string; answers: string[] } {
  const input = join(dirname(db), "answers.jsonl");
  const answers = Array.from({ length: n }, (_, i) => SAMPLE_ANSWER.replace("Acme", `Acme-${i}`));
  writeFileSync(input, answers.map((answer, i) => JSON.stringify({ id: `a${i}`, principle: "ownership", answer })).join("\n"));
  return { input, answers };
}

/** Stored gradings per mode, and the most times one answer was stored. */
function gradingsByMode(db: string): { llm: number; offline: number; maxPerAnswer: number } {
  const conn = new Database(db, { readonly: true });
  try {
    const count = (mode: string) => conn.prepare("SELECT COUNT(*) FROM gradings WHERE mode = ?").pluck().get(mode) as number;
    const maxPerAnswer = (conn.prepare("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM gradings GROUP BY answer)").pluck().get() as number | null) ?? 0;
    return { llm: count("llm"), offline: count("offline"), maxPerAnswer };
  } finally {
    conn.close();
  }
}

const rows = (n: number): BatchRowInput[] =>
  Array.from({ length: n }, (_, i) => ({ rowId: `r${i}`, principle: "ownership", question: null, answer: `${SAMPLE_ANSWER} Row ${i}.` }));

describe("batch jobs have one grader at a time", () => {
  it("a server starting while `starcoach grade` runs leaves the command's job alone (no offline rows in an LLM batch)", async () => {
    const db = tempDbFile();
    const { input, answers } = writeAnswers(db);
    const out = join(dirname(db), "out.jsonl");
    const cli = startCli(["grade", input, "--out", out, "--concurrency", "2"], db, model.baseURL);
    await waitForDoneRows(db, 4);

    const server = offlineServer(db);
    expect(await server.local.resumePending()).toEqual([]);
    await server.local.idle();
    expect(server.logs.join("\n")).toMatch(/1 unfinished `starcoach grade` job left to the command line \(run the same command again to finish\): job_\w+/);

    const done = await cli.exited;
    expect(done.code, done.stderr).toBe(0);
    const lines = jsonLines(readFileSync(out, "utf8"));
    expect(lines.map((l) => l.id)).toEqual(answers.map((_, i) => `a${i}`));
    expect(lines.every((l) => l.feedback?.meta.mode === "llm")).toBe(true);
    expect(gradingsByMode(db)).toEqual({ llm: ROWS, offline: 0, maxPerAnswer: 1 });
  }, 60_000);

  it("the same command run twice at once: the second exits 3 naming the first, which grades every row once", async () => {
    const db = tempDbFile();
    // One row at a time, 60 rows: about 7 s, long enough for the second command to start meanwhile.
    const { input } = writeAnswers(db, 60);
    const out = join(dirname(db), "out.jsonl");
    const args = ["grade", input, "--out", out, "--concurrency", "1"];
    const first = startCli(args, db, model.baseURL);
    await waitForDoneRows(db, 4);

    const second = await startCli(args, db, model.baseURL).exited;
    expect(second.code).toBe(3);
    expect(second.stderr.trim().split("\n").at(-1)).toMatch(
      new RegExp(`^starcoach: job job_\\w+ is being graded by a \`starcoach grade\` command \\(pid ${first.child.pid} on ${hostname()}\\); wait for it to finish or stop it`),
    );

    expect((await first.exited).code).toBe(0);
    expect(jsonLines(readFileSync(out, "utf8"))).toHaveLength(60);
    expect(gradingsByMode(db)).toEqual({ llm: 60, offline: 0, maxPerAnswer: 1 });
  }, 60_000);

  it("a job started with a model is not finished offline: the server skips it with a log line, the runner refuses it", async () => {
    const db = tempDbFile();
    const server = offlineServer(db);
    const llm = { mode: "llm" as const, model: "gpt-4.1-mini", promptVersion: server.grading.grader.promptVersion };
    const job = await createJobFromRows(server.batches, llm, rows(3));

    expect(await server.local.resumePending()).toEqual([]);
    expect(server.logs.join("\n")).toContain(
      `batch ${job.id} not resumed: job ${job.id} was started in llm mode with gpt-4.1-mini; this process grades in offline mode, so it leaves the job alone. ` +
        "Finish it with OPENAI_API_KEY set and STARCOACH_MODEL=gpt-4.1-mini.",
    );
    const refused = runJob({ batches: server.batches, grading: server.grading }, job.id, { owner: processOwner("cli"), concurrency: 1 });
    await expect(refused).rejects.toMatchObject({ code: "job_grader_mismatch" });
    expect((await server.batches.counts(job.id)).pending).toBe(3);
  });

  it("a lease held on another machine is respected until it expires; a dead local holder's is taken at once", async () => {
    const db = tempDbFile();
    const server = offlineServer(db);
    const job = await createJobFromRows(server.batches, server.grading.grader, rows(2));
    const run = () => runJob({ batches: server.batches, grading: server.grading }, job.id, { owner: processOwner("cli"), concurrency: 1 });
    const claim = (owner: JobOwner, until: number) => server.batches.claimJob(job.id, { owner, until, now: Date.now() });

    const remote: JobOwner = { kind: "cli", host: "some-other-machine", pid: 4242, token: "t1" };
    expect(await claim(remote, Date.now() + LEASE_MS)).toBe(true);
    const busy = await run().catch((err: unknown) => err);
    expect(busy).toBeInstanceOf(JobConflictError);
    expect((busy as JobConflictError).message).toContain("is being graded by a `starcoach grade` command (pid 4242 on some-other-machine)");

    // The remote holder stopped renewing: once its lease has run out the job is free.
    await server.batches.claimJob(job.id, { owner: remote, until: Date.now() - 1, now: Date.now() });
    expect((await run()).done).toBe(2);

    // A holder on this machine whose process is gone (kill -9): taken over without waiting.
    const again = await createJobFromRows(server.batches, server.grading.grader, rows(2));
    const deadPid = spawnSync("true").pid!;
    const dead: JobOwner = { kind: "cli", host: hostname(), pid: deadPid, token: "t2" };
    expect(await server.batches.claimJob(again.id, { owner: dead, until: Date.now() + LEASE_MS, now: Date.now() })).toBe(true);
    const taken = await runJob({ batches: server.batches, grading: server.grading }, again.id, { owner: processOwner("cli"), concurrency: 1 });
    expect(taken.done).toBe(2);
    expect((await server.batches.getJob(again.id))!.leaseExpiresAt).toBeNull(); // released at the end
  });

  it("deleting a job another process is grading answers 409 batch_busy with Retry-After", async () => {
    const db = tempDbFile();
    const server = offlineServer(db);
    const app = createApp({ store: server.store, grading: server.grading, batches: server.local });
    const job = await createJobFromRows(server.batches, server.grading.grader, rows(2));
    const other: JobOwner = { kind: "cli", host: "some-other-machine", pid: 7, token: "t" };
    await server.batches.claimJob(job.id, { owner: other, until: Date.now() + LEASE_MS, now: Date.now() });

    for (const path of [`/v1/batches/${job.id}`, "/v1/gradings?confirm=all-my-data"]) {
      const res = await app.request(path, { method: "DELETE" });
      expect(res.status, path).toBe(409);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await res.json()) as any).error.code).toBe("batch_busy");
    }
    await server.batches.releaseJob(job.id, other);
    expect((await app.request(`/v1/batches/${job.id}`, { method: "DELETE" })).status).toBe(204);
  });
});
