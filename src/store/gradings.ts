/**
 * The gradings Store, written once over a SqlDatabase: the same statements run on better-sqlite3
 * (src/store/sqlite.ts opens the file) and on D1 (src/store/d1.ts wraps the binding).
 */
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import type { SqlDatabase } from "./driver.js";
import { guardStore } from "./faults.js";
import { storyVersionStatements } from "./stories.js";
import { USER_TABLES, type GradingSummary, type ListOptions, type Store } from "./types.js";

interface Row {
  id: string;
  created_at: string;
  feedback: string;
}

const COLUMNS = "SELECT id, created_at, feedback FROM gradings";

const parse = (row: Row | null): Feedback | null => (row ? (JSON.parse(row.feedback) as Feedback) : null);

function summary(f: Feedback): GradingSummary {
  return { id: f.id, createdAt: f.createdAt, principle: f.principle, question: f.question, overall: f.overall, mode: f.meta.mode };
}

export function gradingStore(db: SqlDatabase): Store {
  const { sql } = db;
  // The health probe: read the newest grading whole (its overflow pages too), let the engine check
  // the room left, then write one row (on a full disk the WAL append fails: SQLITE_FULL).
  const probe = async () => {
    await sql.first("SELECT id, length(feedback) FROM gradings ORDER BY created_at DESC, id DESC LIMIT 1");
    db.checkRoom?.();
    await sql.run("INSERT INTO store_health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at", [
      new Date().toISOString(),
    ]);
  };

  return guardStore<Omit<Store, "health">>(
    {
      async saveGrading(f, cacheKey, options = {}) {
        const insert = {
          sql: `INSERT INTO gradings
          (id, created_at, principle_id, question, answer, mode, model, prompt_version, input_tokens, output_tokens, overall_score, cache_key, feedback, story_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          params: [
            f.id,
            f.createdAt,
            f.principle.id,
            f.question,
            f.answer,
            f.meta.mode,
            f.meta.model,
            f.meta.promptVersion,
            f.meta.usage?.inputTokens ?? null,
            f.meta.usage?.outputTokens ?? null,
            f.overall.score,
            cacheKey,
            JSON.stringify(f),
            f.storyId,
          ],
        };
        // The story row and the grading in one transaction: one commit, and never one without the other.
        if (options.storyVersion && f.storyId) await sql.batch([...storyVersionStatements(f.storyId, f.principle.id, f.createdAt), insert]);
        else await sql.run(insert.sql, insert.params);
      },
      async getGrading(id) {
        return parse(await sql.first<Row>(`${COLUMNS} WHERE id = ?`, [id]));
      },
      async findCached(cacheKey) {
        return parse(await sql.first<Row>(`${COLUMNS} WHERE cache_key = ? ORDER BY created_at DESC LIMIT 1`, [cacheKey]));
      },
      async listGradings({ limit, before }: ListOptions) {
        // Keyset pagination in one query: the anchor row is looked up inside the statement, so a
        // page costs one round trip (each is a network hop on D1). An unknown anchor gives no rows.
        const rows = before
          ? await sql.all<Row>(
              `${COLUMNS} WHERE (created_at, id) < (SELECT created_at, id FROM gradings WHERE id = ?)
              ORDER BY created_at DESC, id DESC LIMIT ?`,
              [before, limit],
            )
          : await sql.all<Row>(`${COLUMNS} ORDER BY created_at DESC, id DESC LIMIT ?`, [limit]);
        return rows.map((r) => summary(JSON.parse(r.feedback) as Feedback));
      },
      async deleteGrading(id) {
        const deleted = (await sql.run("DELETE FROM gradings WHERE id = ?", [id])).changes > 0;
        if (deleted) db.afterDelete?.();
        return deleted;
      },
      async saveRewrite(id, rewrite) {
        await sql.run("UPDATE gradings SET rewrite = ? WHERE id = ?", [JSON.stringify(rewrite), id]);
      },
      async getRewrite(id) {
        const row = await sql.first<{ rewrite: string | null }>("SELECT rewrite FROM gradings WHERE id = ?", [id]);
        return row?.rewrite ? (JSON.parse(row.rewrite) as Rewrite) : null;
      },
      async deleteAll() {
        // One atomic batch empties every table; the rows each DELETE removed are the counts.
        const changes = await sql.batch(USER_TABLES.map((table) => ({ sql: `DELETE FROM ${table}` })));
        const removed = (table: (typeof USER_TABLES)[number]) => changes[USER_TABLES.indexOf(table)]?.changes ?? 0;
        db.afterDelete?.();
        return { gradings: removed("gradings"), batchJobs: removed("batch_jobs") };
      },
      close: () => db.close(),
    },
    db.name,
    probe,
  );
}
