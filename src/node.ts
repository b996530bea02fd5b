/** Node entry: real SQLite store, real model client (or offline), served on PORT. */
import { serve } from "@hono/node-server";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type Config } from "./config.js";
import { createLlmGrader } from "./grader/llm.js";
import { withStreaming } from "./grader/llm-stream.js";
import { createOfflineGrader } from "./grader/offline-grader.js";
import type { Grader } from "./grader/types.js";
import { createGradingService } from "./grading.js";
import { createApp } from "./http/app.js";
import type { AppDeps } from "./http/context.js";
import { openSqliteStore } from "./store/sqlite.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RUBRIC_FILE = join(ROOT, "prompts", "star-rubric.md");

export async function createGrader(config: Config, fetchImpl?: typeof fetch): Promise<Grader> {
  if (!config.llm) return createOfflineGrader();
  const template = await readFile(RUBRIC_FILE, "utf8");
  const settings = { ...config.llm, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  // Streaming only adds gradeStream (used by the web page); grade() is the plain LLM grader.
  return withStreaming(await createLlmGrader(settings, template), settings, template);
}

const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const ASSET_TYPES: Record<string, string> = { ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8" };

export async function docsAsset(file: string) {
  try {
    const body = await readFile(join(swaggerDir, file));
    return { body: new Uint8Array(body), type: ASSET_TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" };
  } catch {
    return null;
  }
}

/** Build the Node app's dependencies from configuration. */
export async function createNodeDeps(config: Config): Promise<AppDeps> {
  const store = openSqliteStore(config.dbFile);
  const grader = await createGrader(config);
  return { store, grading: createGradingService({ store, grader, length: config.length }), docsAsset };
}

async function main() {
  const config = loadConfig(process.env);
  const deps = await createNodeDeps(config);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const mode = config.llm ? `LLM mode (${config.llm.model})` : "offline mode (no OPENAI_API_KEY: rule-based feedback only)";
    console.log(`starcoach listening on http://${config.host}:${info.port} — ${mode}; data in ${config.dbFile}`);
  });
  const stop = () => {
    server.close(() => void deps.store.close().then(() => process.exit(0)));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
