/**
 * Runs the answer analysis (src/core/analyze.ts: wink-nlp tagging and the sentence labeller, about
 * a millisecond of CPU per answer) on worker threads, so one grading's analysis never holds up the
 * event loop that serves every other request. Node only: the core stays synchronous and the
 * Cloudflare Worker calls it in its own thread.
 *
 * - Each request goes to the thread with the fewest requests outstanding; a thread answers its
 *   requests one at a time, in order. The pool keeps no queue of its own: what is admitted to run
 *   (the HTTP concurrency gate, a batch's concurrency) bounds what waits here.
 * - A thread holds the process open only while it has work (ref'd while busy, unref'd when idle),
 *   so a command that forgets close() still exits; close() ends the threads.
 * - A thread that exits while analysing fails that one request with `analysis_failed` (the answer
 *   may be what broke it) and is replaced; the requests queued behind it go to the replacement.
 * - A thread that cannot even start (its file missing, the model not loading) makes the pool
 *   analyse in this thread from then on, with one warning: slower, never broken.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Analysis } from "../core/analyze.js";
import { AppError } from "../errors.js";
import { analyzeInThread as inThread, type Analyzer } from "../grading.js";
import type { AnalysisReply, AnalysisRequest, ThrownError } from "./thread.js";
import { decodeAnalysis } from "./wire.js";

/** From source (tests, tsx scripts) this module is a .ts file; in the package it is bundled into dist/cli.js. */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
export const WORKER_URL = new URL(FROM_SOURCE ? "./worker.ts" : "./analysis-worker.js", import.meta.url);

/** The default thread count: every core but the one the event loop runs on, and at least one. */
export function defaultAnalysisThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export interface AnalysisPool {
  /** Worker threads in use; 0: every analysis runs in the calling thread. */
  readonly threads: number;
  analyze: Analyzer;
  /** Ends the threads; requests still outstanding fail with `shutting_down`. */
  close(): Promise<void>;
}

export interface AnalysisPoolOptions {
  /** The worker's entry module (tests start one that can be made to crash); default WORKER_URL. */
  workerUrl?: URL;
  /** Where a thread's failure is reported; default console.error. */
  warn?: (message: string) => void;
}

interface Task extends AnalysisRequest {
  resolve(analysis: Analysis): void;
  reject(err: unknown): void;
}

interface Thread {
  worker: Worker;
  /** Outstanding requests in the order sent: the first is the one being analysed. */
  tasks: Map<number, Task>;
  /** The model has loaded and the thread listens. */
  ready: boolean;
  /** An uncaught error inside the thread, reported just before it exits. */
  failure: Error | null;
}

/** The analysis of one answer died with its thread: the answer may be the cause, so it is not retried. */
export function analysisFailed(detail: string): AppError {
  return new AppError("analysis_failed", `The analysis of this answer stopped unexpectedly (${detail}); nothing was stored. Try again; if it fails again, this answer is what stops it.`, 500);
}

function rebuild(thrown: ThrownError): Error {
  const err = new Error(thrown.message);
  err.name = thrown.name;
  if (thrown.stack) err.stack = thrown.stack;
  return err;
}

/** Worker threads run TypeScript from source through tsx, located from here so any working directory works. */
function execArgv(url: URL): string[] | undefined {
  return url.pathname.endsWith(".ts") ? ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : undefined;
}

export function createAnalysisPool(size: number, options: AnalysisPoolOptions = {}): AnalysisPool {
  if (size <= 0) return { threads: 0, analyze: inThread, close: async () => {} };
  const url = options.workerUrl ?? WORKER_URL;
  const warn = options.warn ?? ((message: string) => console.error(`[starcoach] ${message}`));
  const threads: Thread[] = [];
  let nextId = 1;
  let closing = false;
  /** Set once a thread failed to start: everything is analysed in this thread from then on. */
  let unavailable = false;

  const spawn = (): void => {
    const worker = new Worker(url, { name: "starcoach-analysis", ...(execArgv(url) ? { execArgv: execArgv(url) } : {}) });
    const thread: Thread = { worker, tasks: new Map(), ready: false, failure: null };
    worker.on("message", (m: AnalysisReply) => {
      if ("ready" in m) {
        thread.ready = true;
        return;
      }
      const task = thread.tasks.get(m.id);
      if (!task) return;
      thread.tasks.delete(m.id);
      if (thread.tasks.size === 0) worker.unref();
      if ("wire" in m) task.resolve(decodeAnalysis(m.wire));
      else task.reject(rebuild(m.error));
    });
    worker.on("error", (err: unknown) => (thread.failure = err instanceof Error ? err : new Error(String(err))));
    worker.on("exit", (code) => exited(thread, code));
    // After the listeners: a 'message' listener added after unref() re-refs the thread's port, and
    // the process would never exit (Node's worker_threads behave so by design).
    worker.unref();
    threads.push(thread);
  };

  const exited = (thread: Thread, code: number) => {
    threads.splice(threads.indexOf(thread), 1);
    const tasks = [...thread.tasks.values()];
    if (closing) {
      for (const task of tasks) task.reject(new AppError("shutting_down", "The server is shutting down; the answer was not analysed.", 503, 5));
      return;
    }
    const detail = `its worker thread exited with code ${code}${thread.failure ? `: ${thread.failure.message}` : ""}`;
    if (!thread.ready) {
      if (!unavailable) warn(`the analysis thread could not start (${detail}); analysing answers on the main thread instead.`);
      unavailable = true;
      for (const task of tasks) inThread(task.answer, task.length).then(task.resolve, task.reject);
      return;
    }
    warn(`an analysis thread stopped (${detail}); starting a new one.`);
    const [running, ...waiting] = tasks;
    running?.reject(analysisFailed(detail));
    spawn();
    for (const task of waiting) dispatch(task);
  };

  const dispatch = (task: Task): void => {
    let thread = threads[0]!;
    for (const t of threads) if (t.tasks.size < thread.tasks.size) thread = t;
    thread.tasks.set(task.id, task);
    if (thread.tasks.size === 1) thread.worker.ref();
    const request: AnalysisRequest = { id: task.id, answer: task.answer, length: task.length };
    thread.worker.postMessage(request);
  };

  for (let i = 0; i < size; i++) spawn();
  return {
    threads: size,
    analyze(answer, length) {
      if (unavailable || closing) return inThread(answer, length);
      return new Promise<Analysis>((resolve, reject) => dispatch({ id: nextId++, answer, length, resolve, reject }));
    },
    async close() {
      closing = true;
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
