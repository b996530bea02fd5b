/**
 * `starcoach stories` (list, coverage, export) on a bank built by `starcoach grade`, checked
 * against what the API answers for the same database file; a database that does not exist yet is
 * an empty bank and is not created; a title with terminal escapes is printed inert.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { runCli } from "./support/cli.js";

const ROWS = [
  { id: "a", principle: "ownership", answer: SAMPLE_ANSWER },
  { id: "b", principle: "dive-deep", answer: SAMPLE_ANSWER.replace("Acme", "Globex") },
  {
    id: "c",
    principle: "frugality",
    question: "Tell me about a time you did more with less.",
    answer:
      "At a small charity I ran the events budget. Our venue costs had doubled and my goal was to keep the spring fair within last year's £3,000. " +
      "I asked three schools to lend their halls, I rebuilt the stall plan so we needed half the tables, and I found volunteers to run the café. " +
      "The fair cost £1,900, raised £6,200, and the schools asked to host again.",
  },
];

describe("starcoach stories", () => {
  let db: string;
  let api: (path: string) => Promise<Response>;

  beforeAll(async () => {
    db = tempDbFile();
    const input = join(dirname(db), "answers.jsonl");
    writeFileSync(input, ROWS.map((r) => JSON.stringify(r)).join("\n"));
    expect((await runCli(["grade", input, "--offline", "--db", db])).code).toBe(0);
    const { app } = await buildTestApp({ dbFile: db });
    api = async (path) => app.request(path);
  });

  it("lists the graded answers as stories, and --json is GET /v1/stories", async () => {
    const listed = await runCli(["stories", "--json", "--db", db]);
    expect(listed.code).toBe(0);
    const fromApi = await (await api("/v1/stories")).json();
    expect(JSON.parse(listed.stdout)).toEqual(fromApi);
    expect(fromApi.stories).toHaveLength(3);

    const text = await runCli(["stories", "list", "--db", db]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^3 stories, most recently practised first:\n/);
    for (const s of fromApi.stories as Array<{ id: string; title: string; best: { score: number } }>) {
      expect(text.stdout).toContain(`${s.best.score}/100  ${s.title}`);
      expect(text.stdout).toContain(`id ${s.id}`);
    }
    expect(text.stdout).toContain("Frugality · 1 version · last practised ");
  });

  it("shows the coverage with the near-duplicate pair and what to practise next; --json is GET /v1/coverage", async () => {
    const asJson = await runCli(["stories", "coverage", "--json", "--db", db]);
    expect(asJson.code).toBe(0);
    const coverage = JSON.parse(asJson.stdout);
    expect(coverage).toEqual(await (await api("/v1/coverage")).json());

    const text = (await runCli(["stories", "coverage", "--db", db])).stdout;
    const missing = coverage.principles.filter((p: { status: string }) => p.status === "missing").length;
    expect(text).toContain(`Coverage of the 16 principles (target: 2 stories each): 0 covered, 3 thin, ${missing} missing.`);
    expect(text).toMatch(/\n {2}thin {5}Ownership +1 story, best \d+\/100\n/);
    expect(text).toMatch(/\n {2}missing {2}Think Big +—\n/);
    // The two Acme/Globex answers tell one story; the page's warning says so, here too.
    expect(text).toMatch(/Warnings:\n {2}- “In my last role at (Acme|Globex), .*” and “In my last role at (Acme|Globex), .*” look like the same story/);
    const next = text.slice(text.indexOf("Practise next:"));
    expect(next).toMatch(/^Practise next:\n {2}1\. Customer Obsession: No story serves this principle yet\.\n {5}“.+\?”\n/);
  });

  it("exports the bank as the API's Markdown, to standard output or atomically to --out", async () => {
    const fromApi = await (await api("/v1/stories/export.md")).text();
    const out = await runCli(["stories", "export", "--db", db]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(fromApi);
    expect(out.stdout).toMatch(/^# My story bank\n\n3 stories, exported /);

    const file = join(dirname(db), "bank.md");
    const written = await runCli(["stories", "export", "--db", db, "--out", file]);
    expect([written.code, written.stdout, written.stderr]).toEqual([0, "", `starcoach: story bank written to ${file}\n`]);
    expect(readFileSync(file, "utf8")).toBe(fromApi);

    const refused = await runCli(["stories", "export", "--db", db, "--out", dirname(db)]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^starcoach: .*is a folder/);
  });

  it("names a misspelt subcommand and the three there are", async () => {
    const r = await runCli(["stories", "coverag", "--db", db]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", 'starcoach: unknown command "stories coverag": use stories list, stories coverage or stories export (starcoach stories --help).\n']);
  });

  it("reads a database that does not exist yet as an empty bank, without creating it", async () => {
    const none = join(dirname(tempDbFile()), "none.db");
    const text = await runCli(["stories", "--db", none]);
    expect([text.code, text.stdout]).toEqual([0, "No stories yet: grade an answer (`starcoach grade FILE`, or the web form) to start one.\n"]);
    expect(JSON.parse((await runCli(["stories", "--json", "--db", none])).stdout)).toEqual({ stories: [] });
    const coverage = await runCli(["stories", "coverage", "--db", none]);
    expect(coverage.stdout).toContain("0 covered, 0 thin, 16 missing.");
    expect(existsSync(none)).toBe(false);
  });

  it("prints a title's terminal escapes as visible text", async () => {
    const { app } = await buildTestApp({ dbFile: db });
    const { stories } = (await (await app.request("/v1/stories")).json()) as { stories: Array<{ id: string }> };
    const id = stories[0]!.id;
    const patched = await app.request(`/v1/stories/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "Payments \u001b]0;owned\u0007 rewrite" }) });
    expect(patched.status).toBe(200);
    const text = (await runCli(["stories", "--db", db])).stdout;
    expect(text).not.toMatch(/[\u001b\u0007]/);
    expect(text).toContain("Payments \\x1b]0;owned\\x07 rewrite");
  });
});
