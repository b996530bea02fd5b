/**
 * The `starcoach` launcher (bin/starcoach.js) is the grading process itself: kill -9 of it stops the
 * grading (the documented "kill -9, then run the same command again" relies on it), and on a Node
 * older than package.json's engines it prints one line saying what to install instead of starting
 * another Node. Processes are found through /proc by a marker in their command line (Linux).
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { startSlowModelServer, type SlowModelServer } from "./support/slow-model-server.js";

const ROOT = join(import.meta.dirname, "..");
const NODE = join(ROOT, "node_modules", ".bin", "node");
const BIN = join(ROOT, "bin", "starcoach.js");
const REQUIRED = Number(/\d+/.exec(pkg.engines.node)![0]);

/** A node on the PATH (outside node_modules) older than the engines field, e.g. the distribution's. */
function olderSystemNode(): { path: string; version: string } | null {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter((d) => d && !d.includes("node_modules"));
  for (const dir of [...dirs, "/usr/bin", "/usr/local/bin"]) {
    const path = join(dir, "node");
    const r = spawnSync(path, ["-p", "process.versions.node"], { encoding: "utf8" });
    const version = r.status === 0 ? r.stdout.trim() : "";
    if (version && Number(version.split(".")[0]) < REQUIRED) return { path, version };
  }
  return null;
}

/** PIDs of live processes whose command line contains marker. */
function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const OLD_NODE = process.platform === "linux" ? olderSystemNode() : null;
if (process.platform === "linux" && !OLD_NODE) console.warn(`[launcher.test] no node older than ${REQUIRED} on this machine: the old-Node case is not exercised.`);

let model: SlowModelServer;
const markers: string[] = [];
beforeAll(async () => {
  model = await startSlowModelServer(150);
});
afterAll(() => model.close());
afterEach(() => {
  // A failing run must not leave a grading process behind for the rest of the suite.
  for (const marker of markers.splice(0)) for (const pid of processesMentioning(marker)) process.kill(pid, "SIGKILL");
});

/** A batch of 30 answers against the slow model: several seconds of grading, so there is time to kill it. */
function batchInput(): { input: string; out: string; db: string } {
  const db = tempDbFile();
  const input = join(dirname(db), "launcher-answers.jsonl");
  writeFileSync(input, Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `a${i}`, principle: "ownership", answer: SAMPLE_ANSWER.replace("Acme", `Launch-${i}`) })).join("\n"));
  markers.push(input);
  return { input, out: join(dirname(db), "out.jsonl"), db };
}

function startCli(node: string, b: { input: string; out: string; db: string }) {
  const child = spawn(node, [BIN, "grade", b.input, "--out", b.out, "--concurrency", "2"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.baseURL, STARCOACH_DB: b.db, STARCOACH_MODEL_RETRIES: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr })));
  return { child, exited };
}

async function until(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(process.platform !== "linux")("the starcoach launcher", () => {
  it("is the grading process: kill -9 of it leaves nothing grading", async () => {
    const b = batchInput();
    const callsBefore = model.calls;
    const cli = startCli(NODE, b);
    await until(() => model.calls >= callsBefore + 2, 15_000);
    expect(model.calls).toBeGreaterThanOrEqual(callsBefore + 2);
    // One process grades, under the PID that was started (the heap-cap re-exec keeps it).
    expect(processesMentioning(b.input)).toEqual([cli.child.pid]);

    cli.child.kill("SIGKILL");
    expect((await cli.exited).signal).toBe("SIGKILL");
    expect(processesMentioning(b.input)).toEqual([]);
    const callsAtKill = model.calls;
    await new Promise((r) => setTimeout(r, 600)); // four model latencies: a survivor would have called again
    expect(model.calls).toBe(callsAtKill);
  }, 30_000);

  it.skipIf(!OLD_NODE)("on an older Node: one line saying what to install, exit 1, no Node started behind it", async () => {
    const b = batchInput();
    const callsBefore = model.calls;
    const cli = startCli(OLD_NODE!.path, b);
    let exited = false;
    void cli.exited.then(() => (exited = true));
    // Were another Node started to grade, it would be calling the model by now; kill -9 the launcher then.
    await until(() => exited || model.calls > callsBefore, 10_000);
    if (!exited) cli.child.kill("SIGKILL");
    const result = await cli.exited;
    expect(processesMentioning(b.input)).toEqual([]);
    expect(model.calls).toBe(callsBefore);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`starcoach needs Node.js ${REQUIRED} or later; this is Node.js v${OLD_NODE!.version}. Install Node.js ${REQUIRED} (https://nodejs.org/ or \`nvm install ${REQUIRED}\`) and run it again.\n`);
  }, 30_000);
});
