/**
 * The Store on Cloudflare D1 (SQLite semantics). Same tables and the same migration files as
 * sqlite.ts: on Workers they are applied by `wrangler d1 migrations apply` (wrangler.toml points
 * migrations_dir at src/store/migrations), which records them in the same d1_migrations table.
 */
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import type { D1Database } from "../worker/bindings.js";
import { guardStore } from "./faults.js";
import { USER_TABLES, type GradingSummary, type ListOptions, type Store } from "./types.js";

/** How D1 faults are named in messages (a Worker has no file path). */
export const D1_NAME = "D1 database DB";

interface Row {
  id: string;
  created_at: string;
  feedback: string;
}

const COLUMNS = "SELECT id, created_at, feedback FROM gradings";

function summary(f: Feedback): GradingSummary {
  return { id: f.id, createdAt: f.createdAt, principle: f.principle, question: f.question, overall: f.overall, mode: f.meta.mode };
}

const parse = (row: Row | null): Feedback | null => (row ? (JSON.parse(row.feedback) as Feedback) : null);

export function openD1Store(db: D1Database): Store {
  const probe = async () => {
    await db.batch([
      db.prepare("SELECT id, length(feedback) FROM gradings ORDER BY created_at DESC, id DESC LIMIT 1"),
      db.prepare("INSERT INTO store_health (id, checked_at) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at").bind(new Date().toISOString()),
    ]);
  };
  return guardStore<Omit<Store, "health">>({
    async saveGrading(f, cacheKey) {
      await db
        .prepare(`INSERT INTO gradings
          (id, created_at, principle_id, question, answer, mode, model, prompt_version, input_tokens, output_tokens, overall_score, cache_key, feedback, story_id)
          VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`)
        .bind(
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
        )
        .run();
    },
    async getGrading(id) {
      return parse(await db.prepare(`${COLUMNS} WHERE id = ?1`).bind(id).first<Row>());
    },
    async findCached(cacheKey) {
      return parse(await db.prepare(`${COLUMNS} WHERE cache_key = ?1 ORDER BY created_at DESC LIMIT 1`).bind(cacheKey).first<Row>());
    },
    async listGradings({ limit, before }: ListOptions) {
      // Keyset pagination in one query: the anchor row is looked up inside the statement, so a
      // page costs one D1 round trip (each is a network hop on Workers).
      const stmt = before
        ? db
            .prepare(`${COLUMNS} WHERE (created_at, id) < (SELECT created_at, id FROM gradings WHERE id = ?1)
              ORDER BY created_at DESC, id DESC LIMIT ?2`)
            .bind(before, limit)
        : db.prepare(`${COLUMNS} ORDER BY created_at DESC, id DESC LIMIT ?1`).bind(limit);
      const { results } = await stmt.all<Row>();
      return results.map((r) => summary(JSON.parse(r.feedback) as Feedback));
    },
    async deleteGrading(id) {
      const { meta } = await db.prepare("DELETE FROM gradings WHERE id = ?1").bind(id).run();
      return meta.changes > 0;
    },
    async saveRewrite(id, rewrite) {
      await db.prepare("UPDATE gradings SET rewrite = ?1 WHERE id = ?2").bind(JSON.stringify(rewrite), id).run();
    },
    async getRewrite(id) {
      const row = await db.prepare("SELECT rewrite FROM gradings WHERE id = ?1").bind(id).first<{ rewrite: string | null }>();
      return row?.rewrite ? (JSON.parse(row.rewrite) as Rewrite) : null;
    },
    async deleteAll() {
      // One atomic db.batch(): count, then empty every table. D1 manages its own storage; see
      // docs/WORKERS.md for what remains recoverable (Time Travel).
      const [gradings, jobs] = await db.batch([
        db.prepare("SELECT COUNT(*) AS n FROM gradings"),
        db.prepare("SELECT COUNT(*) AS n FROM batch_jobs"),
        ...USER_TABLES.map((t) => db.prepare(`DELETE FROM ${t}`)),
      ]);
      const count = (r: typeof gradings) => (r?.results?.[0] as { n: number } | undefined)?.n ?? 0;
      return { gradings: count(gradings), batchJobs: count(jobs) };
    },
    async close() {
      // A D1 binding has no connection to close.
    },
  }, D1_NAME, probe);
}
