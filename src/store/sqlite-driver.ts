/**
 * A SQL driver on the local SQLite file: its own connection (WAL lets it write beside the grading
 * store's), opened like every starcoach connection (openDatabase: migrated, secure_delete, the
 * size cap, faults named with the file).
 */
import { betterSqliteDriver, type SqlDriver } from "./driver.js";
import { openDatabase, type DatabaseOptions } from "./sqlite.js";

export function openSqliteDriver(file: string, options: DatabaseOptions = {}): SqlDriver & { close(): void } {
  if (file === ":memory:") throw new Error("the story bank needs a database file shared with the gradings store");
  const db = openDatabase(file, options);
  return Object.assign(betterSqliteDriver(db), {
    close() {
      if (db.open) db.close();
    },
  });
}
