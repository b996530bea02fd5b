/**
 * Batch grading on Workers: POST /v1/batches stores the rows in D1 and puts one small message per
 * row ({ jobId, ordinal }) on a Cloudflare Queue; this consumer grades them through the same
 * grading service as POST /v1/grade and writes each row's status to D1. Messages carry only ids —
 * an answer can be 80 KB of UTF-8 and a message at most 128 KB — so D1 stays the one source of truth
 * and a message delivered twice (Queues deliver at least once) finds its row already finished.
 */
import { recordedError } from "../errors.js";
import { ModelError } from "../grader/types.js";
import { InputError, type GradingService } from "../grading.js";
import type { SqlBatchStore } from "../store/batches.js";
import type { BatchStore, PendingRow, RowOutcome } from "../store/batch-types.js";
import { checkGrader } from "./job.js";
import type { BatchJobs } from "./jobs.js";
import { runPool } from "./limiter.js";

// The Queue binding shapes, written structurally (src/worker/bindings.ts says why).
export interface Queue<Body> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>;
  sendBatch(messages: Iterable<{ body: Body; delaySeconds?: number }>): Promise<void>;
}

export interface QueueMessage<Body> {
  readonly id: string;
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<Body> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<Body>[];
  ackAll(): void;
  retryAll(options?: { delaySeconds?: number }): void;
}


export interface RowMessage {
  jobId: string;
  ordinal: number;
}

/** Deliveries of one row before its error is recorded; keep below max_retries in wrangler.toml. */
export const QUEUE_MAX_ATTEMPTS = 4;
/** Grading calls in flight per consumer invocation: Workers allow 6 open connections at a time. */
export const CONSUMER_CONCURRENCY = 6;
/** Queues accept at most 100 messages (256 KB) per sendBatch. */
const SEND_BATCH = 100;

export interface ConsumerDeps {
  batches: SqlBatchStore;
  grading: GradingService;
  /** First retry delay; doubles per attempt unless the provider sent Retry-After. */
  retryBaseSeconds: number;
}

/** Put every row of a freshly stored job on the queue (rows already failed at ingest are skipped by the consumer). */
export async function enqueueJob(queue: Queue<RowMessage>, job: { id: string; total: number }): Promise<void> {
  for (let start = 0; start < job.total; start += SEND_BATCH) {
    const count = Math.min(SEND_BATCH, job.total - start);
    await queue.sendBatch(Array.from({ length: count }, (_, i) => ({ body: { jobId: job.id, ordinal: start + i } })));
  }
}

/** Worth another delivery: the provider was busy, slow or down. Bad input or a bad key never heals. */
function transient(err: unknown): boolean {
  if (err instanceof InputError) return false;
  if (err instanceof ModelError) return err.code === "model_rate_limited" || err.code === "model_unavailable" || err.code === "model_timeout";
  return true;
}


/** BatchJobs on Workers: the job's rows go on the queue, and consumeRows grades them. */
export function createQueueBatchJobs(store: BatchStore, queue: Queue<RowMessage>): BatchJobs {
  return { store, start: (job) => enqueueJob(queue, job) };
}

/**
 * The Worker's configuration changed under a job (a key removed, another model): its rows wait, in
 * case the configuration comes back, and after the last delivery get an error saying why.
 */
async function holdForGrader(deps: ConsumerDeps, jobId: string, messages: readonly QueueMessage<RowMessage>[], why: string): Promise<void> {
  console.warn(`[starcoach] batch ${jobId}: rows held: ${why}`);
  const last = messages.filter((m) => m.attempts >= QUEUE_MAX_ATTEMPTS);
  const pending = last.length ? await deps.batches.pendingByOrdinals(jobId, last.map((m) => m.body.ordinal)) : [];
  await deps.batches.recordOutcomes(jobId, pending.map((r) => ({ ordinal: r.ordinal, status: "error", error: { code: "job_grader_mismatch", message: why } })));
  for (const msg of messages) {
    if (msg.attempts >= QUEUE_MAX_ATTEMPTS) msg.ack();
    else msg.retry({ delaySeconds: Math.min(300, deps.retryBaseSeconds * 2 ** (msg.attempts - 1)) });
  }
  if (last.length) await deps.batches.finishIfComplete(jobId);
}

export async function consumeRows(batch: MessageBatch<RowMessage>, deps: ConsumerDeps): Promise<void> {
  const byJob = new Map<string, QueueMessage<RowMessage>[]>();
  for (const msg of batch.messages) {
    const list = byJob.get(msg.body.jobId) ?? [];
    list.push(msg);
    byJob.set(msg.body.jobId, list);
  }

  for (const [jobId, messages] of byJob) {
    const job = await deps.batches.getJob(jobId);
    if (!job) {
      for (const msg of messages) msg.ack(); // the job was deleted
      continue;
    }
    try {
      checkGrader(job, deps.grading.grader);
    } catch (err) {
      await holdForGrader(deps, jobId, messages, (err as Error).message);
      continue;
    }
    const rows = new Map((await deps.batches.pendingByOrdinals(jobId, messages.map((m) => m.body.ordinal))).map((r) => [r.ordinal, r] as const));
    const outcomes: Array<{ msg: QueueMessage<RowMessage>; outcome: RowOutcome }> = [];
    const retries: Array<{ msg: QueueMessage<RowMessage>; delaySeconds: number }> = [];

    await runPool(messages, CONSUMER_CONCURRENCY, async (msg) => {
      const row: PendingRow | undefined = rows.get(msg.body.ordinal);
      if (!row) return; // finished by an earlier delivery, failed at ingest, or the job was deleted
      try {
        const feedback = await deps.grading.grade({ answer: row.answer ?? "", principle: row.principle ?? "", question: row.question });
        outcomes.push({ msg, outcome: { ordinal: row.ordinal, status: "done", gradingId: feedback.id, cached: feedback.meta.cached } });
      } catch (err) {
        if (transient(err) && msg.attempts < QUEUE_MAX_ATTEMPTS) {
          const retryAfter = err instanceof ModelError ? err.retryAfter : undefined;
          retries.push({ msg, delaySeconds: retryAfter ?? Math.min(300, deps.retryBaseSeconds * 2 ** (msg.attempts - 1)) });
        } else {
          outcomes.push({ msg, outcome: { ordinal: row.ordinal, status: "error", error: recordedError(err) } });
        }
      }
    });

    // Record first, acknowledge after: if the D1 write fails, the whole batch is delivered again.
    await deps.batches.recordOutcomes(jobId, outcomes.map((o) => o.outcome));
    for (const { msg } of outcomes) msg.ack();
    for (const { msg, delaySeconds } of retries) msg.retry({ delaySeconds });
    for (const msg of messages) if (!rows.has(msg.body.ordinal)) msg.ack();
    await deps.batches.finishIfComplete(jobId);
  }
}
