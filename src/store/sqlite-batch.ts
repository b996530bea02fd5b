/** BatchStore on the same SQLite file as the gradings (its own connection; WAL lets both write). */
import type { BatchResult, BatchStore, RowStatus } from "./batch-types.js";
import { claimUpdate, DELETE_JOB_RESULTS, FINISHED_DONE, FINISHED_ERROR, jobUpdate, ownerText, RELEASE_LEASE, rowValues, toJob, toResult, type JobRow, type ResultRow } from "./batch-rows.js";
import { guardStore } from "./faults.js";
import { checkpoint, openDatabase, type DatabaseOptions } from "./sqlite.js";

export function openSqliteBatchStore(file: string, options: DatabaseOptions = {}): BatchStore {
  if (file === ":memory:") throw new Error("batch jobs need a database file shared with the gradings store");
  const db = openDatabase(file, options);
  const now = () => new Date().toISOString();

  const insertJob = db.prepare(`INSERT INTO batch_jobs (id, input_key, status, source, mode, model, prompt_version, owner, created_at, updated_at)
    VALUES (@id, @inputKey, 'ingesting', @source, @mode, @model, @promptVersion, @owner, @now, @now)`);
  const jobById = db.prepare<[string], JobRow>("SELECT * FROM batch_jobs WHERE id = ?");
  const jobByKey = db.prepare<[string], JobRow>(
    "SELECT * FROM batch_jobs WHERE input_key = ? AND status <> 'ingesting' ORDER BY created_at DESC LIMIT 1",
  );
  const insertRow = db.prepare(`INSERT INTO batch_rows (job_id, ordinal, row_id, principle, question, answer, status, error_code, error_message)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const pending = db.prepare<[string, number, number], { ordinal: number; row_id: string; principle: string | null; question: string | null; answer: string | null }>(
    `SELECT ordinal, row_id, principle, question, answer FROM batch_rows
     WHERE job_id = ? AND status = 'pending' AND ordinal > ? ORDER BY ordinal LIMIT ?`,
  );
  const markDone = db.prepare(`UPDATE batch_rows SET ${FINISHED_DONE} WHERE job_id = ? AND ordinal = ?`);
  const markError = db.prepare(`UPDATE batch_rows SET ${FINISHED_ERROR} WHERE job_id = ? AND ordinal = ?`);
  const countRows = db.prepare<[string], { status: RowStatus; n: number }>(
    "SELECT status, COUNT(*) AS n FROM batch_rows WHERE job_id = ? GROUP BY status",
  );
  // LEFT JOIN: a row whose grading was deleted from the history still reports its status.
  const results = db.prepare<[string, number, number], ResultRow>(
    `SELECT r.ordinal, r.row_id, r.status, r.cached, r.error_code, r.error_message, g.feedback
     FROM batch_rows r LEFT JOIN gradings g ON g.id = r.grading_id
     WHERE r.job_id = ? AND r.ordinal > ? ORDER BY r.ordinal LIMIT ?`,
  );

  const addRows = db.transaction((jobId: string, first: number, rows: readonly Parameters<BatchStore["addRows"]>[2][number][]) => {
    rows.forEach((r, i) => insertRow.run(jobId, first + i, ...rowValues(r)));
  });
  const deleteWithResults = db.transaction((id: string) => {
    db.prepare(DELETE_JOB_RESULTS).run(id);
    db.prepare("DELETE FROM batch_rows WHERE job_id = ?").run(id);
    return db.prepare("DELETE FROM batch_jobs WHERE id = ?").run(id).changes > 0;
  });
  const record = db.transaction((jobId: string, outcomes: Parameters<BatchStore["recordOutcomes"]>[1]) => {
    for (const o of outcomes) {
      if (o.status === "done") markDone.run(o.gradingId, o.cached ? 1 : 0, jobId, o.ordinal);
      else markError.run(o.error.code, o.error.message, jobId, o.ordinal);
    }
  });

  return guardStore<BatchStore>({
    async createJob(job) {
      insertJob.run({ id: job.id, inputKey: job.inputKey, source: job.source, mode: job.mode, model: job.model, promptVersion: job.promptVersion, owner: ownerText(job.owner), now: now() });
      return toJob(jobById.get(job.id)!);
    },
    async getJob(id) {
      const row = jobById.get(id);
      return row ? toJob(row) : null;
    },
    async findJobByKey(key) {
      const row = jobByKey.get(key);
      return row ? toJob(row) : null;
    },
    async listJobs(statuses) {
      if (!statuses.length) return [];
      const rows = db
        .prepare<string[], JobRow>(`SELECT * FROM batch_jobs WHERE status IN (${statuses.map(() => "?").join(",")}) ORDER BY created_at`)
        .all(...statuses);
      return rows.map(toJob);
    },
    async updateJob(id, patch) {
      const { sql, params } = jobUpdate(id, patch, now());
      db.prepare(sql).run(...params);
    },
    async claimJob(id, claim) {
      const { sql, params } = claimUpdate(id, claim);
      return db.prepare(sql).run(...params).changes > 0;
    },
    async releaseJob(id, owner) {
      db.prepare(RELEASE_LEASE).run(id, ownerText(owner));
    },
    async deleteJob(id) {
      db.prepare("DELETE FROM batch_rows WHERE job_id = ?").run(id);
      db.prepare("DELETE FROM batch_jobs WHERE id = ?").run(id);
    },
    async deleteJobWithResults(id) {
      const deleted = deleteWithResults(id);
      if (deleted) checkpoint(db);
      return deleted;
    },
    async addRows(jobId, first, rows) {
      addRows(jobId, first, rows);
    },
    async pendingRows(jobId, after, limit) {
      return pending.all(jobId, after, limit).map((r) => ({
        ordinal: r.ordinal,
        rowId: r.row_id,
        principle: r.principle,
        question: r.question,
        answer: r.answer,
      }));
    },
    async recordOutcomes(jobId, outcomes) {
      if (outcomes.length) record(jobId, outcomes);
    },
    async counts(jobId) {
      const c = { total: 0, pending: 0, done: 0, error: 0 };
      for (const { status, n } of countRows.all(jobId)) {
        c[status] = n;
        c.total += n;
      }
      return c;
    },
    async results(jobId, after, limit): Promise<BatchResult[]> {
      return results.all(jobId, after, limit).map(toResult);
    },
    async close() {
      if (db.open) db.close();
    },
  }, file);
}
