/**
 * The Store on a local SQLite file through better-sqlite3 (WAL mode, file migrations).
 *
 * Deleted text must not stay readable in the file: every connection runs with secure_delete (SQLite
 * overwrites deleted content and freed pages with zeros), and each delete is followed by a TRUNCATE
 * checkpoint, which copies the WAL into the database and empties it, so no old page image with the
 * text survives in the WAL either.
 */
import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import { guardStore, toStoreError } from "./faults.js";
import { USER_TABLES, type GradingSummary, type ListOptions, type Store } from "./types.js";

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

/** mkdir -p, with a plain reason when a part of the path is a file (mkdir only says EEXIST). */
function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    throw Object.assign(new Error(`ENOTDIR: ${(err as NodeJS.ErrnoException).path ?? dir} is a file, not a folder`), { code: "ENOTDIR" });
  }
}

export interface DatabaseOptions {
  /** Refuse to grow the file past this many MB (SQLite's max_page_count): writes then fail as storage_full. */
  maxMb?: number | null;
}

/**
 * A migrated connection with the settings every starcoach connection uses. A file that cannot be
 * opened, is not a database or is damaged throws a StoreError naming the file and what to do.
 */
export function openDatabase(file: string, options: DatabaseOptions = {}): Database.Database {
  let db: Database.Database | null = null;
  try {
    if (file !== ":memory:") makeFolder(dirname(file));
    db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("secure_delete = ON");
    db.pragma("foreign_keys = ON");
    if (options.maxMb) db.pragma(`max_page_count = ${Math.max(1, Math.floor((options.maxMb * 1024 * 1024) / (db.pragma("page_size", { simple: true }) as number)))}`);
    migrate(db);
    return db;
  } catch (err) {
    if (db?.open) db.close();
    // mkdir failures (ENOTDIR, EACCES, EROFS) and SQLite's own open errors alike; a bug (no error
    // code) stays what it is.
    const coded = typeof (err as { code?: unknown })?.code === "string";
    throw toStoreError(err, file, coded ? "store_unavailable" : undefined) ?? err;
  }
}

/** Below this many free pages (64 KB at the default page size, two or three gradings) the store reports itself full. */
const MIN_ROOM_PAGES = 16;

/** Pages the file may still take: free pages inside it plus growth up to max_page_count. */
function roomInPages(db: Database.Database): number {
  const n = (name: string) => db.pragma(name, { simple: true }) as number;
  return n("max_page_count") - n("page_count") + n("freelist_count");
}

/** Copy the WAL into the database and empty it (after deletes: no old copy of the text survives). */
export function checkpoint(db: Database.Database): void {
  db.pragma("wal_checkpoint(TRUNCATE)");
}

export function openSqliteStore(file: string, options: DatabaseOptions = {}): Store {
  const db = openDatabase(file, options);

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
  const setRewrite = db.prepare("UPDATE gradings SET rewrite = ? WHERE id = ?");
  const rewriteOf = db.prepare<[string], { rewrite: string | null }>("SELECT rewrite FROM gradings WHERE id = ?");
  const deleteAll = db.transaction(() => {
    const counts = {
      gradings: (db.prepare("SELECT COUNT(*) FROM gradings").pluck().get() as number),
      batchJobs: (db.prepare("SELECT COUNT(*) FROM batch_jobs").pluck().get() as number),
    };
    for (const table of USER_TABLES) db.prepare(`DELETE FROM ${table}`).run();
    return counts;
  });
  const parse = (row: Row | undefined): Feedback | null => (row ? (JSON.parse(row.feedback) as Feedback) : null);
  // The health probe: read the newest grading whole (its overflow pages too), check the room left
  // under STARCOACH_DB_MAX_MB, then write one row (on a full disk the WAL append fails: SQLITE_FULL).
  const probeRead = db.prepare("SELECT id, length(feedback) FROM gradings ORDER BY created_at DESC, id DESC LIMIT 1");
  const probeWrite = db.prepare("INSERT INTO store_health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at");
  const probe = async () => {
    probeRead.get();
    if (roomInPages(db) < MIN_ROOM_PAGES) throw new Error("SQLITE_FULL: database or disk is full (the STARCOACH_DB_MAX_MB cap is reached)");
    probeWrite.run(new Date().toISOString());
  };

  return guardStore<Omit<Store, "health">>({
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
      const deleted = remove.run(id).changes > 0;
      if (deleted) checkpoint(db);
      return deleted;
    },
    async deleteAll() {
      const counts = deleteAll();
      checkpoint(db);
      return counts;
    },
    async saveRewrite(id, rewrite) {
      setRewrite.run(JSON.stringify(rewrite), id);
    },
    async getRewrite(id) {
      const json = rewriteOf.get(id)?.rewrite;
      return json ? (JSON.parse(json) as Rewrite) : null;
    },
    async close() {
      if (db.open) db.close();
    },
  }, file, probe);
}
