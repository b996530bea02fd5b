/**
 * Workers entry: the same app as src/node.ts (createApp + createGradingService), with Workers
 * adapters — D1 for the stores, env bindings/secrets for configuration, the rubric bundled as a Text
 * module instead of read from disk, and a Cloudflare Queue (consumed below) instead of the local
 * batch runner. Nothing here may import src/node.ts or any node:* module.
 */
import BAR_RAISER from "../prompts/bar-raiser.md";
import FOLLOW_UP from "../prompts/followup-rubric.md";
import REWRITE from "../prompts/rewrite.md";
import RUBRIC from "../prompts/star-rubric.md";
import { loadConfig } from "./config.js";
import { warmUp } from "./core/nlp.js";
import { runDoctor } from "./grader/doctor.js";
import { graderFromConfig, rewriterFromConfig } from "./grader/from-config.js";
import { createGradingService } from "./grading.js";
import { createRewriteService } from "./rewrite.js";
import { createSpokenGrading } from "./spoken.js";
import { transcriberFromConfig } from "./transcribe/from-config.js";
import { createApp, type App } from "./http/app.js";
import type { AppDeps } from "./http/context.js";
import { errorBody } from "./http/errors.js";
import { createGate } from "./http/middleware/concurrency.js";
import { openD1 } from "./store/d1.js";
import type { D1Database } from "./store/d1-types.js";
import type { ExecutionContext, MessageBatch, Queue } from "./worker/bindings.js";
import { consumeRows, createQueueBatchJobs, type ConsumerDeps, type RowMessage } from "./batch/queue.js";

// Load the NLP model while the Worker starts (it counts against the startup limit, not a request's CPU).
warmUp();

export interface WorkerEnv {
  DB: D1Database;
  /** Producer binding of the batch queue; without it POST /v1/batches is not offered. */
  BATCH_QUEUE?: Queue<RowMessage>;
  /** Plain vars from wrangler.toml and secrets (OPENAI_API_KEY) arrive as strings. */
  [name: string]: unknown;
}

export interface WorkerRuntime {
  app: App;
  deps: AppDeps;
  consumer: ConsumerDeps;
}

/** Only the string bindings are configuration; loadConfig parses them exactly as on Node. */
function stringVars(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

export async function createWorkerRuntime(env: WorkerEnv): Promise<WorkerRuntime> {
  const vars = stringVars(env);
  const config = loadConfig(vars, "workers");
  const { store, batches: batchStore, stories } = openD1(env.DB);
  // The same grader as on Node (graderFromConfig), from the prompt files bundled as Text modules.
  const grader = await graderFromConfig(config, { rubric: RUBRIC, barRaiser: BAR_RAISER, followUp: FOLLOW_UP });
  const grading = createGradingService({ store, stories, grader, length: config.length, prices: config.llm?.prices ?? null });
  const rewrite = createRewriteService({ store, rewriter: await rewriterFromConfig(config, REWRITE), length: config.length });
  const queue = env.BATCH_QUEUE;
  const deps: AppDeps = {
    // Access token, CORS, limits and logging as on Node. The rate limit and the grading gate count
    // per isolate, and Workers run many isolates: put Cloudflare's rate limiting in front for a hard cap.
    security: config.security,
    gate: createGate(config.security),
    secrets: [config.llm?.apiKey, config.transcription?.apiKey],
    store,
    stories,
    coverageTarget: config.coverageTarget,
    grading,
    // Recordings are never kept on Workers (no file system); STARCOACH_KEEP_AUDIO has no effect there.
    spoken: createSpokenGrading({ grading, transcriber: transcriberFromConfig(config) }),
    rewrite,
    doctor: () => runDoctor(config),
    ...(queue ? { batches: createQueueBatchJobs(batchStore, queue) } : {}),
  };
  const retryBase = Number(vars.STARCOACH_QUEUE_RETRY_SECONDS ?? "10");
  return {
    app: createApp(deps),
    deps,
    consumer: { batches: batchStore, grading, retryBaseSeconds: Number.isFinite(retryBase) && retryBase >= 0 ? retryBase : 10 },
  };
}

// One runtime per isolate: building it hashes the prompt, so do that once, not per request. The env
// object is stable within an isolate; keying on it picks up new bindings after a redeploy.
let cached: { env: WorkerEnv; runtime: Promise<WorkerRuntime> } | null = null;
export function runtimeFor(env: WorkerEnv): Promise<WorkerRuntime> {
  if (cached?.env !== env) {
    const runtime = createWorkerRuntime(env);
    cached = { env, runtime };
    runtime.catch(() => {
      if (cached?.runtime === runtime) cached = null;
    });
  }
  return cached.runtime;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let runtime: WorkerRuntime;
    try {
      runtime = await runtimeFor(env);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      console.error(`[starcoach] cannot start: ${message}`);
      return Response.json(errorBody("config_invalid", message), { status: 500 });
    }
    return runtime.app.fetch(request, env, ctx as never);
  },

  async queue(batch: MessageBatch<RowMessage>, env: WorkerEnv): Promise<void> {
    // A throw here (bad config, D1 down) makes Queues deliver the whole batch again.
    await consumeRows(batch, (await runtimeFor(env)).consumer);
  },
};
