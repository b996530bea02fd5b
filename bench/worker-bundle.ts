/**
 * `npm run bundle:worker`: build the Worker exactly as `wrangler deploy` would (--dry-run
 * --outdir dist/worker), print its raw and gzip size against the plan limits, and fail if anything
 * Node-only (better-sqlite3, src/node.ts, node:fs, swagger-ui-dist) ended up in the bundle.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Compressed-size limits of a Worker: 3 MB on Workers Free, 10 MB on Workers Paid. */
export const FREE_PLAN_LIMIT = 3 * 1024 * 1024;
export const PAID_PLAN_LIMIT = 10 * 1024 * 1024;
/**
 * Node built-ins workerd provides under the nodejs_compat flag (used by the shared batch input
 * code); anything else from node:* — fs above all — has no meaning on Workers and is an error.
 */
export const ALLOWED_BUILTINS = new Set(["node:buffer", "node:crypto", "node:events", "node:stream", "node:string_decoder", "node:util", "node:async_hooks", "node:diagnostics_channel"]);
const FORBIDDEN = [/node_modules\/better-sqlite3\//, /node_modules\/swagger-ui-dist\//, /node_modules\/@hono\/node-server\//, /^src\/node\.ts$/, /^src\/store\/sqlite\.ts$/];

export interface BundleReport {
  files: Array<{ name: string; bytes: number }>;
  rawBytes: number;
  gzipBytes: number;
  /** Node-only inputs, or node:* imports workerd does not provide, found in the bundle; must be empty. */
  forbidden: string[];
  wranglerSummary: string | null;
}

export function buildWorkerBundle(outdir = join(ROOT, "dist", "worker")): BundleReport {
  rmSync(outdir, { recursive: true, force: true });
  const metafile = join(outdir, "meta.json");
  const result = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "deploy", "--dry-run", "--outdir", outdir, "--metafile", metafile],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } },
  );
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
  const files = readdirSync(outdir)
    .filter((f) => !f.endsWith(".map") && f !== "meta.json" && f !== "README.md")
    .map((name) => ({ name, bytes: statSync(join(outdir, name)).size }));
  const all = Buffer.concat(files.map((f) => readFileSync(join(outdir, f.name))));
  const meta = JSON.parse(readFileSync(metafile, "utf8")) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { imports?: Array<{ path: string; external?: boolean }> }>;
  };
  const forbidden = [
    ...Object.keys(meta.inputs).filter((input) => FORBIDDEN.some((re) => re.test(input))),
    ...Object.values(meta.outputs).flatMap((o) =>
      (o.imports ?? []).filter((i) => i.external && /^(node:|fs$|path$)/.test(i.path) && !ALLOWED_BUILTINS.has(i.path)).map((i) => i.path),
    ),
  ];
  return {
    files,
    rawBytes: all.length,
    gzipBytes: gzipSync(all, { level: 9 }).length,
    forbidden: [...new Set(forbidden)],
    wranglerSummary: /Total Upload:.*$/m.exec(result.stdout)?.[0] ?? null,
  };
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = buildWorkerBundle();
  for (const f of report.files) console.log(`  ${f.name.padEnd(60)} ${kib(f.bytes)}`);
  console.log(`Worker bundle: ${kib(report.rawBytes)} raw, ${kib(report.gzipBytes)} gzip` +
    ` (${((report.gzipBytes / FREE_PLAN_LIMIT) * 100).toFixed(1)}% of the 3 MB Workers Free limit)`);
  if (report.wranglerSummary) console.log(`wrangler: ${report.wranglerSummary}`);
  if (report.forbidden.length) {
    console.error(`Node-only code in the Worker bundle: ${report.forbidden.join(", ")}`);
    process.exit(1);
  }
  if (report.gzipBytes > FREE_PLAN_LIMIT) {
    console.error("The Worker bundle is over the Workers Free size limit.");
    process.exit(1);
  }
}
