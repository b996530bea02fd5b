/**
 * Grades a job's pending rows through the grading service (same validation, grounding, scoring and
 * cache as POST /v1/grade), with at most `concurrency` model calls in flight. A row that fails gets
 * its error recorded and the batch goes on. Outcomes are written in small transactions; a row is only
 * "done" once its grading is stored, so a killed run re-grades nothing it already recorded, and a
 * grading stored just before the kill comes back from the cache (LLM mode).
 */
import { recordedError } from "../errors.js";
import { ModelError } from "../grader/types.js";
import { type GradingService } from "../grading.js";
import type { BatchCounts, BatchStore, JobOwner, PendingRow, RowOutcome } from "../store/batch-types.js";
import { StoreError } from "../store/faults.js";
import { acquireLease, checkGrader } from "./lease.js";
import { createGate, createSemaphore, runPool } from "./limiter.js";
import { byOrdinal } from "./pager.js";

export interface RetryPolicy {
  /** Attempts per row when the provider keeps answering 429 (after the SDK's own retries). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 2_000, maxDelayMs: 60_000 };

export interface Progress {
  total: number;
  done: number;
  failed: number;
  /** Rows finished by this run (not counting those resumed as already finished). */
  thisRun: number;
  startedAt: number;
  retries: number;
}

export interface RunOptions {
  /** The process grading the job: it holds the job's lease while it runs (lease.ts). */
  owner: JobOwner;
  concurrency: number;
  retry?: RetryPolicy;
  onProgress?: (p: Readonly<Progress>) => void;
  /** Stop taking new rows (in-flight rows finish and are recorded). */
  shouldStop?: () => boolean;
  /**
   * A slot of the server's grading gate for each grading attempt, so batch rows and interactive
   * gradings share STARCOACH_MAX_CONCURRENT; null means the server is stopping (the row stays pending).
   */
  slot?: () => Promise<(() => void) | null>;
}

export interface RunnerDeps {
  batches: BatchStore;
  grading: GradingService;
}

const PAGE = 256;
/**
 * Rows in flight for each model call allowed: while `concurrency` rows wait on the model, as many
 * more are analysed or stored, so a finished call's slot goes to a row that is ready to send.
 */
const ROWS_PER_CALL = 2;
const FLUSH_ROWS = 64;
const FLUSH_MS = 200;

/**
 * Let timers, signals, I/O and the GC's scheduled tasks run. Offline grading never waits on I/O,
 * so without this a large job runs in one unbroken chain of microtasks: progress and SIGINT stall
 * and the heap grows until the job ends (the 100k-row run peaked at ~500 MB RSS).
 */
const yieldToEventLoop = () =>
  new Promise<void>((resolve) => (typeof setImmediate === "function" ? setImmediate(resolve) : setTimeout(resolve, 0)));


const pendingRows = (batches: BatchStore, jobId: string): AsyncGenerator<PendingRow> => byOrdinal((after, limit) => batches.pendingRows(jobId, after, limit), PAGE);

/**
 * Grade the job's pending rows. Throws JobConflictError, before any row, when the job was started
 * with another grader (mode or model) or another live process holds it.
 */
export async function runJob(deps: RunnerDeps, jobId: string, options: RunOptions): Promise<BatchCounts> {
  const { batches, grading } = deps;
  const job = await batches.getJob(jobId);
  if (!job) throw new Error(`No batch job "${jobId}".`);
  checkGrader(job, grading.grader);
  const lease = await acquireLease(batches, job, options.owner);
  try {
    return await gradePending(deps, jobId, options, () => lease.lost);
  } finally {
    await lease.release();
  }
}

async function gradePending(deps: RunnerDeps, jobId: string, options: RunOptions, leaseLost: () => boolean): Promise<BatchCounts> {
  const { batches, grading } = deps;
  const retry = options.retry ?? DEFAULT_RETRY;
  const start = await batches.counts(jobId);
  const progress: Progress = { total: start.total, done: start.done, failed: start.error, thisRun: 0, startedAt: Date.now(), retries: 0 };
  const gate = createGate();
  const calls = createSemaphore(options.concurrency);
  /** A rate-limited attempt that the row gets to try again. */
  const retriesAfter = (err: unknown, attempt: number): err is ModelError =>
    err instanceof ModelError && err.code === "model_rate_limited" && attempt < retry.attempts;
  /**
   * A model call's slot for a row's `attempt`, once no rate-limit pause is in effect (a pause that
   * began while it waited for the slot is waited out too). A call the provider rate-limits pauses
   * every row before its slot is handed on, so no other call slips out during the pause. After a
   * reply the row's own work (grounding, storing) waits for pending I/O: when many replies arrive
   * together, each frees its slot for the next call before any row's local work runs.
   */
  const modelSlot = async (attempt: number): Promise<(failure?: unknown) => Promise<void>> => {
    await gate.ready();
    const release = await calls.acquire();
    await gate.ready();
    return (failure) => {
      if (retriesAfter(failure, attempt)) {
        // Retry-After from the provider when it sent one, else exponential backoff with jitter.
        const backoff = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        gate.pause(failure.retryAfter !== undefined ? failure.retryAfter * 1000 : backoff);
      }
      release();
      return yieldToEventLoop();
    };
  };

  let buffer: RowOutcome[] = [];
  let lastFlush = Date.now();
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = buffer;
    buffer = [];
    lastFlush = Date.now();
    flushing = flushing.then(() => batches.recordOutcomes(jobId, batch));
    return flushing;
  };

  // A storage fault (full disk, damaged file) is no fault of the row: it stops the job, the row
  // stays pending, and the job resumes once the storage works again.
  let fatal: unknown = null;
  let refused = false;
  /** The row's outcome, or null when no slot was given (stopping): the row stays pending. */
  async function gradeRow(row: PendingRow): Promise<RowOutcome | null> {
    for (let attempt = 1; ; attempt++) {
      const release = options.slot ? await options.slot() : () => {};
      if (!release) {
        refused = true;
        return null;
      }
      try {
        const feedback = await grading.grade({ answer: row.answer ?? "", principle: row.principle ?? "", question: row.question }, { modelSlot: () => modelSlot(attempt) });
        return { ordinal: row.ordinal, status: "done", gradingId: feedback.id, cached: feedback.meta.cached };
      } catch (err) {
        // The slot's release has paused the batch already.
        if (retriesAfter(err, attempt)) {
          progress.retries++;
          continue;
        }
        if (err instanceof StoreError) throw err;
        return { ordinal: row.ordinal, status: "error", error: recordedError(err) };
      } finally {
        release();
      }
    }
  }

  await runPool(
    pendingRows(batches, jobId),
    options.concurrency * ROWS_PER_CALL,
    async (row) => {
      try {
        const outcome = await gradeRow(row);
        if (!outcome) return;
        buffer.push(outcome);
        progress.thisRun++;
        if (outcome.status === "done") progress.done++;
        else progress.failed++;
        if (buffer.length >= FLUSH_ROWS || Date.now() - lastFlush >= FLUSH_MS) {
          await flush();
          await yieldToEventLoop();
        }
        options.onProgress?.(progress);
      } catch (err) {
        fatal ??= err;
      }
    },
    () => refused || fatal !== null || leaseLost() || (options.shouldStop?.() ?? false),
  );
  if (fatal) {
    // Keep what was graded before the fault if the store still takes it; the rest stays pending.
    await flush().catch(() => undefined);
    throw fatal;
  }
  await flush();
  const counts = await batches.counts(jobId);
  if (counts.pending === 0) await batches.updateJob(jobId, { status: "done" });
  return counts;
}

