/**
 * `--out` and `--report` targets: what the CLI may replace and what it must write through or refuse,
 * checked before anything is graded. Runs the CLI in-process on real files, links, a FIFO and (as
 * root) a character device made with mknod, never the machine's own /dev/null.
 */
import Database from "better-sqlite3";
import { execFileSync } from "node:child_process";
import { chmodSync, createReadStream, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines, runCli } from "./support/cli.js";

const isRoot = process.getuid?.() === 0;

function setup() {
  const db = tempDbFile();
  const dir = dirname(db);
  const input = join(dir, "answers.jsonl");
  writeFileSync(input, ["a", "b"].map((id) => JSON.stringify({ id, principle: "ownership", answer: SAMPLE_ANSWER })).join("\n"));
  return { db, dir, input, grade: (out: string, ...more: string[]) => runCli(["grade", input, "--offline", "--db", db, "--out", out, ...more]) };
}

/** Batch jobs stored in the database: 0 means the command stopped before reading any row. */
function jobCount(db: string): number {
  if (!existsSync(db)) return 0;
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.prepare("SELECT COUNT(*) AS n FROM batch_jobs").get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

const oneLine = (stderr: string) => {
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe("--out targets", () => {
  it("follows a symbolic link: the file it points to gets the results, the link stays a link, permissions are kept", async () => {
    const { dir, grade } = setup();
    const target = join(dir, "real.jsonl");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o600);
    const link = join(dir, "link.jsonl");
    symlinkSync(target, link);
    const r = await grade(link);
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(jsonLines(readFileSync(target, "utf8")).map((l) => l.id)).toEqual(["a", "b"]);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(existsSync(`${target}.partial`)).toBe(false);
  });

  it.skipIf(!isRoot)("writes through to a character device instead of replacing it (a private copy of /dev/null)", async () => {
    const { dir, grade } = setup();
    const dev = join(dir, "null");
    execFileSync("mknod", [dev, "c", "1", "3"]);
    const r = await grade(dev, "--report", dev);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(existsSync(`${dev}.partial`)).toBe(false);
  });

  it("writes through to a named pipe", async () => {
    const { dir, grade } = setup();
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on("data", (c) => chunks.push(c as Buffer));
    const ended = new Promise((resolve) => reader.on("end", resolve));
    const r = await grade(fifo);
    await ended;
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(jsonLines(Buffer.concat(chunks).toString("utf8")).map((l) => l.id)).toEqual(["a", "b"]);
  });

  it("refuses a folder with one line and exit 2, before reading a single row", async () => {
    const { db, dir, grade } = setup();
    const folder = join(dir, "results");
    mkdirSync(folder);
    const r = await grade(folder);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toContain(`cannot write --out ${folder}: it is a folder`);
    expect(jobCount(db)).toBe(0);
    const report = await runCli(["grade", join(dir, "answers.jsonl"), "--offline", "--db", db, "--report", dir]);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain("cannot write --report");
  });

  it("refuses to write over the input file or the database", async () => {
    const { db, input, grade } = setup();
    expect((await grade(input)).code).toBe(2);
    const r = await grade(db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("that is the input file or the database");
    expect(readFileSync(input, "utf8")).toContain('"id":"a"');
  });

  it("checks that the folder is writable before grading: a missing folder is exit 74, one line, nothing graded", async () => {
    const { db, dir, grade } = setup();
    const r = await grade(join(dir, "no-such-folder", "out.jsonl"));
    expect(r.code).toBe(74);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/cannot write --out .*no-such-folder\/out\.jsonl: no such file or folder \(ENOENT\)/);
    expect(jobCount(db)).toBe(0);
  });
});
