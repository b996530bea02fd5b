/**
 * Storage faults end in a precise answer, never a 500 or a stack trace: a damaged database, a full
 * one, a folder that cannot be written and an output that cannot be written. The damaged and
 * unwritable cases run the real server and CLI as child processes; a full disk is simulated with
 * STARCOACH_DB_MAX_MB (SQLite's max_page_count raises SQLITE_FULL, the same code a full disk gives).
 *
 * Read-only folders as root: root ignores file permissions, so that case runs the CLI and the
 * server as the unprivileged user `nobody` (spawn's uid/gid options) in a folder with mode 0555;
 * run as another user, the folder's mode alone does it. A database path under a regular file
 * (ENOTDIR) needs no privileges at all and runs in-process.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService } from "../src/grading.js";
import { securityDefaults } from "../src/config.js";
import { createApp } from "../src/http/app.js";
import { HEALTH_CACHE_MS } from "../src/store/faults.js";
import { openSqliteStore, type DatabaseOptions } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { runCli } from "./support/cli.js";

const ROOT = join(import.meta.dirname, "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const BIN = join(ROOT, "bin", "starcoach.js");
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

interface Run {
  code: number | null;
  stderr: string;
}

/** Run a command to its end; `stdout` is a file descriptor (e.g. /dev/full) or ignored. */
function run(args: string[], env: Record<string, string>, options: { uid?: number; stdout?: number } = {}): Promise<Run> {
  const child = spawn(NODE, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", options.stdout ?? "ignore", "pipe"],
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

const cli = (args: string[], env: Record<string, string> = {}, options: { uid?: number; stdout?: number } = {}) => run([BIN, ...args], env, options);
const startServer = (db: string, uid?: number) => cli(["serve"], { STARCOACH_DB: db }, uid === undefined ? {} : { uid });

/** The last line of stderr is the error: one line, no stack trace. */
function lastLine(r: Run): string {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trim().split("\n").at(-1)!;
}

function answersFile(dir: string, n = 3): string {
  const input = join(dir, "answers.jsonl");
  writeFileSync(input, Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i}`, principle: "ownership", answer: `${SAMPLE_ANSWER} Row ${i}.` })).join("\n"));
  return input;
}

function buildApp(db: string, options: DatabaseOptions = {}) {
  const store = openSqliteStore(db, options);
  const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  // No rate limit: the full-disk test grades until the cap is reached.
  const app = createApp({ store, grading, security: { ...securityDefaults(), rateLimitPerMinute: 0, log: { enabled: false, answers: false } } });
  closers.push(() => store.close());
  return {
    store,
    grading,
    async call(method: string, path: string, body?: unknown) {
      const res = await app.request(path, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
      return { status: res.status, json: (await res.json()) as any };
    },
  };
}

/** A closed database with `n` gradings, the first with a long answer (its text fills the lowest overflow pages). */
async function seed(db: string, n: number): Promise<void> {
  const store = openSqliteStore(db);
  const grading = createGradingService({ store, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  await grading.grade({ principle: "ownership", answer: `${SAMPLE_ANSWER} ${"I measured every step again. ".repeat(400)}` });
  for (let i = 1; i < n; i++) await grading.grade({ principle: "ownership", answer: `${SAMPLE_ANSWER} Story ${i}.` });
  await store.close(); // checkpoints: every page is in the main file
}

/**
 * Overwrite pages of the gradings table (of one kind, in file order) with 0xFF: a b-tree page then
 * has an impossible header, and an overflow page points past the end of the file (SQLITE_CORRUPT).
 */
function damagePages(db: string, kinds: string[], which: (pages: number[]) => number[]): void {
  const conn = new Database(db, { readonly: true });
  const pageSize = conn.pragma("page_size", { simple: true }) as number;
  const pages = conn
    .prepare(`SELECT pageno FROM dbstat WHERE name = 'gradings' AND pagetype IN (${kinds.map(() => "?").join(",")}) ORDER BY pageno`)
    .pluck()
    .all(...kinds) as number[];
  conn.close();
  const fd = openSync(db, "r+");
  for (const page of which(pages)) writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

describe("a damaged database", () => {
  it("a file that is not a database: the server does not start and the CLI exits 74, each with one line naming the file", async () => {
    const db = tempDbFile();
    writeFileSync(db, Buffer.alloc(64 * 1024, "garbage! "));
    const server = await startServer(db);
    expect(server.code).toBe(74);
    expect(lastLine(server)).toBe(
      `starcoach: the database ${db} is damaged (file is not a database): stop starcoach, keep a copy of the file, then recover it with ` +
        `\`sqlite3 ${db} .recover | sqlite3 recovered.db\` and point STARCOACH_DB at recovered.db, or move it aside to start empty.`,
    );
    const r = await runCli(["grade", answersFile(dirname(db)), "--offline", "--db", db]);
    expect(r.code).toBe(74);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`the database ${db} is damaged`);
  }, 60_000);

  it("damage the start-up check reads (the table's b-tree pages): the server refuses to start", async () => {
    const db = tempDbFile();
    await seed(db, 6);
    damagePages(db, ["internal", "leaf"], (pages) => pages);
    const server = await startServer(db);
    expect(server.code).toBe(74);
    expect(lastLine(server)).toMatch(/^starcoach: the database .* is damaged \(database disk image is malformed\)/);
  }, 60_000);

  it("damage found while serving: 503 store_corrupt for history, then /healthz, and no more writes", async () => {
    const db = tempDbFile();
    await seed(db, 6);
    damagePages(db, ["overflow"], (pages) => pages.slice(0, 1)); // the oldest grading's long text
    const app = buildApp(db);
    expect((await app.call("GET", "/healthz")).status).toBe(200); // the newest grading reads fine

    const history = await app.call("GET", "/v1/gradings?limit=50");
    expect(history.status).toBe(503);
    expect(history.json.error.code).toBe("store_corrupt");
    expect(history.json.error.message).not.toContain(db); // no server path to clients

    const health = await app.call("GET", "/healthz");
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: "error", error: { code: "store_corrupt" } });

    const walBefore = readFileSync(`${db}-wal`);
    const graded = await app.call("POST", "/v1/grade", { principle: "ownership", answer: SAMPLE_ANSWER });
    expect(graded.status).toBe(503);
    expect(graded.json.error.code).toBe("store_corrupt");
    expect(readFileSync(`${db}-wal`).equals(walBefore)).toBe(true); // nothing written
    await app.store.close();
    const conn = new Database(db, { readonly: true });
    expect(conn.prepare("SELECT COUNT(*) FROM gradings").pluck().get()).toBe(6);
    conn.close();
  });
});

describe("a full database (STARCOACH_DB_MAX_MB)", () => {
  it("grading answers 507 storage_full, /healthz 503 storage_full, and both recover once space is freed", async () => {
    const db = tempDbFile();
    const app = buildApp(db, { maxMb: 0.25 });
    let last = { status: 200, json: {} as any };
    for (let i = 0; i < 100 && last.status === 200; i++) last = await app.call("POST", "/v1/grade", { principle: "ownership", answer: `${SAMPLE_ANSWER} Story ${i}.` });
    expect(last.status).toBe(507);
    expect(last.json.error.code).toBe("storage_full");
    await new Promise((r) => setTimeout(r, HEALTH_CACHE_MS + 50));
    const health = await app.call("GET", "/healthz");
    expect(health.status).toBe(503);
    expect(health.json.error.code).toBe("storage_full");

    expect((await app.call("DELETE", "/v1/gradings?confirm=all-my-data")).status).toBe(200);
    await new Promise((r) => setTimeout(r, HEALTH_CACHE_MS + 50));
    expect((await app.call("GET", "/healthz")).status).toBe(200);
    expect((await app.call("POST", "/v1/grade", { principle: "ownership", answer: SAMPLE_ANSWER })).status).toBe(200);
  });

  it("the CLI stops with exit 74 and one line, leaves the rest pending, and resumes once there is room", async () => {
    const db = tempDbFile();
    const input = answersFile(dirname(db), 60);
    const full = await runCli(["grade", input, "--offline", "--db", db], { env: { STARCOACH_DB_MAX_MB: "0.3" } });
    expect(full.code).toBe(74);
    expect(full.stderr.trim().split("\n").at(-1)).toMatch(/^starcoach: the database .* is full \(database or disk is full\): free disk space/);
    const conn = new Database(db, { readonly: true });
    const states = conn.prepare("SELECT status, COUNT(*) AS n FROM batch_rows GROUP BY status").all() as Array<{ status: string; n: number }>;
    conn.close();
    expect(states.find((s) => s.status === "error")).toBeUndefined(); // no row blamed for the disk
    expect(states.find((s) => s.status === "pending")!.n).toBeGreaterThan(0);

    const resumed = await runCli(["grade", input, "--offline", "--db", db]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain("resuming job");
    expect(resumed.stdout.trim().split("\n")).toHaveLength(60);
  });
});

describe("a folder the database cannot be written in", () => {
  it("a database path under a regular file: exit 74, one line naming the file", async () => {
    const dir = dirname(tempDbFile());
    writeFileSync(join(dir, "notes.txt"), "a file, not a folder");
    const db = join(dir, "notes.txt", "starcoach.db");
    const r = await runCli(["grade", answersFile(dir), "--offline", "--db", db]);
    expect(r.code).toBe(74);
    expect(r.stderr.trim()).toBe(
      `starcoach: cannot read or write the database ${db} (ENOTDIR: ${dirname(db)} is a file, not a folder): ` +
        "check that its folder exists and this user may write there, or set STARCOACH_DB (or --db) to a writable file.",
    );
  });

  it("a read-only folder (as `nobody` when run as root): the CLI exits 74 and the server does not start, each with one line", async () => {
    const base = mkdtempSync(join(tmpdir(), "starcoach-ro-"));
    chmodSync(base, 0o755);
    const dir = join(base, "readonly");
    mkdirSync(dir);
    const input = answersFile(dir);
    chmodSync(input, 0o644);
    chmodSync(dir, 0o555);
    const uid = isRoot ? NOBODY : undefined;
    const db = join(dir, "starcoach.db");

    const r = await cli(["grade", input, "--offline", "--db", db], {}, uid === undefined ? {} : { uid });
    expect(r.code, r.stderr).toBe(74);
    expect(lastLine(r)).toMatch(/^starcoach: cannot read or write the database .*readonly\/starcoach\.db \(unable to open database file\): check that its folder exists and this user may write there/);

    const server = await startServer(db, uid);
    expect(server.code).toBe(74);
    expect(lastLine(server)).toContain(`cannot read or write the database ${db}`);
  }, 60_000);
});

describe("an output that cannot be written", () => {
  it("standard output on /dev/full: exit 74 and one line", async () => {
    const db = tempDbFile();
    const full = openSync("/dev/full", "w");
    try {
      const r = await cli(["grade", answersFile(dirname(db)), "--offline", "--db", db], {}, { stdout: full });
      expect(r.code).toBe(74);
      expect(lastLine(r)).toBe("starcoach: cannot write the results to standard output: no space left on the device (ENOSPC)");
    } finally {
      closeSync(full);
    }
    expect(readFileSync(db).length).toBeGreaterThan(0);
  }, 60_000);
});
