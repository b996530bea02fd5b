/** The Store on a local SQLite file through better-sqlite3 (WAL mode, file migrations). */
import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Feedback } from "../core/feedback.js";
import type { GradingSummary, ListOptions, Store } from "./types.js";

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/** Apply pending migration files in name order, tracked in the same table wrangler's D1 uses. */
export function migrate(db: Database.Database, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS d1_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
  const applied = new Set(db.prepare("SELECT name FROM d1_migrations").pluck().all() as string[]);
  const pending = readdirSync(dir).filter((f) => f.endsWith(".sql") && !applied.has(f)).sort();
  for (const name of pending) {
    db.transaction(() => {
      db.exec(readFileSync(join(dir, name), "utf8"));
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").run(name);
    })();
  }
  return pending;
}

interface Row {
  id: string;
  created_at: string;
  feedback: string;
}

function summary(f: Feedback): GradingSummary {
  return { id: f.id, createdAt: f.createdAt, principle: f.principle, question: f.question, overall: f.overall, mode: f.meta.mode };
}

export function openSqliteStore(file: string): Store {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const insert = db.prepare(`INSERT INTO gradings
    (id, created_at, principle_id, question, answer, mode, model, prompt_version, input_tokens, output_tokens, overall_score, cache_key, feedback, story_id)
    VALUES (@id, @createdAt, @principleId, @question, @answer, @mode, @model, @promptVersion, @inputTokens, @outputTokens, @score, @cacheKey, @feedback, @storyId)`);
  const byId = db.prepare<[string], Row>("SELECT id, created_at, feedback FROM gradings WHERE id = ?");
  const byCache = db.prepare<[string], Row>("SELECT id, created_at, feedback FROM gradings WHERE cache_key = ? ORDER BY created_at DESC LIMIT 1");
  const latest = db.prepare<[number], Row>("SELECT id, created_at, feedback FROM gradings ORDER BY created_at DESC, id DESC LIMIT ?");
  const olderThan = db.prepare<[string, string, number], Row>(
    "SELECT id, created_at, feedback FROM gradings WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
  );
  const remove = db.prepare("DELETE FROM gradings WHERE id = ?");
  const parse = (row: Row | undefined): Feedback | null => (row ? (JSON.parse(row.feedback) as Feedback) : null);

  return {
    async saveGrading(f, cacheKey) {
      insert.run({
        id: f.id,
        createdAt: f.createdAt,
        principleId: f.principle.id,
        question: f.question,
        answer: f.answer,
        mode: f.meta.mode,
        model: f.meta.model,
        promptVersion: f.meta.promptVersion,
        inputTokens: f.meta.usage?.inputTokens ?? null,
        outputTokens: f.meta.usage?.outputTokens ?? null,
        score: f.overall.score,
        cacheKey,
        feedback: JSON.stringify(f),
        storyId: f.storyId,
      });
    },
    async getGrading(id) {
      return parse(byId.get(id));
    },
    async findCached(cacheKey) {
      return parse(byCache.get(cacheKey));
    },
    async listGradings({ limit, before }: ListOptions) {
      let rows: Row[];
      if (before) {
        const anchor = byId.get(before);
        rows = anchor ? olderThan.all(anchor.created_at, anchor.id, limit) : [];
      } else rows = latest.all(limit);
      return rows.map((r) => summary(JSON.parse(r.feedback) as Feedback));
    },
    async deleteGrading(id) {
      return remove.run(id).changes > 0;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
