/**
 * The one seam between the stores and a SQLite engine: four calls, written once per engine.
 * Stores hold their SQL once and run it through this interface, so the same statements serve
 * better-sqlite3 on Node and D1 on Workers. Parameters are positional (`?`), which both engines take.
 */
import type BetterSqlite from "better-sqlite3";
import type { D1Database } from "../worker/bindings.js";

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStatement {
  sql: string;
  params?: readonly SqlValue[];
}

export interface SqlDriver {
  /** The first row, or null. */
  first<T>(sql: string, params?: readonly SqlValue[]): Promise<T | null>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs the statements in order, all or none. */
  batch(statements: readonly SqlStatement[]): Promise<void>;
}

export function betterSqliteDriver(db: BetterSqlite.Database): SqlDriver {
  // Preparing is the costly step; each distinct statement text is prepared once per connection.
  const prepared = new Map<string, BetterSqlite.Statement>();
  const statement = (sql: string) => {
    let stmt = prepared.get(sql);
    if (!stmt) prepared.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
  const runAll = db.transaction((statements: readonly SqlStatement[]) => {
    for (const s of statements) statement(s.sql).run(...(s.params ?? []));
  });
  return {
    async first<T>(sql: string, params: readonly SqlValue[] = []) {
      return (statement(sql).get(...params) as T | undefined) ?? null;
    },
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      return statement(sql).all(...params) as T[];
    },
    async run(sql, params = []) {
      return { changes: statement(sql).run(...params).changes };
    },
    async batch(statements) {
      runAll(statements);
    },
  };
}

export function d1Driver(db: D1Database): SqlDriver {
  const bound = (sql: string, params: readonly SqlValue[] = []) => db.prepare(sql).bind(...params);
  return {
    async first<T>(sql: string, params?: readonly SqlValue[]) {
      return bound(sql, params).first<T>();
    },
    async all<T>(sql: string, params?: readonly SqlValue[]) {
      return (await bound(sql, params).all<T>()).results;
    },
    async run(sql, params) {
      return { changes: (await bound(sql, params).run()).meta.changes };
    },
    async batch(statements) {
      if (statements.length) await db.batch(statements.map((s) => bound(s.sql, s.params)));
    },
  };
}
