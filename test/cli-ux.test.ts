/**
 * The grade command as a person at a terminal meets it: --version, the closing summary, one-line
 * errors for a bad input path, a re-run that says it is one, "did you mean" for a misspelt
 * principle, progress in a log, and help that wraps cleanly.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { createProgressReporter } from "../src/batch/progress.js";
import type { Progress } from "../src/batch/runner.js";
import { closestPrinciple } from "../src/core/principles.js";
import pkg from "../package.json" with { type: "json" };
import { buildTestApp, postGrade, SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines, runCli } from "./support/cli.js";

const FIXTURE = new URL("./fixtures/batch-answers.jsonl", import.meta.url).pathname;

describe("starcoach grade at a terminal", () => {
  it("prints its version", async () => {
    for (const flag of ["--version", "-v"]) {
      const r = await runCli([flag]);
      expect([r.code, r.stdout]).toEqual([0, `${pkg.version}\n`]);
    }
  });

  it("ends with the mean score, the weakest answer, the report's path and the failures by code", async () => {
    const db = tempDbFile();
    const report = join(dirname(db), "report.html");
    const r = await runCli(["grade", FIXTURE, "--offline", "--db", db, "--report", report]);
    expect(r.code).toBe(1);
    const graded = jsonLines(r.stdout).filter((l) => l.feedback);
    const mean = Math.round(graded.reduce((sum, l) => sum + l.feedback.overall.score, 0) / graded.length);
    const weakest = graded.reduce((a, b) => (b.feedback.overall.score < a.feedback.overall.score ? b : a));
    const tail = r.stderr.slice(r.stderr.indexOf("graded 7 of 9 answers"));
    expect(tail).toContain(`starcoach: mean score ${mean}/100; weakest: ${weakest.id} “`);
    expect(tail).toContain(`(${weakest.feedback.overall.score}/100, ${weakest.feedback.principle.name}).`);
    expect(tail).toContain(`starcoach: report written to ${report}\n`);
    expect(tail).toMatch(/2 rows failed:\n {2}unknown_principle ×1: bad-principle\n {2}answer_empty ×1: empty-answer\n$/);
  });

  it("names a missing path, a folder, an empty file or an input without rows in one line, never a raw ENOENT or EISDIR", async () => {
    const dir = dirname(tempDbFile());
    mkdirSync(join(dir, "answers"));
    writeFileSync(join(dir, "empty.csv"), "");
    writeFileSync(join(dir, "header.csv"), "id,principle,question,answer\n");
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [[join(dir, "nope.csv")], undefined, /^starcoach: cannot read ".*nope\.csv": there is no such file\. /],
      [[join(dir, "answers")], undefined, /^starcoach: ".*answers" is a folder, not a file of answers/],
      [[join(dir, "empty.csv")], undefined, /^starcoach: ".*empty\.csv" is empty: expected CSV with the header id,principle,question,answer/],
      [[join(dir, "header.csv")], undefined, /^starcoach: ".*header\.csv" holds no answers/],
      [["-"], "", /^starcoach: standard input holds no answers/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await runCli(["grade", ...args, "--offline", "--db", join(dir, "x.db")], stdin === undefined ? {} : { stdin });
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/ENOENT|EISDIR|errno/);
    }
  });

  it("says a re-run of finished input is one, instead of resuming quietly", async () => {
    const db = tempDbFile();
    await runCli(["grade", FIXTURE, "--offline", "--db", db]);
    const again = await runCli(["grade", FIXTURE, "--offline", "--db", db]);
    expect(again.stderr).toMatch(/^starcoach: this input was already graded \(job job_\w+, 9 rows\): writing its results again\. Add --fresh to grade it anew\.\n/);
    expect(again.stderr).not.toContain("resuming");
    expect(jsonLines(again.stdout)).toHaveLength(9);
  });

  it("suggests the principle a misspelt one most likely means, in the row's error and from the API", async () => {
    const r = await runCli(["grade", "-", "--offline", "--db", tempDbFile()], { stdin: `${JSON.stringify({ id: "a", principle: "customer-obsesion", answer: SAMPLE_ANSWER })}\n` });
    expect(jsonLines(r.stdout)[0]!.error).toMatchObject({ code: "unknown_principle", message: expect.stringContaining('Unknown principle "customer-obsesion". Did you mean customer-obsession?') });

    const { app } = await buildTestApp();
    const res = await postGrade(app, { answer: SAMPLE_ANSWER, principle: "Ownershp" });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain("Did you mean ownership?");

    const near: Array<[string, string | undefined]> = [["Customer Obsesion", "customer-obsession"], ["dive", "dive-deep"], ["backbone", "have-backbone-disagree-and-commit"], ["think bog", "think-big"], ["telepathy", undefined], ["Be Awesome", undefined]];
    for (const [typed, id] of near) expect(closestPrinciple(typed)?.id, typed).toBe(id);
    expect((await postGrade(app, { answer: SAMPLE_ANSWER, principle: "telepathy" })).json.error.message).not.toContain("Did you mean");
  });

  it("grade --help wraps each paragraph to the width, without ragged breaks", async () => {
    for (const columns of [80, 100]) {
      const r = await runCli(["grade", "--help"], { columns });
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n");
      for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
      // Within the description's prose paragraphs every line but the last is well filled.
      const prose = r.stdout.slice(0, r.stdout.indexOf("Exit status:")).split("\n\n").slice(1);
      for (const paragraph of prose) {
        const rows = paragraph.split("\n");
        for (const row of rows.slice(0, -1)) expect(row.length, row).toBeGreaterThan(columns - 25);
      }
    }
  });
});

describe("progress in a log", () => {
  const progress = (done: number): Progress => ({ total: 9, done, failed: 0, thisRun: done, retries: 0, startedAt: 0 });

  it("writes the final count once when the last periodic line already showed it", () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = createProgressReporter({ isTTY: false, write: (t: string) => lines.push(t) }, { intervalMs: 5_000, now: () => now });
    reporter.update(progress(1));
    now = 6_000;
    reporter.update(progress(9)); // the last row, past the interval: printed
    reporter.finish(progress(9));
    expect(lines.filter((l) => l.startsWith("progress: 9/9"))).toHaveLength(1);

    // When the last periodic line is older, finish adds the final one.
    lines.length = 0;
    const quick = createProgressReporter({ isTTY: false, write: (t: string) => lines.push(t) }, { intervalMs: 5_000, now: () => 10_000 });
    quick.update(progress(1));
    quick.update(progress(9));
    quick.finish(progress(9));
    expect(lines.map((l) => l.slice(0, 13))).toEqual(["progress: 1/9", "progress: 9/9"]);
  });
});
