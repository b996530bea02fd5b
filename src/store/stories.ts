/**
 * The story bank's tables (migrations/0007_stories.sql), written once over the SQL driver seam so
 * the same statements run on better-sqlite3 (Node) and D1 (Workers): stories and their principles,
 * follow-up drills under a grading, and mock interviews. The gradings themselves stay in the grading
 * store; a grading names its story in gradings.story_id.
 */
import type { StoryMeta, VersionRow } from "../practice/bank.js";
import type { SqlDatabase, SqlDriver, SqlStatement } from "./driver.js";
import { guardStore } from "./faults.js";

export interface DrillRecord<Result> {
  id: string;
  gradingId: string;
  createdAt: string;
  question: string;
  answer: string;
  result: Result;
}

export interface MockRecord<Doc> {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: string;
  doc: Doc;
}

interface VersionSqlRow {
  grading_id: string;
  story_id: string;
  created_at: string;
  principle_id: string;
  question: string | null;
  score: number;
  mode: "llm" | "offline";
  opening: string;
}

const VERSION_COLUMNS = `SELECT id AS grading_id, story_id, created_at, principle_id, question, overall_score AS score, mode,
  substr(answer, 1, 200) AS opening FROM gradings`;

const toVersion = (r: VersionSqlRow): VersionRow => ({
  gradingId: r.grading_id,
  storyId: r.story_id,
  createdAt: r.created_at,
  principleId: r.principle_id,
  question: r.question,
  score: r.score,
  mode: r.mode,
  opening: r.opening,
});

/**
 * Record that a version of `storyId` targeting `principleId` is being saved: creates the story on
 * its first version, marks it practised at `at`, and adds the target to the principles it serves.
 * The grading store runs these in the same transaction as the grading itself (one commit a grading).
 */
export function storyVersionStatements(storyId: string, principleId: string, at: string): SqlStatement[] {
  return [
    {
      sql: `INSERT INTO stories (id, title, created_at, updated_at) VALUES (?, NULL, ?, ?)
            ON CONFLICT (id) DO UPDATE SET updated_at = MAX(updated_at, excluded.updated_at)`,
      params: [storyId, at, at],
    },
    { sql: "INSERT OR IGNORE INTO story_principles (story_id, principle_id) VALUES (?, ?)", params: [storyId, principleId] },
  ];
}

/** The story store on a database (its faults named like the other stores'). */
export function storyStore(db: SqlDatabase): StoryStore {
  return createStoryStore(guardStore(db.sql, db.name), () => db.afterDelete?.());
}

/** `afterDelete`: the database's scrub after user text was deleted (Node: the WAL checkpoint). */
function createStoryStore(sql: SqlDriver, afterDelete: () => void = () => {}) {
  async function metaFor(ids: readonly string[] | null): Promise<StoryMeta[]> {
    const where = ids ? ` WHERE s.id IN (${ids.map(() => "?").join(", ")})` : "";
    if (ids && ids.length === 0) return [];
    const rows = await sql.all<{ id: string; title: string | null; updated_at: string; principles: string | null }>(
      `SELECT s.id, s.title, s.updated_at, (SELECT group_concat(principle_id) FROM story_principles p WHERE p.story_id = s.id) AS principles
       FROM stories s${where}`,
      ids ?? [],
    );
    return rows.map((r) => ({ id: r.id, title: r.title, updatedAt: r.updated_at, principles: r.principles ? r.principles.split(",") : [] }));
  }

  return {
    /** A story exists while it has a row or a version (a version saved before its row, by an older build). */
    async exists(id: string): Promise<boolean> {
      const row = await sql.first<{ n: number }>(
        "SELECT (EXISTS (SELECT 1 FROM stories WHERE id = ?) OR EXISTS (SELECT 1 FROM gradings WHERE story_id = ?)) AS n",
        [id, id],
      );
      return Boolean(row?.n);
    },

    /** Record a version of `storyId` on its own (storyVersionStatements); gradings do it as they are stored. */
    async addVersion(storyId: string, principleId: string, at: string): Promise<void> {
      await sql.batch(storyVersionStatements(storyId, principleId, at));
    },

    /** Every version of every story (or of one story), oldest first. */
    async versions(storyId?: string): Promise<VersionRow[]> {
      const rows = storyId
        ? await sql.all<VersionSqlRow>(`${VERSION_COLUMNS} WHERE story_id = ? ORDER BY created_at, id`, [storyId])
        : await sql.all<VersionSqlRow>(`${VERSION_COLUMNS} WHERE story_id IS NOT NULL ORDER BY created_at, id`);
      return rows.map(toVersion);
    },

    meta: (ids: readonly string[] | null = null) => metaFor(ids),

    /** The newest version's answer of each story (for the near-duplicate check). */
    async latestAnswers(): Promise<Map<string, string>> {
      const rows = await sql.all<{ story_id: string; answer: string }>(
        `SELECT g.story_id, g.answer FROM gradings g
         WHERE g.story_id IS NOT NULL AND g.id = (SELECT id FROM gradings WHERE story_id = g.story_id ORDER BY created_at DESC, id DESC LIMIT 1)`,
      );
      return new Map(rows.map((r) => [r.story_id, r.answer]));
    },

    /** Set the title (null: back to the default) and/or replace the principles the story serves. */
    async update(id: string, change: { title?: string | null; principles?: readonly string[] }, at: string): Promise<void> {
      const statements: SqlStatement[] = [
        // A story whose row predates nothing but its versions gets one now.
        { sql: "INSERT OR IGNORE INTO stories (id, title, created_at, updated_at) VALUES (?, NULL, ?, ?)", params: [id, at, at] },
      ];
      if (change.title !== undefined) statements.push({ sql: "UPDATE stories SET title = ? WHERE id = ?", params: [change.title, id] });
      if (change.principles) {
        statements.push({ sql: "DELETE FROM story_principles WHERE story_id = ?", params: [id] });
        for (const p of change.principles) statements.push({ sql: "INSERT OR IGNORE INTO story_principles (story_id, principle_id) VALUES (?, ?)", params: [id, p] });
      }
      await sql.batch(statements);
    },

    /** The ids of a story's gradings, for deleting them through the grading store's own path. */
    async gradingIds(storyId: string): Promise<string[]> {
      return (await sql.all<{ id: string }>("SELECT id FROM gradings WHERE story_id = ?", [storyId])).map((r) => r.id);
    },

    /** Remove the story's own rows (its gradings go through the grading store first). */
    async deleteStory(id: string): Promise<void> {
      await sql.run("DELETE FROM stories WHERE id = ?", [id]);
    },

    async touch(storyId: string, at: string): Promise<void> {
      await sql.run("UPDATE stories SET updated_at = MAX(updated_at, ?) WHERE id = ?", [at, storyId]);
    },

    // ---- Follow-up drills --------------------------------------------------------------------

    async saveDrill<R>(d: DrillRecord<R>): Promise<void> {
      await sql.run("INSERT INTO drills (id, grading_id, created_at, question, answer, result) VALUES (?, ?, ?, ?, ?, ?)", [
        d.id,
        d.gradingId,
        d.createdAt,
        d.question,
        d.answer,
        JSON.stringify(d.result),
      ]);
    },

    async drills<R>(gradingId: string): Promise<Array<DrillRecord<R>>> {
      const rows = await sql.all<{ id: string; grading_id: string; created_at: string; question: string; answer: string; result: string }>(
        "SELECT id, grading_id, created_at, question, answer, result FROM drills WHERE grading_id = ? ORDER BY created_at, id",
        [gradingId],
      );
      return rows.map((r) => ({ id: r.id, gradingId: r.grading_id, createdAt: r.created_at, question: r.question, answer: r.answer, result: JSON.parse(r.result) as R }));
    },

    async drill<R>(id: string): Promise<DrillRecord<R> | null> {
      const r = await sql.first<{ id: string; grading_id: string; created_at: string; question: string; answer: string; result: string }>(
        "SELECT id, grading_id, created_at, question, answer, result FROM drills WHERE id = ?",
        [id],
      );
      return r ? { id: r.id, gradingId: r.grading_id, createdAt: r.created_at, question: r.question, answer: r.answer, result: JSON.parse(r.result) as R } : null;
    },

    // ---- Mock interviews ---------------------------------------------------------------------

    async saveMock<Doc>(m: MockRecord<Doc>): Promise<void> {
      await sql.run(
        `INSERT INTO mocks (id, created_at, updated_at, status, doc) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status, doc = excluded.doc`,
        [m.id, m.createdAt, m.updatedAt, m.status, JSON.stringify(m.doc)],
      );
    },

    async mock<Doc>(id: string): Promise<MockRecord<Doc> | null> {
      const r = await sql.first<{ id: string; created_at: string; updated_at: string; status: string; doc: string }>(
        "SELECT id, created_at, updated_at, status, doc FROM mocks WHERE id = ?",
        [id],
      );
      return r ? { id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, status: r.status, doc: JSON.parse(r.doc) as Doc } : null;
    },

    /** Remove a mock interview's document (its gradings go through the grading store). False: no such mock. */
    async deleteMock(id: string): Promise<boolean> {
      const deleted = (await sql.run("DELETE FROM mocks WHERE id = ?", [id])).changes > 0;
      if (deleted) afterDelete();
      return deleted;
    },

    async mocks(limit: number): Promise<Array<{ id: string; createdAt: string; status: string }>> {
      const rows = await sql.all<{ id: string; created_at: string; status: string }>("SELECT id, created_at, status FROM mocks ORDER BY created_at DESC, id DESC LIMIT ?", [limit]);
      return rows.map((r) => ({ id: r.id, createdAt: r.created_at, status: r.status }));
    },
  };
}

export type StoryStore = ReturnType<typeof createStoryStore>;
