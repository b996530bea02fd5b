/**
 * BatchStore on Cloudflare D1, the same tables (migration 0002) and semantics as sqlite-batch.ts.
 * D1 has no interactive transactions: multi-statement writes go through db.batch(), which D1 runs
 * atomically. Every statement binds at most 100 parameters (D1's limit), and rows are written in
 * multi-row INSERTs so a batch of rows costs few queries (Workers Free: 50 D1 queries/invocation).
 */
import type { D1Database, D1PreparedStatement } from "../worker/bindings.js";
import { D1_NAME } from "./d1.js";
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
export const D1_MAX_PARAMS = 100;
const ROW_COLUMNS = 9;
const ROWS_PER_INSERT = Math.floor(D1_MAX_PARAMS / ROW_COLUMNS);

export interface D1BatchStore extends BatchStore {
  /** Pending rows among these ordinals, in one query (the queue consumer's read). */
  pendingByOrdinals(jobId: string, ordinals: readonly number[]): Promise<PendingRow[]>;
  /** Mark the job done if no row is pending; one statement, safe when consumers race. */
  finishIfComplete(jobId: string): Promise<boolean>;
}

export function openD1BatchStore(db: D1Database, now: () => string = () => new Date().toISOString()): D1BatchStore {
  const run = (stmts: D1PreparedStatement[]) => (stmts.length === 1 ? stmts[0]!.run().then(() => undefined) : db.batch(stmts).then(() => undefined));
  const toPending = (r: PendingRowData) => ({ ordinal: r.ordinal, rowId: r.row_id, principle: r.principle, question: r.question, answer: r.answer });

  return guardStore<D1BatchStore>({
    async createJob(job) {
      const t = now();
      await db
        .prepare(`INSERT INTO batch_jobs (id, input_key, status, source, mode, model, prompt_version, owner, created_at, updated_at)
          VALUES (?1, ?2, 'ingesting', ?3, ?4, ?5, ?6, ?7, ?8, ?8)`)
        .bind(job.id, job.inputKey, job.source, job.mode, job.model, job.promptVersion, ownerText(job.owner), t)
        .run();
      return (await this.getJob(job.id))!;
    },
    async getJob(id) {
      const row = await db.prepare("SELECT * FROM batch_jobs WHERE id = ?1").bind(id).first<JobRow>();
      return row ? toJob(row) : null;
    },
    async findJobByKey(key) {
      const row = await db
        .prepare("SELECT * FROM batch_jobs WHERE input_key = ?1 AND status <> 'ingesting' ORDER BY created_at DESC LIMIT 1")
        .bind(key)
        .first<JobRow>();
      return row ? toJob(row) : null;
    },
    async listJobs(statuses) {
      if (!statuses.length) return [];
      const { results } = await db
        .prepare(`SELECT * FROM batch_jobs WHERE status IN (${statuses.map((_, i) => `?${i + 1}`).join(",")}) ORDER BY created_at`)
        .bind(...statuses)
        .all<JobRow>();
      return results.map(toJob);
    },
    async updateJob(id, patch) {
      const { sql, params } = jobUpdate(id, patch, now());
      await db.prepare(sql).bind(...params).run();
    },
    async claimJob(id, claim) {
      const { sql, params } = claimUpdate(id, claim);
      const { meta } = await db.prepare(sql).bind(...params).run();
      return meta.changes > 0;
    },
    async releaseJob(id, owner) {
      await db.prepare(RELEASE_LEASE).bind(id, ownerText(owner)).run();
    },
    async deleteJob(id) {
      await run([db.prepare("DELETE FROM batch_rows WHERE job_id = ?1").bind(id), db.prepare("DELETE FROM batch_jobs WHERE id = ?1").bind(id)]);
    },
    async deleteJobWithResults(id) {
      // One atomic db.batch(); D1 manages its own storage (no secure_delete or checkpoint to run).
      const results = await db.batch([
        db.prepare(DELETE_JOB_RESULTS).bind(id),
        db.prepare("DELETE FROM batch_rows WHERE job_id = ?").bind(id),
        db.prepare("DELETE FROM batch_jobs WHERE id = ?").bind(id),
      ]);
      return (results[2]?.meta.changes ?? 0) > 0;
    },
    async addRows(jobId, first, rows) {
      const stmts: D1PreparedStatement[] = [];
      for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
        const chunk = rows.slice(start, start + ROWS_PER_INSERT);
        const values = chunk.flatMap((r, i) => [jobId, first + start + i, ...rowValues(r)]);
        stmts.push(
          db
            .prepare(`INSERT INTO batch_rows (job_id, ordinal, row_id, principle, question, answer, status, error_code, error_message) VALUES ${chunk.map(() => "(?,?,?,?,?,?,?,?,?)").join(",")}`)
            .bind(...values),
        );
      }
      if (stmts.length) await run(stmts);
    },
    async pendingRows(jobId, after, limit) {
      const { results } = await db
        .prepare(`SELECT ordinal, row_id, principle, question, answer FROM batch_rows
          WHERE job_id = ?1 AND status = 'pending' AND ordinal > ?2 ORDER BY ordinal LIMIT ?3`)
        .bind(jobId, after, limit)
        .all<PendingRowData>();
      return results.map(toPending);
    },
    async pendingByOrdinals(jobId, ordinals) {
      const rows: PendingRow[] = [];
      // One query per 99 ordinals (plus the job id: D1's 100-parameter limit).
      for (let start = 0; start < ordinals.length; start += D1_MAX_PARAMS - 1) {
        const chunk = ordinals.slice(start, start + D1_MAX_PARAMS - 1);
        const { results } = await db
          .prepare(`SELECT ordinal, row_id, principle, question, answer FROM batch_rows
            WHERE job_id = ? AND status = 'pending' AND ordinal IN (${chunk.map(() => "?").join(",")}) ORDER BY ordinal`)
          .bind(jobId, ...chunk)
          .all<PendingRowData>();
        rows.push(...results.map(toPending));
      }
      return rows;
    },
    async recordOutcomes(jobId, outcomes) {
      const stmts = outcomes.map((o) =>
        o.status === "done"
          ? db.prepare(`UPDATE batch_rows SET ${FINISHED_DONE} WHERE job_id = ? AND ordinal = ?`).bind(o.gradingId, o.cached ? 1 : 0, jobId, o.ordinal)
          : db.prepare(`UPDATE batch_rows SET ${FINISHED_ERROR} WHERE job_id = ? AND ordinal = ?`).bind(o.error.code, o.error.message, jobId, o.ordinal),
      );
      if (stmts.length) await run(stmts);
    },
    async counts(jobId) {
      const { results } = await db
        .prepare("SELECT status, COUNT(*) AS n FROM batch_rows WHERE job_id = ?1 GROUP BY status")
        .bind(jobId)
        .all<{ status: RowStatus; n: number }>();
      const c = { total: 0, pending: 0, done: 0, error: 0 };
      for (const { status, n } of results) {
        c[status] = n;
        c.total += n;
      }
      return c;
    },
    async finishIfComplete(jobId) {
      const { meta } = await db
        .prepare(`UPDATE batch_jobs SET status = 'done', updated_at = ?1 WHERE id = ?2 AND status <> 'done'
          AND NOT EXISTS (SELECT 1 FROM batch_rows WHERE job_id = ?2 AND status = 'pending')`)
        .bind(now(), jobId)
        .run();
      return meta.changes > 0;
    },
    async results(jobId, after, limit): Promise<BatchResult[]> {
      // LEFT JOIN: a row whose grading was deleted from the history still reports its status.
      const { results } = await db
        .prepare(`SELECT r.ordinal, r.row_id, r.status, r.cached, r.error_code, r.error_message, g.feedback
          FROM batch_rows r LEFT JOIN gradings g ON g.id = r.grading_id
          WHERE r.job_id = ?1 AND r.ordinal > ?2 ORDER BY r.ordinal LIMIT ?3`)
        .bind(jobId, after, limit)
        .all<ResultRow>();
      return results.map(toResult);
    },
    async close() {
      // A D1 binding has no connection to close.
    },
  }, D1_NAME);
}
