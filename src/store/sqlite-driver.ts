/**
 * A SQL driver on the local SQLite file: its own better-sqlite3 connection (WAL lets it write beside
 * the grading store's), migrated, with deleted content overwritten (secure_delete) like every
 * starcoach connection.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { betterSqliteDriver, type SqlDriver } from "./driver.js";
import { migrate } from "./sqlite.js";

export function openSqliteDriver(file: string): SqlDriver & { close(): void } {
  if (file === ":memory:") throw new Error("the story bank needs a database file shared with the gradings store");
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("secure_delete = ON");
  migrate(db);
  return Object.assign(betterSqliteDriver(db), {
    close() {
      if (db.open) db.close();
    },
  });
}
