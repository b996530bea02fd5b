/**
 * The batch tables' row shapes and their mapping to the BatchStore types, shared by the SQLite
 * (sqlite-batch.ts) and D1 (d1-batch.ts) adapters, which run the same SQL over the same migrations.
 */
import type { Feedback } from "../core/feedback.js";
import type { BatchJob, BatchResult, BatchRowInput, JobOwner, JobPatch, JobStatus, LeaseClaim, RowStatus } from "./batch-types.js";

export interface JobRow {
  id: string;
  input_key: string | null;
  status: JobStatus;
  source: BatchJob["source"];
  mode: BatchJob["mode"];
  model: string | null;
  prompt_version: string;
  total: number;
  provider_batch_id: string | null;
  provider_status: string | null;
  owner: string | null;
  lease_expires_at: number | null;
  created_at: string;
  updated_at: string;
}

export interface ResultRow {
  ordinal: number;
  row_id: string;
  status: RowStatus;
  cached: number;
  error_code: string | null;
  error_message: string | null;
  feedback: string | null;
}

/** The owner column: JSON with a fixed key order, so two writes of the same owner compare equal in SQL. */
export function ownerText(o: JobOwner | null | undefined): string | null {
  return o ? JSON.stringify({ kind: o.kind, host: o.host, pid: o.pid, token: o.token }) : null;
}

function parseOwner(text: string | null): JobOwner | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as JobOwner;
  } catch {
    return null;
  }
}

/**
 * The conditional UPDATE that takes a lease: the job is free (no lease, or an expired one), already
 * this owner's, or held by an owner known to be dead. One statement, so two processes racing for a
 * job cannot both win.
 */
export function claimUpdate(id: string, c: LeaseClaim): { sql: string; params: unknown[] } {
  return {
    sql: `UPDATE batch_jobs SET owner = ?, lease_expires_at = ? WHERE id = ?
      AND (lease_expires_at IS NULL OR lease_expires_at <= ? OR owner = ? OR owner = ?)`,
    params: [ownerText(c.owner), c.until, id, c.now, ownerText(c.owner), ownerText(c.takeOverFrom) ?? ""],
  };
}

export const RELEASE_LEASE = "UPDATE batch_jobs SET lease_expires_at = NULL WHERE id = ? AND owner = ?";

export const toJob = (r: JobRow): BatchJob => ({
  id: r.id,
  inputKey: r.input_key,
  status: r.status,
  source: r.source,
  mode: r.mode,
  model: r.model,
  promptVersion: r.prompt_version,
  total: r.total,
  providerBatchId: r.provider_batch_id,
  providerStatus: r.provider_status,
  owner: parseOwner(r.owner),
  leaseExpiresAt: r.lease_expires_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A result row; a "done" row whose grading was deleted from the history reports that as an error. */
export function toResult(r: ResultRow): BatchResult {
  const feedback = r.feedback ? (JSON.parse(r.feedback) as Feedback) : null;
  if (feedback && r.cached) feedback.meta.cached = true;
  const lost = r.status === "done" && !feedback;
  return {
    ordinal: r.ordinal,
    rowId: r.row_id,
    status: lost ? "error" : r.status,
    feedback,
    error: lost
      ? { code: "grading_deleted", message: "The grading for this row was deleted from the history." }
      : r.error_code
        ? { code: r.error_code, message: r.error_message ?? "" }
        : null,
  };
}

/**
 * The column values of a new row (after job_id and ordinal). A row already failed keeps only its id
 * and error: its text is never graded, and a rejected 100 MB answer must not become a 100 MB database.
 */
export function rowValues(r: BatchRowInput): [string, string | null, string | null, string | null, RowStatus, string | null, string | null] {
  return r.error
    ? [r.rowId, null, null, null, "error", r.error.code, r.error.message]
    : [r.rowId, r.principle, r.question, r.answer, "pending", null, null];
}

/**
 * SET clauses for a finished row (parameters: grading id and cached flag, or the error's code and
 * message). A finished row drops its question and answer: a graded answer lives in its grading, so
 * deleting that grading leaves no copy behind in the batch tables.
 */
export const FINISHED_DONE = "status = 'done', grading_id = ?, cached = ?, question = NULL, answer = NULL";
export const FINISHED_ERROR = "status = 'error', error_code = ?, error_message = ?, question = NULL, answer = NULL";

/**
 * Delete the gradings a job created (parameter: job id). A row answered from the cache points to a
 * grading made earlier by something else (the history, another job), which stays.
 */
export const DELETE_JOB_RESULTS = `DELETE FROM gradings WHERE id IN
  (SELECT grading_id FROM batch_rows WHERE job_id = ? AND status = 'done' AND cached = 0 AND grading_id IS NOT NULL)`;

/** The UPDATE for a job patch: only the fields given change, and updated_at always does. */
export function jobUpdate(id: string, patch: JobPatch, now: string): { sql: string; params: unknown[] } {
  const columns: Record<string, unknown> = {
    status: patch.status,
    input_key: patch.inputKey,
    total: patch.total,
    provider_batch_id: patch.providerBatchId,
    provider_status: patch.providerStatus,
  };
  const set = Object.entries(columns).filter(([, v]) => v !== undefined);
  return {
    sql: `UPDATE batch_jobs SET ${[...set.map(([k]) => `${k} = ?`), "updated_at = ?"].join(", ")} WHERE id = ?`,
    params: [...set.map(([, v]) => v), now, id],
  };
}
