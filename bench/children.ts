/**
 * The benchmarks' helper processes (the mock model, the bare-Hono floor), each in its own process so
 * its CPU time is not charged to what is measured. A helper prints its URL as its first line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** The project's Node 24 (the `node` devDependency), whatever `node` is on PATH. */
export const NODE = join(ROOT, "node_modules", ".bin", "node");

export interface LineChild {
  child: ChildProcess;
  /** The next line the child prints on stdout. */
  nextLine(): Promise<string>;
}

export function startLineChild(args: string[], stdin: "pipe" | "ignore" = "ignore"): LineChild {
  const child = spawn(NODE, args, { cwd: ROOT, stdio: [stdin, "pipe", "inherit"] });
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  let buffer = "";
  child.stdout!.on("data", (c: Buffer) => {
    buffer += c.toString();
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 1);
      wake?.();
    }
  });
  child.on("exit", () => wake?.());
  return {
    child,
    async nextLine() {
      while (!lines.length) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${args.join(" ")} exited (${child.exitCode ?? child.signalCode})`);
        await new Promise<void>((r) => (wake = r));
      }
      return lines.shift()!;
    },
  };
}

export interface MockModelProcess {
  baseURL: string;
  stop(): Promise<{ calls: number; maxInFlight: number }>;
}

/** bench/mock-model.ts at `latencyMs` per call; `stop()` resolves to its call counts. */
export async function startMockModelProcess(latencyMs: number): Promise<MockModelProcess> {
  const mock = startLineChild(["--import", "tsx", join(ROOT, "bench", "mock-model.ts"), String(latencyMs)], "pipe");
  const baseURL = await mock.nextLine();
  return {
    baseURL,
    async stop() {
      mock.child.stdin!.end();
      return JSON.parse(await mock.nextLine()) as { calls: number; maxInFlight: number };
    },
  };
}

/** bench/floor.ts: the bare Hono app; `stop()` ends it. */
export async function startFloor(): Promise<{ url: string; stop(): void }> {
  const floor = startLineChild([join(ROOT, "bench", "floor.ts")]);
  const url = await floor.nextLine();
  return { url, stop: () => void floor.child.kill("SIGTERM") };
}
