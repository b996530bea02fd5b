/**
 * The batch-job storage port, separate from Store so each runtime (better-sqlite3, D1) can implement
 * it on its own. Async for the same reason as Store. Rows reference their grading by id; the
 * grading itself lives in the `gradings` table written through Store.
 */
import type { Feedback } from "../core/feedback.js";

export type JobStatus = "ingesting" | "ready" | "submitted" | "done";
export type RowStatus = "pending" | "done" | "error";

export interface RowError {
  code: string;
  message: string;
}

/** A process that grades jobs: which kind, where, and a token telling its runs apart. */
export interface JobOwner {
  kind: "cli" | "server";
  host: string;
  pid: number;
  token: string;
}

export interface BatchJob {
  id: string;
  inputKey: string | null;
  status: JobStatus;
  source: "cli" | "api";
  mode: "llm" | "offline";
  model: string | null;
  promptVersion: string;
  total: number;
  providerBatchId: string | null;
  providerStatus: string | null;
  /** The process that created the job or last held its lease (null: created over HTTP, not run yet). */
  owner: JobOwner | null;
  /** The owner's lease on the job ends here (ms since the epoch); null when nobody is grading it. */
  leaseExpiresAt: number | null;
  createdAt: string;
  updatedAt: string;
}

export type NewJob = Pick<BatchJob, "id" | "inputKey" | "source" | "mode" | "model" | "promptVersion"> & { owner?: JobOwner | null };

/** A lease request: `owner` takes the job until `until` if it is free, already its own, or held by `takeOverFrom`. */
export interface LeaseClaim {
  owner: JobOwner;
  until: number;
  now: number;
  /** A holder known to be dead (its process is gone), whose live-looking lease may be taken. */
  takeOverFrom?: JobOwner | null;
}

/** One input row as read from the file; `error` is set when the row is already known to be bad. */
export interface BatchRowInput {
  rowId: string;
  principle: string | null;
  question: string | null;
  answer: string | null;
  error?: RowError;
}

export interface PendingRow extends BatchRowInput {
  ordinal: number;
}

export type RowOutcome =
  | { ordinal: number; status: "done"; gradingId: string; cached: boolean }
  | { ordinal: number; status: "error"; error: RowError };

export interface BatchResult {
  ordinal: number;
  rowId: string;
  status: RowStatus;
  feedback: Feedback | null;
  error: RowError | null;
}

export interface BatchCounts {
  total: number;
  pending: number;
  done: number;
  error: number;
}

export interface JobPatch {
  status?: JobStatus;
  inputKey?: string | null;
  total?: number;
  providerBatchId?: string | null;
  providerStatus?: string | null;
}

export interface BatchStore {
  createJob(job: NewJob): Promise<BatchJob>;
  getJob(id: string): Promise<BatchJob | null>;
  /** The newest job with this input key that finished reading its input. */
  findJobByKey(inputKey: string): Promise<BatchJob | null>;
  /** Jobs in any of these states, oldest first (the server resumes them at start). */
  listJobs(statuses: readonly JobStatus[]): Promise<BatchJob[]>;
  updateJob(id: string, patch: JobPatch): Promise<void>;
  /** Take or renew the job's lease in one conditional write; false when someone else holds it. */
  claimJob(id: string, claim: LeaseClaim): Promise<boolean>;
  /** End `owner`'s lease (the owner stays recorded as the last one). */
  releaseJob(id: string, owner: JobOwner): Promise<void>;
  /** Remove a job and its rows (a job abandoned while its input was read). */
  deleteJob(id: string): Promise<void>;
  /** Remove a job, its rows and the gradings it created, leaving no copy of their text; false if no such job. */
  deleteJobWithResults(id: string): Promise<boolean>;
  /** Append rows numbered from `firstOrdinal`; rows with `error` are stored as failed. */
  addRows(jobId: string, firstOrdinal: number, rows: readonly BatchRowInput[]): Promise<void>;
  /** Pending rows in input order, after `afterOrdinal`. */
  pendingRows(jobId: string, afterOrdinal: number, limit: number): Promise<PendingRow[]>;
  /** Record finished rows in one write (a transaction where the backend has them). */
  recordOutcomes(jobId: string, outcomes: readonly RowOutcome[]): Promise<void>;
  counts(jobId: string): Promise<BatchCounts>;
  /** Finished and pending rows in input order with their feedback, after `afterOrdinal`. */
  results(jobId: string, afterOrdinal: number, limit: number): Promise<BatchResult[]>;
  close(): Promise<void>;
}
