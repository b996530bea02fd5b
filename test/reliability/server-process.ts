/**
 * The real service as a child process: `bin/starcoach.js serve` on the built bundle (what `npm start`
 * runs), on a loopback port chosen by the OS, with its stdout/stderr captured.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  dbFile: string;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): void;
}

export async function startServerProcess(env: Record<string, string>, options: { startTimeoutMs?: number; /** keep stdout lines after startup (default true) */ keepStdout?: boolean } = {}): Promise<ServerProcess> {
  let started = false;
  const dbFile = env.STARCOACH_DB ?? join(mkdtempSync(join(tmpdir(), "starcoach-rel-")), "starcoach.db");
  const child = spawn(process.execPath, [join(ROOT, "bin", "starcoach.js"), "serve"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      PORT: "0",
      HOST: "127.0.0.1",
      STARCOACH_DB: dbFile,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let outBuf = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  let exitedFlag = false;
  void exited.then(() => (exitedFlag = true));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr.join("")}`)), options.startTimeoutMs ?? 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      outBuf += chunk.toString("utf8");
      let i;
      while ((i = outBuf.indexOf("\n")) >= 0) {
        const line = outBuf.slice(0, i);
        outBuf = outBuf.slice(i + 1);
        if (!started || options.keepStdout !== false) stdout.push(line);
        const m = /listening on (http:\/\/[^ ]+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          started = true;
          resolve(m[1]!);
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString("utf8")));
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening: ${stderr.join("")}`));
    });
  });
  return {
    base,
    child,
    dbFile,
    stdout,
    stderr,
    exited,
    alive: () => !exitedFlag,
    kill: (signal = "SIGTERM") => void child.kill(signal),
  };
}
