/**
 * Creating and finding batch jobs. A job's input key is the SHA-256 of the input bytes plus the
 * grading settings (mode, model, prompt version, length options), so re-running the same command
 * on the same file finds the same job and resumes it, while a changed file or model starts anew.
 */
import { createHash, type Hash } from "node:crypto";
import type { LengthOptions } from "../core/analyze.js";
import type { Grader } from "../grader/types.js";
import { InputError, validateInput } from "../grading.js";
import type { BatchJob, BatchRowInput, BatchStore, JobOwner } from "../store/batch-types.js";
import { readRows, type InputFormat } from "./input.js";

/** Why a job was not graded by this process; the message says what to do. */
export class JobConflictError extends Error {
  override name = "JobConflictError";
  constructor(
    readonly code: "job_busy" | "job_grader_mismatch",
    message: string,
    /** job_busy: when the holder's lease runs out (ms since the epoch). */
    readonly leaseExpiresAt: number | null = null,
  ) {
    super(message);
  }
}

const describeGrader = (g: { mode: string; model: string | null }) => `${g.mode} mode${g.model ? ` with ${g.model}` : ""}`;

/** A job finishes with the grader it started with: mixing offline and model results (or two models) in one batch is refused. */
export function checkGrader(job: BatchJob, grader: Pick<Grader, "mode" | "model">): void {
  if (job.mode === grader.mode && (job.mode === "offline" || job.model === grader.model)) return;
  throw new JobConflictError(
    "job_grader_mismatch",
    `job ${job.id} was started in ${describeGrader(job)}; this process grades in ${describeGrader(grader)}, so it leaves the job alone. ` +
      (job.mode === "llm" ? `Finish it with OPENAI_API_KEY set and STARCOACH_MODEL=${job.model ?? ""}.` : "Finish it with --offline (or STARCOACH_OFFLINE=1)."),
  );
}

export const INGEST_CHUNK = 500;
/** A job still "ingesting" after this long belongs to a process that died while reading its input. */
export const STALE_INGEST_MS = 60 * 60 * 1000;

export interface JobIdentity {
  grader: Pick<Grader, "mode" | "model" | "promptVersion">;
  length: LengthOptions;
}

export function newJobId(): string {
  return `job_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

export function inputKey(contentSha256: string, id: JobIdentity): string {
  const { mode, model, promptVersion } = id.grader;
  return createHash("sha256").update(JSON.stringify([contentSha256, mode, model, promptVersion, id.length])).digest("hex");
}

/** Check a row the way the API checks a request; a bad row gets its error now, before any model call. */
export function checkRow(row: BatchRowInput): BatchRowInput {
  if (row.error) return row;
  try {
    validateInput({ answer: row.answer ?? "", principle: row.principle ?? "", question: row.question });
    return row;
  } catch (err) {
    if (err instanceof InputError) return { ...row, error: { code: err.code, message: err.message } };
    throw err;
  }
}

/** Store rows in chunks, marking bad rows and repeated ids as failed. Returns the row count. */
export async function ingestRows(batches: BatchStore, jobId: string, rows: AsyncIterable<BatchRowInput> | Iterable<BatchRowInput>): Promise<number> {
  const firstSeen = new Map<string, number>();
  let chunk: BatchRowInput[] = [];
  let n = 0;
  let first = 0;
  for await (const raw of rows) {
    n++;
    let row = checkRow(raw);
    const earlier = firstSeen.get(row.rowId);
    if (earlier !== undefined) {
      row = { ...row, error: { code: "duplicate_id", message: `The id "${row.rowId}" is used again (first on row ${earlier}); every answer needs its own id.` } };
    } else firstSeen.set(row.rowId, n);
    chunk.push(row);
    if (chunk.length >= INGEST_CHUNK) {
      await batches.addRows(jobId, first, chunk);
      first += chunk.length;
      chunk = [];
    }
  }
  await batches.addRows(jobId, first, chunk);
  return n;
}

async function* hashing(source: AsyncIterable<Uint8Array | string>, hash: Hash): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

export async function removeStaleJobs(batches: BatchStore, now = Date.now()): Promise<void> {
  for (const job of await batches.listJobs(["ingesting"])) {
    if (now - Date.parse(job.updatedAt) > STALE_INGEST_MS) await batches.deleteJob(job.id);
  }
}

export interface OpenJobOptions extends JobIdentity {
  batches: BatchStore;
  /** Opens the input; called twice for a file (hash, then read) and once for a one-shot stream. */
  open: () => AsyncIterable<Uint8Array | string>;
  reopenable: boolean;
  format?: InputFormat;
  name?: string;
  source: BatchJob["source"];
  /** Start a new job even when the same input was batched before (answers still come from the cache). */
  fresh?: boolean;
  /** This run, recorded as the new job's owner. */
  owner?: JobOwner;
  /** Whether another job's owner may still be running (then its half-read job is left alone). */
  ownerAlive?: (owner: JobOwner) => boolean;
}

const readOptions = (o: OpenJobOptions) => ({ ...(o.format ? { format: o.format } : {}), ...(o.name ? { name: o.name } : {}) });

/**
 * Find the job for this input, or read the input into a new one. A job left half-read by a killed
 * process is discarded and read again; a job with all its rows is resumed as it is.
 */
export async function openJob(o: OpenJobOptions): Promise<{ job: BatchJob; resumed: boolean }> {
  const { batches } = o;
  await removeStaleJobs(batches);
  const create = async (key: string | null) =>
    batches.createJob({ id: newJobId(), inputKey: key, source: o.source, mode: o.grader.mode, model: o.grader.model, promptVersion: o.grader.promptVersion, owner: o.owner ?? null });

  if (o.reopenable) {
    const hash = createHash("sha256");
    for await (const chunk of o.open()) hash.update(chunk);
    const key = inputKey(hash.digest("hex"), o);
    if (!o.fresh) {
      const existing = await batches.findJobByKey(key);
      if (existing) return { job: existing, resumed: true };
      for (const job of await batches.listJobs(["ingesting"])) {
        if (job.inputKey !== key) continue;
        // Half read by a process that died: read it again. Still being read by a live one: leave it.
        if (job.owner && o.ownerAlive?.(job.owner)) {
          throw new JobConflictError("job_busy", `job ${job.id} for this input is still being read by pid ${job.owner.pid} on ${job.owner.host}; wait for that command to finish, then run this again.`);
        }
        await batches.deleteJob(job.id);
      }
    }
    const job = await create(key);
    try {
      const total = await ingestRows(batches, job.id, readRows(o.open(), readOptions(o)));
      await batches.updateJob(job.id, { status: "ready", total });
    } catch (err) {
      await batches.deleteJob(job.id);
      throw err;
    }
    return { job: (await batches.getJob(job.id))!, resumed: false };
  }

  const hash = createHash("sha256");
  const job = await create(null);
  try {
    const total = await ingestRows(batches, job.id, readRows(hashing(o.open(), hash), readOptions(o)));
    const key = inputKey(hash.digest("hex"), o);
    const existing = o.fresh ? null : await batches.findJobByKey(key);
    if (existing) {
      await batches.deleteJob(job.id);
      return { job: existing, resumed: true };
    }
    await batches.updateJob(job.id, { status: "ready", total, inputKey: key });
    return { job: (await batches.getJob(job.id))!, resumed: false };
  } catch (err) {
    await batches.deleteJob(job.id);
    throw err;
  }
}

/** Read an in-memory body (API) into a new job; no resume by content, every POST is a new job. */
export async function createJobFromRows(
  batches: BatchStore,
  grader: JobIdentity["grader"],
  rows: AsyncIterable<BatchRowInput> | Iterable<BatchRowInput>,
): Promise<BatchJob> {
  const job = await batches.createJob({ id: newJobId(), inputKey: null, source: "api", mode: grader.mode, model: grader.model, promptVersion: grader.promptVersion });
  try {
    const total = await ingestRows(batches, job.id, rows);
    await batches.updateJob(job.id, { status: "ready", total });
  } catch (err) {
    await batches.deleteJob(job.id);
    throw err;
  }
  return (await batches.getJob(job.id))!;
}
