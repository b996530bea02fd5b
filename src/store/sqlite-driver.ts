/**
 * A SQL driver on the local SQLite file: its own connection (WAL lets it write beside the grading
 * store's), opened like every starcoach connection (openDatabase: migrated, secure_delete, the
 * size cap, faults named with the file). Its errors are storage faults like the grading store's
 * (guardStore: storage_full 507, store_corrupt and store_unavailable 503).
 */
import { betterSqliteDriver, type SqlDriver } from "./driver.js";
import { guardStore } from "./faults.js";
import { openDatabase, type DatabaseOptions } from "./sqlite.js";

export function openSqliteDriver(file: string, options: DatabaseOptions = {}): SqlDriver & { close(): void } {
  if (file === ":memory:") throw new Error("the story bank needs a database file shared with the gradings store");
  const db = openDatabase(file, options);
  return Object.assign(guardStore(betterSqliteDriver(db), file), {
    close() {
      if (db.open) db.close();
    },
  });
}
