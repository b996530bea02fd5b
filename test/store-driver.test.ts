import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { betterSqliteDriver } from "../src/store/driver.js";

describe("better-sqlite3 driver", () => {
  const open = () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
    return betterSqliteDriver(db);
  };

  it("runs, reads one row or all rows, and reports changes", async () => {
    const sql = open();
    expect(await sql.run("INSERT INTO notes (id, body) VALUES (?, ?)", ["a", "first"])).toEqual({ changes: 1 });
    await sql.run("INSERT INTO notes (id, body) VALUES (?, ?)", ["b", "second"]);
    expect(await sql.first<{ body: string }>("SELECT body FROM notes WHERE id = ?", ["b"])).toEqual({ body: "second" });
    expect(await sql.first("SELECT body FROM notes WHERE id = ?", ["missing"])).toBeNull();
    expect(await sql.all<{ id: string }>("SELECT id FROM notes ORDER BY id")).toEqual([{ id: "a" }, { id: "b" }]);
    expect(await sql.run("DELETE FROM notes WHERE id = ?", ["missing"])).toEqual({ changes: 0 });
  });

  it("applies a batch all or nothing", async () => {
    const sql = open();
    await sql.batch([
      { sql: "INSERT INTO notes (id, body) VALUES (?, ?)", params: ["a", "one"] },
      { sql: "INSERT INTO notes (id, body) VALUES (?, ?)", params: ["b", "two"] },
    ]);
    await expect(
      sql.batch([
        { sql: "INSERT INTO notes (id, body) VALUES (?, ?)", params: ["c", "three"] },
        { sql: "INSERT INTO notes (id, body) VALUES (?, ?)", params: ["a", "duplicate id"] },
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await sql.all("SELECT id FROM notes ORDER BY id")).toEqual([{ id: "a" }, { id: "b" }]);
  });
});
