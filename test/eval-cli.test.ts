import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { evalCommand } from "../src/cli/eval.js";
import type { CliIO } from "../src/cli/context.js";
import type { EvalReport } from "../src/eval/run.js";
import { STAR_PARTS } from "../src/core/star-split.js";
import { createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";

const GOLD = "data/gold/answers.jsonl";

async function runCli(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const out = new PassThrough();
  const err = new PassThrough();
  out.on("data", (c) => (stdout += String(c)));
  err.on("data", (c) => (stderr += String(c)));
  const io: CliIO = { stdin: new PassThrough(), stdout: out, stderr: err, env };
  const code = await evalCommand(argv, io);
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), "starcoach-eval-"));

describe("starcoach eval, offline, on the shipped gold set", () => {
  it("prints presence and score agreement tables for every dimension", async () => {
    const { code, stdout, stderr } = await runCli([GOLD, "--offline"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`labelled answers from ${GOLD}`);
    expect(stdout).toMatch(/offline rules \(offline-\d+\): (\d+) of \1 graded/);
    for (const label of [...STAR_PARTS, "principle fit"]) expect(stdout).toMatch(new RegExp(`^${label} +-?\\d\\.\\d\\d`, "m"));
    expect(stdout).not.toContain("What the LLM adds"); // no model configured, nothing to compare
    // The feedback checks need no labels: every figure next to its goal, met on the gold set.
    const lines = readFileSync(GOLD, "utf8").trim().split("\n").length;
    expect(stdout).toContain(`Feedback checks (${lines} answers)`);
    expect(stdout).toMatch(/^card contradicts the highlighting +0 +0 +met$/m);
    expect(stdout).toMatch(/^follow-ups asked on ≥ \d+ answers \(a third\) +\d+\.\d% \(\d+\/\d+\) +≤ 10% +met$/m);
    expect(stdout).toMatch(/^ {2}(most common, on \d+ of \d+ answers: “.+”|every question is asked on one answer only)$/m);
    expect(stdout).toMatch(/^improvement lists repeating a concern +0 +0 +met$/m);
    expect(stdout).toMatch(/^improvement lists over 5 items +0 +0 +met$/m);
  });

  it("the offline detector reaches macro-F1 ≥ 0.85 on every STAR part (JSON report)", async () => {
    const { code, stdout } = await runCli([GOLD, "--offline", "--json"]);
    expect(code).toBe(0);
    const { reports } = JSON.parse(stdout) as { reports: EvalReport[] };
    expect(reports).toHaveLength(1);
    const [r] = reports;
    expect(r!.graded).toBe(readFileSync(GOLD, "utf8").trim().split("\n").length);
    for (const part of STAR_PARTS) {
      expect(r!.presence[part]!.absent.support, `${part} absent in the gold set`).toBeGreaterThanOrEqual(8);
      expect(r!.presence[part]!.macroF1, part).toBeGreaterThanOrEqual(0.85);
    }
  });

  it("grades several files as one set, and refuses an id that two of them share", async () => {
    const files = ["data/gold/holdout.jsonl", "data/gold/holdout-2.jsonl"];
    const { code, stdout } = await runCli([...files, "--offline", "--json"]);
    expect(code).toBe(0);
    const { source, reports } = JSON.parse(stdout) as { source: string; reports: EvalReport[] };
    expect(source).toBe(files.join(" + "));
    const total = files.reduce((n, f) => n + readFileSync(f, "utf8").trim().split("\n").length, 0);
    expect(reports[0]!.graded).toBe(total);

    const dir = tmp();
    const twin = join(dir, "twin.jsonl");
    writeFileSync(twin, readFileSync(files[0]!, "utf8").split("\n")[0]! + "\n");
    const clash = await runCli([files[0]!, twin, "--offline"]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/answer id ".+" is in both data\/gold\/holdout\.jsonl and .*twin\.jsonl/);
  });

  it("rejects bad gold lines with their line numbers", async () => {
    const file = join(tmp(), "bad.jsonl");
    const good = readFileSync(GOLD, "utf8").split("\n")[0]!;
    const wrongScore = JSON.parse(good);
    wrongScore.labels.scores.task = 7;
    const contradiction = JSON.parse(good);
    contradiction.labels.present.result = false; // but its result score is 4
    writeFileSync(file, [good, "{not json", "", JSON.stringify(wrongScore), JSON.stringify(contradiction), good].join("\n"));
    const { code, stdout, stderr } = await runCli([file, "--offline"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("4 invalid lines");
    expect(stderr).toContain(`${file}:2: not valid JSON`);
    expect(stderr).toMatch(new RegExp(`${file}:4: labels\\.scores\\.task: .*4`));
    expect(stderr).toContain(`${file}:5: labels.scores.result: score 4 contradicts present=false`);
    expect(stderr).toContain(`${file}:6: duplicate id "g01" (first on line 1)`);
  });

  it("accepts partial labels and the sentence-labelled corpus format, and reports only what is labelled", async () => {
    const file = join(tmp(), "partial.jsonl");
    const presenceOnly = { id: "p1", principle: "ownership", answer: "Last year our queue was two weeks long. I rewrote the macros myself. The queue fell to two days.", labels: { present: { situation: true, action: true, result: true } } };
    const corpusLine = {
      id: "c1", principle: "dive-deep", sep: " ", hypothetical: false, quantifiedResult: true,
      sentences: [["situation", "Our van used twice the fuel of the others."], ["action", "I went through three months of fuel data."], ["result", "Its fuel use fell by a third."]],
    };
    writeFileSync(file, [JSON.stringify(presenceOnly), JSON.stringify(corpusLine)].join("\n"));
    const { code, stdout, stderr } = await runCli([file, "--offline"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^situation +\d\.\d\d/m);
    expect(stdout).toMatch(/^task +\d\.\d\d .* 0 +\S+ +\S+ +\S+ +1$/m); // only c1 labels the task: absent, n = 1
    expect(stdout).toMatch(/Sentence labels: accuracy \d\.\d\d over 3 sentences/);
    expect(stdout).toMatch(/^hypothetical +macro-F1/m);
    expect(stdout).toMatch(/^quantified result +macro-F1 [\d.]+; recognised \d of 1/m);
    expect(stdout).not.toContain("Scores 0–4"); // no line labels a score
    expect(stdout).toMatch(/^Feedback checks \(2 answers\)\n/m); // labels or not, every file gets the checks
    expect(stdout).toMatch(/^improvement lists over 5 items +0 +0 +met$/m);
  });

  it("reports a missing file and a bad option as usage errors", async () => {
    expect((await runCli(["no/such/file.jsonl", "--offline"])).code).toBe(2);
    expect((await runCli([GOLD, "--concurrency", "0"])).code).toBe(2);
  });
});

describe("starcoach eval with a (mocked) model", () => {
  const mock = createOpenAiMock();
  beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
  afterEach(() => mock.reset());
  afterAll(() => mock.server.close());

  it("grades with the model, compares with offline, and serves a re-run from the cache", async () => {
    const dir = tmp();
    const file = join(dir, "three.jsonl");
    const byId = new Map(readFileSync(GOLD, "utf8").trim().split("\n").map((l) => [JSON.parse(l).id as string, l]));
    // g01 complete (fit 4), g04 no result (fit 3), g08 hypothetical with nothing present (fit 1)
    writeFileSync(file, ["g01", "g04", "g08"].map((id) => byId.get(id)!).join("\n"));
    // The model always answers: all parts present, S3 T3 A4 R2, fit 3.
    // Its sentence labels name one sentence per part, so every part is present in every answer.
    const labels = (["situation", "task", "action", "result"] as const).map((part, index) => ({ index, part }));
    mock.always(mock.grade(modelGrade("A. B. C. D.", { sentences: labels })));
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_DB: join(dir, "app.db") };

    const first = await runCli([file, "--json"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(mock.calls).toHaveLength(3);
    const [llm, offline] = (JSON.parse(first.stdout) as { reports: EvalReport[] }).reports;
    expect(llm!.mode).toBe("llm");
    expect(llm!.model).toBe("gpt-4.1-mini");
    expect(offline!.mode).toBe("offline");
    // situation: gold [T, T, F] vs always present → present F1 0.8, absent F1 0 → macro 0.4
    expect(llm!.presence.situation!.macroF1).toBeCloseTo(0.4, 12);
    // result: gold [T, F, F] → present P 1/3, R 1, F1 0.5 → macro 0.25
    expect(llm!.presence.result!.macroF1).toBeCloseTo(0.25, 12);
    // task: gold [3, 3, 0] vs 3 → exact 2/3; fit gold [4, 3, 1] vs 3 → exact 1/3, within one 2/3,
    // and a constant prediction has kappa 0 and no Spearman
    expect(llm!.scores.task!.exact).toBeCloseTo(2 / 3, 12);
    expect(llm!.scores.principleFit).toEqual({ exact: 1 / 3, withinOne: 2 / 3, qwk: 0, spearman: null, n: 3 });
    expect(llm!.cached).toBe(0);

    const again = await runCli([file], env);
    expect(again.code).toBe(0);
    expect(mock.calls).toHaveLength(3); // every answer came from the eval cache
    expect(again.stdout).toContain("3 of 3 graded, 3 from cache");
    expect(again.stdout).toContain("What the LLM adds over offline rules");
    expect(again.stdout).toMatch(/^situation +macro-F1 +0\.40 /m);
    // Both graders get a feedback-checks block. The mocked model asks the same follow-up on every
    // answer: the check reports it (3 of 3 questions asked are that text), the offline rules pass.
    expect(again.stdout.match(/^Feedback checks \(3 answers\)$/gm)).toHaveLength(2);
    expect(again.stdout).toMatch(/^follow-ups asked on ≥ 2 answers \(a third\) +100\.0% \(3\/3\) +≤ 10% +NOT MET\n {2}most common, on 3 of 3 answers: “How did you decide which fix to ship first\?”$/m);
    expect(llm!.feedbackChecks.repeatedFollowUps).toMatchObject({ asked: 3, repeated: 3, share: 1, pass: false, mostCommon: { text: "How did you decide which fix to ship first?", answers: 3 } });
    expect(llm!.feedbackChecks.contradictions.count).toBe(0); // every part labelled and flagged present
    expect(offline!.feedbackChecks.repeatedFollowUps.pass).toBe(true);
  });

  it("counts a failing model call as a failed answer and exits 1", async () => {
    const dir = tmp();
    const file = join(dir, "one.jsonl");
    writeFileSync(file, readFileSync(GOLD, "utf8").split("\n")[0]!);
    mock.always({ kind: "status", status: 401, body: { error: { message: "bad key", type: "invalid_request_error" } } });
    const { code, stdout } = await runCli([file], { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_DB: join(dir, "app.db") });
    expect(code).toBe(1);
    expect(stdout).toContain("0 of 1 graded, 0 from cache, 1 failed");
    expect(stdout).toMatch(/failed g01: /);
  });
});
