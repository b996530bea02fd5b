/**
 * wrk (the HTTP load generator, a Debian package) driven from TypeScript: every request carries a
 * different body, built by a small Lua script from a template with a `<id>` placeholder, so nothing
 * is served from a cache. Returns throughput and the latency percentiles wrk reports.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface WrkResult {
  requests: number;
  perSecond: number;
  /** Latency percentiles in ms. */
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export function hasWrk(): boolean {
  return spawnSync("wrk", ["--version"]).error === undefined;
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function latency(out: string, pct: number): number {
  const m = new RegExp(`^\\s+${pct}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m").exec(out);
  return m ? Number(m[1]) * MS[m[2]!]! : NaN;
}

/**
 * The Lua script: the template's JSON text split at `<id>`, a seed and a counter between the halves.
 * The seed comes from here: wrk's Lua generator is not seeded, so math.random gave every run the same
 * bodies, and in LLM mode a second run against the same server was served from the grading cache.
 */
function script(path: string, body: string): string {
  const [head, tail = ""] = body.split("<id>");
  const long = (s: string) => `[==[${s}]==]`;
  return `wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
local seed = ${randomInt(1, 1_000_000_000)}
request = function()
  n = n + 1
  return wrk.format(nil, ${long(path)}, nil, ${long(head!)} .. seed .. "-" .. n .. ${long(tail)})
end
`;
}

/** `wrk -t1 -c<connections> -d<seconds>s --latency` against POST `url`, each body `template` with a fresh `<id>`. */
export async function wrk(url: string, template: string, options: { connections: number; seconds: number; timeoutS?: number }): Promise<WrkResult> {
  const target = new URL(url);
  const file = join(mkdtempSync(join(tmpdir(), "starcoach-wrk-")), "post.lua");
  writeFileSync(file, script(target.pathname, template));
  const args = ["-t1", `-c${options.connections}`, `-d${options.seconds}s`, `--timeout`, `${options.timeoutS ?? 30}s`, "--latency", "-s", file, target.origin];
  const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${out}`);
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: num(/(\d+) requests in/),
    perSecond: num(/Requests\/sec:\s+([\d.]+)/),
    p50: latency(out, 50),
    p90: latency(out, 90),
    p99: latency(out, 99),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: errors ? errors.slice(1).reduce((n, x) => n + Number(x), 0) : 0,
  };
}
