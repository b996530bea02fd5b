/**
 * The BatchStore, written once over a SqlDatabase (the same file or D1 binding as the gradings).
 * Multi-statement writes go through one driver batch, which both engines run all or nothing (D1
 * has no interactive transactions). Every statement binds at most 100 parameters (D1's limit), and
 * rows are written in multi-row INSERTs so a batch of rows costs few queries (Workers Free: 50 D1
 * queries per invocation).
 */
import type { SqlDatabase, SqlStatement } from "./driver.js";
import { guardStore } from "./faults.js";
import type { BatchResult, BatchStore, PendingRow, RowStatus } from "./batch-types.js";
import { claimUpdate, DELETE_JOB_RESULTS, FINISHED_DONE, FINISHED_ERROR, jobUpdate, ownerText, RELEASE_LEASE, rowValues, toJob, toResult, type JobRow, type ResultRow } from "./batch-rows.js";

interface PendingRowData {
  ordinal: number;
  row_id: string;
  principle: string | null;
  question: string | null;
  answer: string | null;
}

/** D1 rejects statements with more than 100 bound parameters. */
export const MAX_PARAMS = 100;
const ROW_COLUMNS = 9;
const ROWS_PER_INSERT = Math.floor(MAX_PARAMS / ROW_COLUMNS);

const PENDING_COLUMNS = "SELECT ordinal, row_id, principle, question, answer FROM batch_rows WHERE job_id = ? AND status = 'pending'";

/** The batch store with the reads the Workers queue consumer needs. */
export interface SqlBatchStore extends BatchStore {
  /** Pending rows among these ordinals, in one query per 99 ordinals (the queue consumer's read). */
  pendingByOrdinals(jobId: string, ordinals: readonly number[]): Promise<PendingRow[]>;
  /** Mark the job done if no row is pending; one statement, safe when consumers race. */
  finishIfComplete(jobId: string): Promise<boolean>;
}

/** A job's rows, then the job: the statements that remove it. */
const deleteJobStatements = (id: string): SqlStatement[] => [
  { sql: "DELETE FROM batch_rows WHERE job_id = ?", params: [id] },
  { sql: "DELETE FROM batch_jobs WHERE id = ?", params: [id] },
];

const toPending = (r: PendingRowData): PendingRow => ({ ordinal: r.ordinal, rowId: r.row_id, principle: r.principle, question: r.question, answer: r.answer });

export function batchStore(db: SqlDatabase, now: () => string = () => new Date().toISOString()): SqlBatchStore {
  const { sql } = db;
  const getJob = async (id: string) => {
    const row = await sql.first<JobRow>("SELECT * FROM batch_jobs WHERE id = ?", [id]);
    return row ? toJob(row) : null;
  };

  return guardStore<SqlBatchStore>(
    {
      async createJob(job) {
        const t = now();
        await sql.run(
          `INSERT INTO batch_jobs (id, input_key, status, source, mode, model, prompt_version, owner, created_at, updated_at)
          VALUES (?, ?, 'ingesting', ?, ?, ?, ?, ?, ?, ?)`,
          [job.id, job.inputKey, job.source, job.mode, job.model, job.promptVersion, ownerText(job.owner), t, t],
        );
        return (await getJob(job.id))!;
      },
      getJob,
      async findJobByKey(key) {
        const row = await sql.first<JobRow>("SELECT * FROM batch_jobs WHERE input_key = ? AND status <> 'ingesting' ORDER BY created_at DESC LIMIT 1", [key]);
        return row ? toJob(row) : null;
      },
      async listJobs(statuses) {
        if (!statuses.length) return [];
        const rows = await sql.all<JobRow>(`SELECT * FROM batch_jobs WHERE status IN (${statuses.map(() => "?").join(",")}) ORDER BY created_at`, statuses);
        return rows.map(toJob);
      },
      async updateJob(id, patch) {
        const { sql: text, params } = jobUpdate(id, patch, now());
        await sql.run(text, params);
      },
      async claimJob(id, claim) {
        const { sql: text, params } = claimUpdate(id, claim);
        return (await sql.run(text, params)).changes > 0;
      },
      async releaseJob(id, owner) {
        await sql.run(RELEASE_LEASE, [id, ownerText(owner)]);
      },
      async deleteJob(id) {
        await sql.batch(deleteJobStatements(id));
      },
      async deleteJobWithResults(id) {
        const changes = await sql.batch([{ sql: DELETE_JOB_RESULTS, params: [id] }, ...deleteJobStatements(id)]);
        const deleted = (changes[2]?.changes ?? 0) > 0;
        if (deleted) db.afterDelete?.();
        return deleted;
      },
      async addRows(jobId, first, rows) {
        const statements: SqlStatement[] = [];
        for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
          const chunk = rows.slice(start, start + ROWS_PER_INSERT);
          statements.push({
            sql: `INSERT INTO batch_rows (job_id, ordinal, row_id, principle, question, answer, status, error_code, error_message) VALUES ${chunk.map(() => "(?,?,?,?,?,?,?,?,?)").join(",")}`,
            params: chunk.flatMap((r, i) => [jobId, first + start + i, ...rowValues(r)]),
          });
        }
        await sql.batch(statements);
      },
      async pendingRows(jobId, after, limit) {
        return (await sql.all<PendingRowData>(`${PENDING_COLUMNS} AND ordinal > ? ORDER BY ordinal LIMIT ?`, [jobId, after, limit])).map(toPending);
      },
      async pendingByOrdinals(jobId, ordinals) {
        const rows: PendingRow[] = [];
        // The job id takes one of the 100 parameters.
        for (let start = 0; start < ordinals.length; start += MAX_PARAMS - 1) {
          const chunk = ordinals.slice(start, start + MAX_PARAMS - 1);
          const found = await sql.all<PendingRowData>(`${PENDING_COLUMNS} AND ordinal IN (${chunk.map(() => "?").join(",")}) ORDER BY ordinal`, [jobId, ...chunk]);
          rows.push(...found.map(toPending));
        }
        return rows;
      },
      async recordOutcomes(jobId, outcomes) {
        await sql.batch(
          outcomes.map((o) =>
            o.status === "done"
              ? { sql: `UPDATE batch_rows SET ${FINISHED_DONE} WHERE job_id = ? AND ordinal = ?`, params: [o.gradingId, o.cached ? 1 : 0, jobId, o.ordinal] }
              : { sql: `UPDATE batch_rows SET ${FINISHED_ERROR} WHERE job_id = ? AND ordinal = ?`, params: [o.error.code, o.error.message, jobId, o.ordinal] },
          ),
        );
      },
      async counts(jobId) {
        const c = { total: 0, pending: 0, done: 0, error: 0 };
        for (const { status, n } of await sql.all<{ status: RowStatus; n: number }>("SELECT status, COUNT(*) AS n FROM batch_rows WHERE job_id = ? GROUP BY status", [jobId])) {
          c[status] = n;
          c.total += n;
        }
        return c;
      },
      async finishIfComplete(jobId) {
        const { changes } = await sql.run(
          `UPDATE batch_jobs SET status = 'done', updated_at = ? WHERE id = ? AND status <> 'done'
          AND NOT EXISTS (SELECT 1 FROM batch_rows WHERE job_id = ? AND status = 'pending')`,
          [now(), jobId, jobId],
        );
        return changes > 0;
      },
      async results(jobId, after, limit): Promise<BatchResult[]> {
        // LEFT JOIN: a row whose grading was deleted from the history still reports its status.
        const rows = await sql.all<ResultRow>(
          `SELECT r.ordinal, r.row_id, r.status, r.cached, r.error_code, r.error_message, g.feedback
          FROM batch_rows r LEFT JOIN gradings g ON g.id = r.grading_id
          WHERE r.job_id = ? AND r.ordinal > ? ORDER BY r.ordinal LIMIT ?`,
          [jobId, after, limit],
        );
        return rows.map(toResult);
      },
      close: () => db.close(),
    },
    db.name,
  );
}
