/**
 * Workers entry: the same app as src/node.ts (createApp + createGradingService), with Workers
 * adapters — D1 for the store, env bindings/secrets for configuration, the rubric bundled as a Text
 * module instead of read from disk. Nothing here may import src/node.ts or any node:* module.
 */
import RUBRIC from "../prompts/star-rubric.md";
import { loadConfig } from "./config.js";
import { createLlmGrader } from "./grader/llm.js";
import { createOfflineGrader } from "./grader/offline-grader.js";
import { createGradingService } from "./grading.js";
import { createApp, type App } from "./http/app.js";
import { errorBody } from "./http/errors.js";
import { openD1Store } from "./store/d1.js";
import type { D1Database, ExecutionContext } from "./worker/bindings.js";

export interface WorkerEnv {
  DB: D1Database;
  /** Plain vars from wrangler.toml and secrets (OPENAI_API_KEY) arrive as strings. */
  [name: string]: unknown;
}

/** Only the string bindings are configuration; loadConfig parses them exactly as on Node. */
function stringVars(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export async function createWorkerApp(env: WorkerEnv): Promise<App> {
  const config = loadConfig(stringVars(env));
  const store = openD1Store(env.DB);
  const grader = config.llm ? await createLlmGrader(config.llm, RUBRIC) : createOfflineGrader();
  return createApp({ store, grading: createGradingService({ store, grader, length: config.length }) });
}

// One app per isolate: building it hashes the prompt, so do that once, not per request. The env
// object is stable within an isolate; keying on it picks up new bindings after a redeploy.
let cached: { env: WorkerEnv; app: Promise<App> } | null = null;
function appFor(env: WorkerEnv): Promise<App> {
  if (cached?.env !== env) cached = { env, app: createWorkerApp(env) };
  return cached.app;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App;
    try {
      app = await appFor(env);
    } catch (err) {
      cached = null;
      const message = err instanceof Error ? err.message : String(err);
      console.error(`[starcoach] cannot start: ${message}`);
      return Response.json(errorBody("config_invalid", message), { status: 500 });
    }
    return app.fetch(request, env, ctx as never);
  },
};
