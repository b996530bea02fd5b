/**
 * The real CLI (bin/starcoach.js under the project's Node 24) as a child process, for tests that
 * kill it, race it against another process, or read its database while it runs.
 */
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const NODE = join(ROOT, "node_modules", ".bin", "node");
export const BIN = join(ROOT, "bin", "starcoach.js");

export interface CliProcess {
  child: ReturnType<typeof spawn>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Start `starcoach ARGS` against the model at `baseURL` (LLM mode, no SDK retries) on database `db`. */
export function startCli(args: string[], db: string, baseURL: string): CliProcess {
  const child = spawn(NODE, [BIN, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: baseURL, STARCOACH_DB: db, STARCOACH_MODEL_RETRIES: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exited };
}

/** Batch rows graded so far, read through a separate read-only connection (0 before the tables exist). */
export function doneRows(db: string): number {
  if (!existsSync(db)) return 0;
  let conn: Database.Database | null = null;
  try {
    conn = new Database(db, { readonly: true, fileMustExist: true });
    return (conn.prepare("SELECT COUNT(*) AS n FROM batch_rows WHERE status = 'done'").get() as { n: number }).n;
  } catch {
    return 0;
  } finally {
    conn?.close();
  }
}

/** Wait until `doneRows(db)` reaches `n` (or `ms` pass). */
export async function waitForDoneRows(db: string, n: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (doneRows(db) < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}
