/**
 * The stores on a local SQLite file through better-sqlite3: opening, pragmas (WAL mode),
 * migrations and the size cap. The statements themselves live in gradings.ts and batches.ts.
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
import { batchStore, type SqlBatchStore } from "./batches.js";
import { betterSqliteDriver, type SqlDatabase } from "./driver.js";
import { toStoreError } from "./faults.js";
import { gradingStore } from "./gradings.js";
import { storyStore, type StoryStore } from "./stories.js";
import type { Store } from "./types.js";

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

export interface SqliteStores {
  store: Store;
  batches: SqlBatchStore;
  stories: StoryStore;
  /** Closes the one connection both stores use (closing either store does the same). */
  close(): Promise<void>;
}

/**
 * The gradings and batch stores on one SQLite file, over one connection: a process opens and
 * migrates the file once.
 */
export function openSqlite(file: string, options: DatabaseOptions = {}): SqliteStores {
  const db = openDatabase(file, options);
  const database: SqlDatabase = {
    sql: betterSqliteDriver(db),
    name: file,
    afterDelete: () => checkpoint(db),
    checkRoom: () => {
      if (roomInPages(db) < MIN_ROOM_PAGES) throw new Error("SQLITE_FULL: database or disk is full (the STARCOACH_DB_MAX_MB cap is reached)");
    },
    async close() {
      if (db.open) db.close();
    },
  };
  return { store: gradingStore(database), batches: batchStore(database), stories: storyStore(database), close: database.close };
}
