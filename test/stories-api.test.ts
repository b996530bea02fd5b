/** The story bank over HTTP: storyId on grading, stories, coverage, export, deletion; offline mode on a real SQLite file. */
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRINCIPLES } from "../src/core/principles.js";
import { FeedbackSchema } from "../src/core/feedback.js";
import { defaultTitle } from "../src/practice/bank.js";
import { buildTestApp, postGrade, SAMPLE_ANSWER, type TestApp } from "./support/app.js";

const EDITED = SAMPLE_ANSWER.replace("I learned that data beats opinions in a disagreement.", "It cut support tickets by 30% in the month after. I learned that data beats opinions in a disagreement.");

const OTHER_STORY =
  "At my previous company I ran the hiring loop for our data platform team. Our interviews took 6 weeks and we lost 3 strong candidates to faster offers. My task was to halve the time to offer. I mapped every step, removed two redundant rounds, and I trained 8 interviewers on a shared rubric. As a result the time to offer fell to 17 days and we hired 4 engineers that quarter.";

async function call(app: TestApp, method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
}

describe("storyId on grading", () => {
  it("starts a new story without storyId and continues it with one", async () => {
    const { app } = await buildTestApp();
    const first = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "have-backbone-disagree-and-commit", question: "Tell me about a time you disagreed." });
    expect(first.status).toBe(200);
    expect(first.json.storyId).toEqual(expect.any(String));
    expect(FeedbackSchema.safeParse(first.json).success).toBe(true);

    const second = await postGrade(app, { answer: EDITED, principle: "have-backbone-disagree-and-commit", question: "Tell me about a time you disagreed.", storyId: first.json.storyId });
    expect(second.status).toBe(200);
    expect(second.json.storyId).toBe(first.json.storyId);
    expect(second.json.id).not.toBe(first.json.id);

    const other = await postGrade(app, { answer: OTHER_STORY, principle: "hire-and-develop-the-best" });
    expect(other.json.storyId).not.toBe(first.json.storyId);

    const story = await call(app, "GET", `/v1/stories/${first.json.storyId}`);
    expect(story.status).toBe(200);
    expect(story.json).toMatchObject({ id: first.json.storyId, versions: 2, principles: ["have-backbone-disagree-and-commit"], titleEdited: false });
    expect(story.json.title).toBe("In my last role at Acme, I was…");
    expect(story.json.versionList.map((v: { gradingId: string }) => v.gradingId)).toEqual([first.json.id, second.json.id]);
    expect(story.json.trend).toEqual([first.json.overall.score, second.json.overall.score]);
    const best = first.json.overall.score >= second.json.overall.score ? first.json : second.json;
    expect(story.json.best).toEqual({ gradingId: best.id, score: best.overall.score });
    expect(story.json.last).toMatchObject({ gradingId: second.json.id, score: second.json.overall.score });
  });

  it("refuses an unknown storyId with 404 story_not_found, on /v1/grade and the stream, and stores nothing", async () => {
    const { app } = await buildTestApp();
    const res = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "ownership", storyId: "no-such-story" });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("story_not_found");
    expect(res.json.error.message).toContain("no-such-story");
    const stream = await call(app, "POST", "/v1/grade/stream", { answer: SAMPLE_ANSWER, principle: "ownership", storyId: "no-such-story" });
    expect(stream.status).toBe(404);
    expect(stream.json.error.code).toBe("story_not_found");
    expect((await call(app, "GET", "/v1/gradings")).json.items).toEqual([]);
    expect((await call(app, "GET", "/v1/stories")).json.stories).toEqual([]);
  });
});

describe("the default title", () => {
  it("is the answer's first words without the markup pasted from notes", () => {
    expect(defaultTitle("- **Situation**: In my last role at Acme, I was the tech lead")).toBe("In my last role at Acme, I was…");
    expect(defaultTitle("1. Task: cut the error rate.")).toBe("cut the error rate");
    expect(defaultTitle("Salt was the issue")).toBe("Salt was the issue");
    expect(defaultTitle("Action-oriented people ran it")).toBe("Action-oriented people ran it");
    expect(defaultTitle("Result — errors fell")).toBe("errors fell");
    expect(defaultTitle("**")).toBe("Untitled story");
  });
});

describe("GET /v1/stories, PATCH, DELETE", () => {
  it("lists stories with their principles, versions, best grading and last practice", async () => {
    const { app } = await buildTestApp();
    const a = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const b = await postGrade(app, { answer: OTHER_STORY, principle: "hire-and-develop-the-best" });
    const list = await call(app, "GET", "/v1/stories");
    expect(list.status).toBe(200);
    expect(list.json.stories).toHaveLength(2);
    // Most recently practised first.
    expect(list.json.stories.map((s: { id: string }) => s.id)).toEqual([b.json.storyId, a.json.storyId]);
    expect(list.json.stories[1]).toEqual({
      id: a.json.storyId,
      title: expect.any(String),
      titleEdited: false,
      principles: ["dive-deep"],
      versions: 1,
      best: { gradingId: a.json.id, score: a.json.overall.score },
      last: { gradingId: a.json.id, score: a.json.overall.score, createdAt: a.json.createdAt },
      createdAt: a.json.createdAt,
      updatedAt: a.json.createdAt,
    });
  });

  it("edits the title and principles, validating both", async () => {
    const { app } = await buildTestApp();
    const g = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    const id = g.json.storyId;
    const ok = await call(app, "PATCH", `/v1/stories/${id}`, { title: "  Checkout timeouts   before Black Friday ", principles: ["dive-deep", "have-backbone-disagree-and-commit"] });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ title: "Checkout timeouts before Black Friday", titleEdited: true, principles: ["dive-deep", "have-backbone-disagree-and-commit"] });

    const bad = [
      [{ principles: ["be-nice"] }, 400, "unknown_principle"],
      [{ principles: ["Dive Deep"] }, 400, "unknown_principle"],
      [{ principles: [] }, 400, "principles_empty"],
      [{ title: "" }, 400, "invalid_title"],
      [{ title: "x".repeat(121) }, 400, "invalid_title"],
      [{}, 400, "invalid_request"],
      [{ colour: "red" }, 400, "invalid_request"],
    ] as const;
    for (const [body, status, code] of bad) {
      const res = await call(app, "PATCH", `/v1/stories/${id}`, body);
      expect({ body, status: res.status, code: res.json.error.code }).toEqual({ body, status, code });
    }
    expect((await call(app, "PATCH", "/v1/stories/nope", { title: "x" })).json.error.code).toBe("story_not_found");
    // Null goes back to the answer's first words.
    const reset = await call(app, "PATCH", `/v1/stories/${id}`, { title: null });
    expect(reset.json).toMatchObject({ title: "In my last role at Acme, I was…", titleEdited: false });
    // A new version against another principle adds it to the list.
    await postGrade(app, { answer: EDITED, principle: "earn-trust", storyId: id });
    expect((await call(app, "GET", `/v1/stories/${id}`)).json.principles).toEqual(["earn-trust", "dive-deep", "have-backbone-disagree-and-commit"]);
  });

  it("deletes a story with all its gradings, scrubbing the text from the file", async () => {
    const { app, dbFile } = await buildTestApp();
    const first = await postGrade(app, { answer: `${SAMPLE_ANSWER} Zanzibar-marker.`, principle: "dive-deep" });
    const second = await postGrade(app, { answer: `${EDITED} Zanzibar-marker.`, principle: "dive-deep", storyId: first.json.storyId });
    const kept = await postGrade(app, { answer: OTHER_STORY, principle: "hire-and-develop-the-best" });
    expect((await call(app, "DELETE", `/v1/stories/${first.json.storyId}`)).status).toBe(204);
    for (const id of [first.json.id, second.json.id]) expect((await call(app, "GET", `/v1/gradings/${id}`)).status).toBe(404);
    expect((await call(app, "GET", `/v1/stories/${first.json.storyId}`)).status).toBe(404);
    expect((await call(app, "GET", `/v1/gradings/${kept.json.id}`)).status).toBe(200);
    expect((await call(app, "DELETE", `/v1/stories/${first.json.storyId}`)).json.error.code).toBe("story_not_found");
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) AS n FROM stories WHERE id = ?").get(first.json.storyId)).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM story_principles WHERE story_id = ?").get(first.json.storyId)).toEqual({ n: 0 });
    db.close();
  });

  it("leaves no text of a deleted story in the database file or its WAL: answers, drills, title", async () => {
    const { app, dbFile } = await buildTestApp();
    const secret = `zebracorn${crypto.randomUUID().replace(/-/g, "")}`;
    const onDisk = (text: string) => ["", "-wal", "-shm"].some((suffix) => existsSync(dbFile + suffix) && readFileSync(dbFile + suffix).includes(Buffer.from(text)));
    const g = await postGrade(app, { answer: `${SAMPLE_ANSWER} Answer-${secret}.`, principle: "dive-deep" });
    await call(app, "POST", `/v1/gradings/${g.json.id}/followups`, { question: "Why?", answer: `Because of Drill-${secret}, I chose the index.` });
    await call(app, "PATCH", `/v1/stories/${g.json.storyId}`, { title: `Title-${secret}` });
    for (const part of ["Answer", "Drill", "Title"]) expect(onDisk(`${part}-${secret}`), part).toBe(true);
    expect((await call(app, "DELETE", `/v1/stories/${g.json.storyId}`)).status).toBe(204);
    for (const part of ["Answer", "Drill", "Title"]) expect(onDisk(`${part}-${secret}`), part).toBe(false);
  });

  it("DELETE /v1/gradings?confirm=all-my-data empties the story bank, drills and mock interviews too", async () => {
    const { app, dbFile } = await buildTestApp();
    const g = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    await call(app, "POST", `/v1/gradings/${g.json.id}/followups`, { question: "Why?", answer: "Because the traces showed it, I chose the index." });
    await call(app, "POST", "/v1/mocks", { count: 1 });
    expect((await call(app, "DELETE", "/v1/gradings?confirm=all-my-data")).status).toBe(200);
    const db = new Database(dbFile, { readonly: true });
    for (const table of ["stories", "story_principles", "drills", "mocks", "gradings"]) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 });
    db.close();
  });

  it("deleting a story's last grading removes the story", async () => {
    const { app } = await buildTestApp();
    const g = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    expect((await call(app, "DELETE", `/v1/gradings/${g.json.id}`)).status).toBe(204);
    expect((await call(app, "GET", `/v1/stories/${g.json.storyId}`)).status).toBe(404);
    expect((await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep", storyId: g.json.storyId })).status).toBe(404);
  });
});

describe("GET /v1/coverage and the export", () => {
  it("counts distinct stories per principle against the target", async () => {
    const { app } = await buildTestApp({ coverageTarget: 2 });
    const a = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep" });
    await postGrade(app, { answer: EDITED, principle: "dive-deep", storyId: a.json.storyId });
    const b = await postGrade(app, { answer: OTHER_STORY, principle: "dive-deep" });
    await call(app, "PATCH", `/v1/stories/${b.json.storyId}`, { principles: ["dive-deep", "hire-and-develop-the-best"] });
    const cov = await call(app, "GET", "/v1/coverage");
    expect(cov.status).toBe(200);
    expect(cov.json.target).toBe(2);
    expect(cov.json.principles.map((p: { id: string }) => p.id)).toEqual(PRINCIPLES.map((p) => p.id));
    const byId = Object.fromEntries(cov.json.principles.map((p: { id: string }) => [p.id, p]));
    expect(byId["dive-deep"]).toMatchObject({ stories: 2, status: "covered" });
    expect(byId["dive-deep"].bestScore).toBe(Math.max(a.json.overall.score, b.json.overall.score, (await call(app, "GET", `/v1/stories/${a.json.storyId}`)).json.best.score));
    expect(byId["hire-and-develop-the-best"]).toMatchObject({ stories: 1, status: "thin", bestScore: b.json.overall.score, storyIds: [b.json.storyId] });
    expect(byId["frugality"]).toMatchObject({ stories: 0, status: "missing", bestScore: null });
  });

  it("exports the bank as Markdown with each story's best version and top fixes", async () => {
    const { app } = await buildTestApp();
    const a = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "dive-deep", question: "Tell me about a time you dug into data." });
    await call(app, "PATCH", `/v1/stories/${a.json.storyId}`, { title: "Checkout *timeouts*" });
    const res = await call(app, "GET", "/v1/stories/export.md");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(res.text).toContain("## Checkout \\*timeouts\\*");
    expect(res.text).toContain("- Principles: Dive Deep");
    expect(res.text).toContain(`- Best version: ${a.json.overall.score}/100`);
    expect(res.text).toContain("- Question: Tell me about a time you dug into data.");
    expect(res.text).toContain("In my last role at Acme");
    expect(res.text).toContain(`1. ${a.json.improvements[0].replace(/([\\`*_[\]<>#|])/g, "\\$1")}`);
  });

  it("documents the story routes in the OpenAPI document", async () => {
    const { app } = await buildTestApp();
    const doc = await (await app.request("/openapi.json")).json();
    for (const path of ["/v1/stories", "/v1/stories/{id}", "/v1/stories/export.md", "/v1/coverage"]) expect(doc.paths[path]).toBeDefined();
    expect(Object.keys(doc.paths["/v1/stories/{id}"]).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.components.schemas.Feedback.required).toContain("storyId");
  });
});

describe("the migration of gradings stored before the story bank", () => {
  it("makes answers to the same principle and question one story and every other grading its own", async () => {
    const { tempDbFile } = await import("./support/app.js");
    const { MIGRATIONS_DIR } = await import("../src/store/sqlite.js");
    const file = tempDbFile();
    const db = new Database(file);
    db.exec("CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    for (const name of ["0001_gradings.sql", "0002_batch_jobs.sql"]) {
      db.exec(readFileSync(`${MIGRATIONS_DIR}/${name}`, "utf8"));
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").run(name);
    }
    const insert = db.prepare(`INSERT INTO gradings (id, created_at, principle_id, question, answer, mode, prompt_version, overall_score, feedback)
      VALUES (?, ?, ?, ?, ?, 'offline', 'v', ?, ?)`);
    const row = (id: string, at: string, principle: string, question: string | null, score: number) =>
      insert.run(id, at, principle, question, `Answer ${id}`, score, JSON.stringify({ id, createdAt: at, answer: `Answer ${id}` }));
    row("g1", "2025-01-01T00:00:00.000Z", "ownership", "Q1", 40);
    row("g2", "2025-01-02T00:00:00.000Z", "ownership", "Q1", 60);
    row("g3", "2025-01-03T00:00:00.000Z", "dive-deep", "Q1", 50);
    row("g4", "2025-01-04T00:00:00.000Z", "ownership", null, 70);
    row("g5", "2025-01-05T00:00:00.000Z", "ownership", null, 20);
    db.close();

    const { app } = await buildTestApp({ dbFile: file });
    const { stories } = (await call(app, "GET", "/v1/stories")).json;
    expect(stories.map((s: { id: string; versions: number }) => [s.id, s.versions]).sort()).toEqual([["g1", 2], ["g3", 1], ["g4", 1], ["g5", 1]]);
    expect((await call(app, "GET", "/v1/gradings/g2")).json.storyId).toBe("g1");
    expect((await call(app, "GET", "/v1/stories/g1")).json).toMatchObject({ best: { gradingId: "g2", score: 60 }, trend: [40, 60], principles: ["ownership"] });
  });
});
