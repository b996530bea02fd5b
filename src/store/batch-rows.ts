/**
 * The batch tables' row shapes and their mapping to the BatchStore types, shared by the SQLite
 * (sqlite-batch.ts) and D1 (d1-batch.ts) adapters, which run the same SQL over the same migrations.
 */
import type { Feedback } from "../core/feedback.js";
import type { BatchJob, BatchResult, JobPatch, JobStatus, RowStatus } from "./batch-types.js";

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
