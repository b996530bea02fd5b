/** Node entry: builds the app from src/node-deps.ts and serves it on PORT, with graceful shutdown. */
import { serve, type ServerType } from "@hono/node-server";
import { isLoopbackAddress, loadConfig } from "./config.js";
import { warmUp } from "./core/nlp.js";
import { createApp } from "./http/app.js";
import { redactConsole } from "./http/log-sink.js";
import type { AppDeps } from "./http/context.js";
import { resumeBatches } from "./batch/service.js";
import { createNodeDeps, type NodeDeps } from "./node-deps.js";

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, answer new requests on open
 * connections with 503 shutting_down, let running gradings (and streams) finish — up to
 * STARCOACH_SHUTDOWN_TIMEOUT_MS — then close SQLite and the analysis threads cleanly and exit 0 (1 if
 * the deadline passed).
 */
export function installShutdown(server: ServerType, deps: AppDeps & Partial<Pick<NodeDeps, "analysis">>, timeoutMs: number, exit: (code: number) => void = (code) => process.exit(code)) {
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
      await deps.analysis?.close();
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
      void deps.analysis.close();
      reject(err.code === "EADDRINUSE" ? new ListenError(`${config.host}:${config.port} is already in use; choose another port (--port or PORT).`) : err.code === "EACCES" ? new ListenError(`not allowed to listen on ${config.host}:${config.port}; choose a port above 1023 (--port or PORT).`) : err);
    });
    server.once("listening", () => {
      const address = server.address();
      resolve(`http://${config.host}:${typeof address === "object" && address ? address.port : config.port}`);
    });
  });
  const mode = config.llm ? `LLM mode (${config.llm.model})` : "offline mode (no OPENAI_API_KEY: rule-based feedback only)";
  const threads = deps.analysis.threads;
  const analysis = threads ? `analysis on ${threads} worker thread${threads === 1 ? "" : "s"}` : "analysis on the main thread";
  console.log(`starcoach listening on ${url} — ${mode}; ${analysis}; data in ${config.dbFile}`);
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
