/**
 * The stores on Cloudflare D1 (SQLite semantics): the same statements (gradings.ts, batches.ts)
 * and the same migration files as on Node. On Workers the migrations are applied by
 * `wrangler d1 migrations apply` (wrangler.toml points migrations_dir at src/store/migrations),
 * which records them in the same d1_migrations table. D1 manages its own storage: there is no
 * secure_delete or checkpoint to run after a delete (docs/WORKERS.md says what stays recoverable).
 */
import { batchStore, type SqlBatchStore } from "./batches.js";
import type { D1Database } from "./d1-types.js";
import { d1Driver, type SqlDatabase } from "./driver.js";
import { gradingStore } from "./gradings.js";
import { storyStore, type StoryStore } from "./stories.js";
import type { Store } from "./types.js";

/** How D1 faults are named in messages (a Worker has no file path). */
export const D1_NAME = "D1 database DB";

export function openD1(binding: D1Database, now?: () => string): { store: Store; batches: SqlBatchStore; stories: StoryStore } {
  const database: SqlDatabase = {
    sql: d1Driver(binding),
    name: D1_NAME,
    // A D1 binding has no connection to close.
    close: async () => {},
  };
  return { store: gradingStore(database), batches: batchStore(database, now), stories: storyStore(database) };
}
