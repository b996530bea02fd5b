/**
 * Batch jobs on Node: POST /v1/batches stores the rows, then `start` queues the job for an
 * in-process runner that grades jobs one after another (each with its own concurrency limit).
 * Jobs live in SQLite, so `resumePending()` at server start picks up every job a stopped server
 * left unfinished.
 */
import type { GradingService } from "../grading.js";
import type { BatchJobs } from "../http/context.js";
import type { BatchJob, BatchStore } from "../store/batch-types.js";
import { removeStaleJobs } from "./job.js";
import { runJob, type RetryPolicy, type RunOptions } from "./runner.js";

export const SERVER_BATCH_CONCURRENCY = 4;

export interface LocalBatchJobs extends BatchJobs {
  /** Queue every job left "ready" (stopped or crashed server); returns their ids. */
  resumePending(): Promise<string[]>;
  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

export function createLocalBatchJobs(o: {
  store: BatchStore;
  grading: GradingService;
  concurrency?: number;
  retry?: RetryPolicy;
  log?: (message: string) => void;
  /** The server's grading gate (RunOptions.slot): rows take its batch share of the model-call slots. */
  slot?: RunOptions["slot"];
}): LocalBatchJobs {
  const queue: string[] = [];
  const queued = new Set<string>();
  let running: Promise<void> | null = null;
  let stopping = false;
  const log = o.log ?? ((m: string) => console.log(`[starcoach] ${m}`));

  const drain = async () => {
    while (queue.length && !stopping) {
      const id = queue.shift()!;
      try {
        const c = await runJob({ batches: o.store, grading: o.grading }, id, {
          concurrency: o.concurrency ?? SERVER_BATCH_CONCURRENCY,
          ...(o.retry ? { retry: o.retry } : {}),
          shouldStop: () => stopping,
          ...(o.slot ? { slot: o.slot } : {}),
        });
        log(`batch ${id}: ${c.done} graded, ${c.error} failed, ${c.pending} pending`);
      } catch (err) {
        log(`batch ${id} stopped: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        queued.delete(id);
      }
    }
    running = null;
  };
  const enqueue = (id: string) => {
    if (queued.has(id)) return;
    queued.add(id);
    queue.push(id);
    running ??= drain();
  };

  return {
    store: o.store,
    async start(job: BatchJob) {
      if (job.status === "ready") enqueue(job.id);
    },
    async resumePending() {
      await removeStaleJobs(o.store);
      const jobs = await o.store.listJobs(["ready"]);
      for (const job of jobs) enqueue(job.id);
      return jobs.map((j) => j.id);
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopping = true;
    },
  };
}

/** At server start: continue the batch jobs a stopped server left unfinished (Node runner only). */
export async function resumeBatches(jobs: BatchJobs | undefined, log: (m: string) => void = (m) => console.log(`[starcoach] ${m}`)): Promise<string[]> {
  if (!jobs || !("resumePending" in jobs)) return [];
  const ids = await (jobs as LocalBatchJobs).resumePending();
  if (ids.length) log(`resuming ${ids.length} unfinished batch job${ids.length === 1 ? "" : "s"}: ${ids.join(", ")}`);
  return ids;
}
