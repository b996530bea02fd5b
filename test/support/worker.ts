/**
 * Start the real Worker (src/worker.ts through wrangler.toml) in local workerd with wrangler's
 * unstable_startWorker: a local D1 persisted to a temp dir, migrated with the same
 * `wrangler d1 migrations apply --local` a user runs. No account, no network.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { unstable_readConfig, unstable_startWorker } from "wrangler";

export const ROOT = join(import.meta.dirname, "..", "..");
const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" };

export interface LocalWorker {
  url: string;
  persistDir: string;
  worker: Awaited<ReturnType<typeof unstable_startWorker>>;
  dispose(): Promise<void>;
}

/** `wrangler d1 migrations apply DB --local` into persistDir (what `npm run dev:worker` runs first). */
export async function migrateLocalD1(persistDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], {
    cwd: ROOT,
    env: ENV,
  });
  return stdout;
}

export async function startLocalWorker(vars: Record<string, string>, options: { entrypoint?: string } = {}): Promise<LocalWorker> {
  process.env.WRANGLER_SEND_METRICS = "false";
  const persistDir = mkdtempSync(join(tmpdir(), "starcoach-worker-"));
  await migrateLocalD1(persistDir);
  const worker = await unstable_startWorker({
    config: join(ROOT, "wrangler.toml"),
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    // Passed explicitly: unstable_startWorker does not derive the bundler's Node built-in handling
    // from wrangler.toml's nodejs_compat by itself (wrangler dev and deploy do), so bare "stream"
    // imports (csv-parse) fail to resolve without these two.
    compatibilityFlags: unstable_readConfig({ config: join(ROOT, "wrangler.toml") }).compatibility_flags,
    build: { nodejsCompatMode: "v2" },
    sendMetrics: false,
    // Empty list: do not load the developer's .dev.vars/.env (a real OPENAI_API_KEY) into tests.
    envFiles: [],
    bindings: Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { type: "plain_text" as const, value }])),
    dev: {
      persist: persistDir,
      remote: false,
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      logLevel: (process.env.STARCOACH_WORKER_LOG as "warn" | undefined) ?? "warn",
    },
  });
  await worker.ready;
  const url = (await worker.url).toString().replace(/\/$/, "");
  return {
    url,
    persistDir,
    worker,
    async dispose() {
      await worker.dispose();
      rmSync(persistDir, { recursive: true, force: true });
    },
  };
}
