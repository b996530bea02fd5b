/** Node entry: real SQLite store, real model client (or offline), served on PORT. */
import { serve, type ServerType } from "@hono/node-server";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isLoopbackAddress, loadConfig, type Config } from "./config.js";
import { warmUp } from "./core/nlp.js";
import { runDoctor } from "./grader/doctor.js";
import { graderFromConfig, rewriterFromConfig } from "./grader/from-config.js";
import type { Grader } from "./grader/types.js";
import type { Rewriter } from "./grader/rewriter.js";
import { createRewriteService } from "./rewrite.js";
import { createGradingService } from "./grading.js";
import { createApp } from "./http/app.js";
import { createGate, redactConsole, type Gate } from "./http/middleware/index.js";
import type { AppDeps } from "./http/context.js";
import { openSqliteStore } from "./store/sqlite.js";
import { createLocalBatchJobs, resumeBatches } from "./batch/service.js";
import { openSqliteBatchStore } from "./store/sqlite-batch.js";
import { openSqliteDriver } from "./store/sqlite-driver.js";
import { createStoryStore } from "./store/stories.js";
import { audioDirFor, openAudioArchive, withAudioCleanup } from "./store/audio-archive.js";
import { createSpokenGrading } from "./spoken.js";
import { transcriberFromConfig } from "./transcribe/from-config.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RUBRIC_FILE = join(ROOT, "prompts", "star-rubric.md");
export const BAR_RAISER_FILE = join(ROOT, "prompts", "bar-raiser.md");
export const FOLLOW_UP_FILE = join(ROOT, "prompts", "followup-rubric.md");
export const REWRITE_FILE = join(ROOT, "prompts", "rewrite.md");

export async function createGrader(config: Config, fetchImpl?: typeof fetch): Promise<Grader> {
  const [rubric, barRaiser, followUp] = await Promise.all([readFile(RUBRIC_FILE, "utf8"), readFile(BAR_RAISER_FILE, "utf8"), readFile(FOLLOW_UP_FILE, "utf8")]);
  return graderFromConfig(config, { rubric, barRaiser, followUp }, fetchImpl);
}

export async function createRewriter(config: Config, fetchImpl?: typeof fetch): Promise<Rewriter> {
  return rewriterFromConfig(config, await readFile(REWRITE_FILE, "utf8"), fetchImpl);
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

/** Access, limits, logging and the grading gate (src/http/middleware), from configuration. */
export function reliabilityDeps(config: Config): Required<Pick<AppDeps, "security" | "gate" | "secrets">> {
  return { security: config.security, gate: createGate(config.security), secrets: [config.llm?.apiKey, config.transcription?.apiKey] };
}

/** Batch rows take slots of the same gate as interactive gradings (its batch share). */
export function batchSlot(gate: Gate) {
  return async () => {
    const slot = await gate.acquire("batch");
    return slot.ok ? slot.release : null;
  };
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, answer new requests on open
 * connections with 503 shutting_down, let running gradings (and streams) finish — up to
 * STARCOACH_SHUTDOWN_TIMEOUT_MS — then close SQLite cleanly and exit 0 (1 if the deadline passed).
 */
export function installShutdown(server: ServerType, deps: AppDeps, timeoutMs: number, exit: (code: number) => void = (code) => process.exit(code)) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    const before = deps.gate?.stats();
    console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "shutdown", signal, inflight: before?.inflight ?? 0, running: before?.running ?? 0, queued: before?.queued ?? 0 }));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Batch rows: the runner takes no new row once stopped; rows being graded finish and are stored,
    // the rest stay "pending" in SQLite and resume at the next start.
    const batches = deps.batches;
    batches?.stop?.();
    const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const [gateDrained, batchesDone] = await Promise.all([
      deps.gate ? deps.gate.drain(timeoutMs) : true,
      batches?.idle ? Promise.race([batches.idle().then(() => true), deadline]) : true,
    ]);
    const drained = gateDrained && batchesDone;
    const drainedMs = Date.now() - started;
    // The last responses are still being written: close connections as they go idle, for up to 2 s.
    const s = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    const sweep = setInterval(() => s.closeIdleConnections?.(), 25);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
    clearInterval(sweep);
    s.closeAllConnections?.();
    let code = drained ? 0 : 1;
    try {
      await deps.batches?.store.close();
      await deps.store.close();
    } catch (err) {
      console.error("[starcoach] closing the database failed:", err);
      code = 1;
    }
    console.log(JSON.stringify({ time: new Date().toISOString(), level: drained ? "info" : "error", msg: "stopped", drained, drainedMs, ms: Date.now() - started }));
    exit(code);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** Build the Node app's dependencies from configuration. */
export async function createNodeDeps(config: Config): Promise<AppDeps> {
  const dbOptions = { maxMb: config.dbMaxMb };
  const sqlite = openSqliteStore(config.dbFile, dbOptions);
  // A database that opens but cannot be read or written (damaged pages, a read-only file) stops
  // the start here, with the file named, rather than answering 500 to every request later.
  const fault = await sqlite.health();
  if (fault) {
    await sqlite.close();
    throw fault;
  }
  // Recordings are kept only with STARCOACH_KEEP_AUDIO=1; deleting gradings (one, or all) deletes
  // any kept recordings with them, also those kept by an earlier run with the setting on.
  const archive = openAudioArchive(audioDirFor(config.dbFile));
  const store = withAudioCleanup(sqlite, archive);
  const grader = await createGrader(config);
  const stories = createStoryStore(openSqliteDriver(config.dbFile, dbOptions));
  const grading = createGradingService({ store, stories, grader, length: config.length });
  const rewrite = createRewriteService({ store, rewriter: await createRewriter(config), length: config.length });
  const reliability = reliabilityDeps(config);
  const batches = createLocalBatchJobs({ store: openSqliteBatchStore(config.dbFile, dbOptions), grading, slot: batchSlot(reliability.gate) });
  const spoken = createSpokenGrading({ grading, transcriber: transcriberFromConfig(config), archive: config.keepAudio ? archive : null });
  return { ...reliability, store, stories, coverageTarget: config.coverageTarget, grading, rewrite, docsAsset, batches, spoken, doctor: () => runDoctor(config) };
}

/**
 * Serve the app from configuration (`starcoach serve`, `npm start`). Resolves once the listening
 * socket is open with a promise for the exit code, which settles after a graceful shutdown.
 */
export async function startServer(env: Record<string, string | undefined>): Promise<{ url: string; stopped: Promise<number> }> {
  warmUp(); // load the NLP model before the first request rather than during it
  const config = loadConfig(env);
  // Nothing printed by any module may contain the model key or the access token.
  redactConsole([config.llm?.apiKey, config.transcription?.apiKey, config.security.apiToken]);
  const deps = await createNodeDeps(config);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  const url = await new Promise<string>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      void deps.store.close();
      reject(err.code === "EADDRINUSE" ? new ListenError(`${config.host}:${config.port} is already in use; choose another port (--port or PORT).`) : err.code === "EACCES" ? new ListenError(`not allowed to listen on ${config.host}:${config.port}; choose a port above 1023 (--port or PORT).`) : err);
    });
    server.once("listening", () => {
      const address = server.address();
      resolve(`http://${config.host}:${typeof address === "object" && address ? address.port : config.port}`);
    });
  });
  const mode = config.llm ? `LLM mode (${config.llm.model})` : "offline mode (no OPENAI_API_KEY: rule-based feedback only)";
  console.log(`starcoach listening on ${url} — ${mode}; data in ${config.dbFile}`);
  const stopped = new Promise<number>((resolve) => installShutdown(server, deps, config.security.shutdownTimeoutMs, resolve));
  await resumeBatches(deps.batches);
  if (!config.security.apiToken && !isLoopbackAddress(config.host)) {
    console.warn(`[starcoach] WARNING: listening on ${config.host} without STARCOACH_API_TOKEN: anyone who can reach this address can read every stored answer and spend your model credit. Set STARCOACH_API_TOKEN (docs/RELIABILITY.md).`);
  }
  return { url, stopped };
}

/** The address cannot be bound: a message for the person starting the server, not a stack trace. */
export class ListenError extends Error {
  override name = "ListenError";
}
