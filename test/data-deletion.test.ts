/**
 * Deleting data deletes the text: after DELETE /v1/gradings/:id, DELETE /v1/batches/:id,
 * DELETE /v1/mocks/:id, the delete-everything request and `starcoach data wipe`, a unique marker in the answer is searched
 * for in the raw bytes of the SQLite file and its WAL, and must be absent. A rejected over-long
 * answer is never stored.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalBatchJobs } from "../src/batch/service.js";
import { DEFAULT_LENGTH } from "../src/core/analyze.js";
import { createOfflineGrader } from "../src/grader/offline-grader.js";
import { createGradingService, MAX_ANSWER_CHARS } from "../src/grading.js";
import { createApp } from "../src/http/app.js";
import { openSqlite } from "../src/store/sqlite.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { runCli } from "./support/cli.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const marker = () => `zebracorn${crypto.randomUUID().replace(/-/g, "")}`;

/** Does any byte of the database file, its WAL or its shared-memory file hold `text`? */
function onDisk(db: string, text: string): boolean {
  return ["", "-wal", "-shm"].some((suffix) => existsSync(db + suffix) && readFileSync(db + suffix).includes(Buffer.from(text)));
}

function buildApp(db: string) {
  const { store, batches: batchStore, stories } = openSqlite(db);
  const grading = createGradingService({ store, stories, grader: createOfflineGrader(), length: DEFAULT_LENGTH });
  const batches = createLocalBatchJobs({ store: batchStore, grading, log: () => {} });
  const app = createApp({ store, stories, grading, batches });
  closers.push(async () => {
    batches.stop();
    await batches.idle();
    await batchStore.close();
    await store.close();
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
    return { status: res.status, json: res.status === 204 ? null : ((await res.json()) as any) };
  };
  return { call, batches };
}

async function grade(call: ReturnType<typeof buildApp>["call"], text: string): Promise<string> {
  const r = await call("POST", "/v1/grade", { principle: "ownership", answer: `${SAMPLE_ANSWER} ${text}` });
  expect(r.status).toBe(200);
  return r.json.id as string;
}

async function batch(app: ReturnType<typeof buildApp>, rows: unknown[]): Promise<string> {
  const r = await app.call("POST", "/v1/batches", rows);
  expect(r.status).toBe(202);
  await app.batches.idle();
  return r.json.id as string;
}

describe("deleting data scrubs its text from the SQLite file and the WAL", () => {
  it("DELETE /v1/gradings/:id", async () => {
    const db = tempDbFile();
    const app = buildApp(db);
    const secret = marker();
    for (let i = 0; i < 5; i++) await grade(app.call, `Other story ${i}.`);
    const id = await grade(app.call, `The secret project was ${secret}.`);
    await grade(app.call, "A later story.");
    expect(onDisk(db, secret)).toBe(true);

    expect((await app.call("DELETE", `/v1/gradings/${id}`)).status).toBe(204);
    expect((await app.call("GET", `/v1/gradings/${id}`)).status).toBe(404);
    expect(onDisk(db, secret)).toBe(false);
  });

  it("DELETE /v1/batches/:id removes the job, its rows and the gradings it created; a rejected over-long answer was never stored", async () => {
    const db = tempDbFile();
    const app = buildApp(db);
    const secret = marker();
    const tooLong = marker();
    const kept = await grade(app.call, "A story graded on its own.");
    const id = await batch(app, [
      { id: "a", principle: "ownership", answer: `${SAMPLE_ANSWER} Codename ${secret}.` },
      { id: "b", principle: "ownership", answer: `${SAMPLE_ANSWER} Second codename ${secret}.` },
      { id: "long", principle: "ownership", answer: `${tooLong} ${"word ".repeat(MAX_ANSWER_CHARS / 4)}` },
    ]);
    expect(onDisk(db, secret)).toBe(true);
    expect(onDisk(db, tooLong)).toBe(false);
    const status = await app.call("GET", `/v1/batches/${id}`);
    expect(status.json.counts).toMatchObject({ done: 2, error: 1 });

    expect((await app.call("DELETE", `/v1/batches/${id}`)).status).toBe(204);
    expect((await app.call("GET", `/v1/batches/${id}`)).status).toBe(404);
    expect((await app.call("DELETE", `/v1/batches/${id}`)).json.error.code).toBe("batch_not_found");
    expect(onDisk(db, secret)).toBe(false);
    // Only the job's own gradings went; the one graded on its own stays.
    const history = await app.call("GET", "/v1/gradings");
    expect(history.json.items.map((g: { id: string }) => g.id)).toEqual([kept]);
  });

  it("DELETE /v1/mocks/:id removes the mock, the answers given in it and their drills; other gradings stay", async () => {
    const db = tempDbFile();
    const app = buildApp(db);
    const secret = marker();
    const drillSecret = marker();
    const kept = await grade(app.call, "A story graded on its own.");
    const mock = (await app.call("POST", "/v1/mocks", { count: 2 })).json;
    const answered = await app.call("POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: `${SAMPLE_ANSWER} The codename was ${secret}.` });
    expect(answered.status).toBe(200);
    const gradingId = answered.json.answers[0].gradingId as string;
    expect((await app.call("POST", `/v1/mocks/${mock.id}/answers/0/followup`, { answer: `I checked it with ${drillSecret} before shipping.` })).status).toBe(200);
    expect(onDisk(db, secret) && onDisk(db, drillSecret)).toBe(true);

    expect((await app.call("DELETE", `/v1/mocks/${mock.id}`)).status).toBe(204);
    expect((await app.call("GET", `/v1/mocks/${mock.id}`)).status).toBe(404);
    expect((await app.call("GET", `/v1/gradings/${gradingId}`)).status).toBe(404);
    expect((await app.call("GET", `/v1/stories/${answered.json.answers[0].storyId}`)).status).toBe(404);
    expect(onDisk(db, secret)).toBe(false);
    expect(onDisk(db, drillSecret)).toBe(false);
    expect(onDisk(db, mock.questions[1].text)).toBe(false);
    const history = await app.call("GET", "/v1/gradings");
    expect(history.json.items.map((g: { id: string }) => g.id)).toEqual([kept]);

    const again = await app.call("DELETE", `/v1/mocks/${mock.id}`);
    expect([again.status, again.json.error.code]).toEqual([404, "mock_not_found"]);
  });

  it("DELETE /v1/gradings needs ?confirm=all-my-data, then deletes every grading and batch job", async () => {
    const db = tempDbFile();
    const app = buildApp(db);
    const secret = marker();
    await grade(app.call, `Story ${secret}.`);
    await grade(app.call, "Another story.");
    await batch(app, [{ id: "x", principle: "ownership", answer: `${SAMPLE_ANSWER} ${secret}` }]);
    const mock = (await app.call("POST", "/v1/mocks", { count: 1 })).json;
    await app.call("POST", `/v1/mocks/${mock.id}/answers`, { index: 0, answer: `${SAMPLE_ANSWER} Mock ${secret}.` });

    for (const path of ["/v1/gradings", "/v1/gradings?confirm=yes"]) {
      const refused = await app.call("DELETE", path);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe("confirmation_required");
      expect(refused.json.error.message).toContain("confirm=all-my-data");
    }
    expect(onDisk(db, secret)).toBe(true);

    const r = await app.call("DELETE", "/v1/gradings?confirm=all-my-data");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ deleted: { gradings: 4, batchJobs: 1 } });
    expect((await app.call("GET", "/v1/gradings")).json.items).toEqual([]);
    expect((await app.call("GET", "/v1/mocks")).json.mocks).toEqual([]);
    expect(onDisk(db, secret)).toBe(false);
  });
});

describe("starcoach data wipe", () => {
  it("refuses without --yes and says how; with --yes deletes everything and scrubs the file", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    const secret = marker();
    writeFileSync(input, JSON.stringify({ id: "s", principle: "ownership", answer: `${SAMPLE_ANSWER} ${secret}` }));
    expect((await runCli(["grade", input, "--offline", "--db", db])).code).toBe(0);
    expect(onDisk(db, secret)).toBe(true);

    const refused = await runCli(["data", "wipe", "--db", db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("starcoach data wipe --yes");
    expect(onDisk(db, secret)).toBe(true);

    const wiped = await runCli(["data", "wipe", "--yes", "--db", db]);
    expect(wiped.code).toBe(0);
    expect(wiped.stderr).toContain("deleted 1 gradings and 1 batch jobs");
    expect(onDisk(db, secret)).toBe(false);
  });

  it("a rejected 5 MB answer leaves a small database", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "huge.jsonl");
    writeFileSync(input, [JSON.stringify({ id: "ok", principle: "ownership", answer: SAMPLE_ANSWER }), JSON.stringify({ id: "huge", principle: "ownership", answer: "word ".repeat(1_000_000) })].join("\n"));
    const r = await runCli(["grade", input, "--offline", "--db", db]);
    expect(r.code).toBe(1);
    // The JSONL row-size guard refuses the line before it is parsed, so the row is named by its line.
    expect(r.stderr).toContain("row_too_large ×1: line-2");
    const bytes = ["", "-wal"].reduce((n, s) => n + (existsSync(db + s) ? statSync(db + s).size : 0), 0);
    expect(bytes).toBeLessThan(512 * 1024);
  });
});
