/**
 * Batch jobs on Node: POST /v1/batches stores the rows, then `start` queues the job for an
 * in-process runner that grades jobs one after another (each with its own concurrency limit).
 * Jobs live in SQLite, so `resumePending()` at server start picks up every job a stopped server
 * left unfinished — its own jobs only: a job of `starcoach grade` is left to that command, and a job
 * started with another grader (offline vs a model, or another model) is skipped with a log line.
 * Each run holds the job's lease (lease.ts), so two processes never grade one job at once.
 */
import type { GradingService } from "../grading.js";
import type { BatchJobs } from "./jobs.js";
import type { BatchCounts, BatchJob, BatchStore } from "../store/batch-types.js";
import { removeStaleJobs } from "./job.js";
import { checkGrader, JobConflictError, processOwner } from "./lease.js";
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
  /** The job being graded; `cancelled` makes its runner take no new row. */
  let current: { id: string; cancelled: boolean; run?: Promise<BatchCounts> } | null = null;
  const log = o.log ?? ((m: string) => console.log(`[starcoach] ${m}`));
  const owner = processOwner("server");
  const retries = new Set<ReturnType<typeof setTimeout>>();
  /** Try a job held by another process again once its lease has run out. */
  const retryAfterLease = (id: string, until: number) => {
    const timer = setTimeout(() => {
      retries.delete(timer);
      if (!stopping) enqueue(id);
    }, Math.max(0, until - Date.now()) + 1_000);
    timer.unref?.();
    retries.add(timer);
  };

  const drain = async () => {
    while (queue.length && !stopping) {
      const id = queue.shift()!;
      const job: NonNullable<typeof current> = { id, cancelled: false };
      current = job;
      try {
        job.run = runJob({ batches: o.store, grading: o.grading }, id, {
          owner,
          concurrency: o.concurrency ?? SERVER_BATCH_CONCURRENCY,
          ...(o.retry ? { retry: o.retry } : {}),
          shouldStop: () => stopping || job.cancelled,
          ...(o.slot ? { slot: o.slot } : {}),
        });
        const c = await job.run;
        log(`batch ${id}: ${job.cancelled ? "cancelled, " : ""}${c.done} graded, ${c.error} failed, ${c.pending} pending`);
      } catch (err) {
        if (err instanceof JobConflictError) {
          log(`batch ${id} not graded here: ${err.message}`);
          if (err.code === "job_busy" && err.leaseExpiresAt) retryAfterLease(id, err.leaseExpiresAt);
        } else log(`batch ${id} stopped: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        current = null;
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
      const cli = jobs.filter((j) => j.source === "cli");
      if (cli.length) {
        log(`${cli.length} unfinished \`starcoach grade\` job${cli.length === 1 ? "" : "s"} left to the command line (run the same command again to finish): ${cli.map((j) => j.id).join(", ")}`);
      }
      const resumable = jobs.filter((job) => {
        if (job.source === "cli") return false;
        try {
          checkGrader(job, o.grading.grader);
          return true;
        } catch (err) {
          log(`batch ${job.id} not resumed: ${(err as Error).message}`);
          return false;
        }
      });
      for (const job of resumable) enqueue(job.id);
      return resumable.map((j) => j.id);
    },
    async idle() {
      while (running) await running;
    },
    stop() {
      stopping = true;
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
    },
    async cancel(id) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (id === undefined || queue[i] === id) queued.delete(queue.splice(i, 1)[0]!);
      }
      const job = current;
      if (job && (id === undefined || job.id === id)) {
        job.cancelled = true;
        await job.run?.catch(() => undefined);
      }
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
