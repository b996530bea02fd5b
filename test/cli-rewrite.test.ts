/** `starcoach grade … --rewrite`: each graded line gains its rewrite; model rewrites are cached for a rerun. */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_ANSWER, tempDbFile } from "./support/app.js";
import { jsonLines, runCli } from "./support/cli.js";
import { createOpenAiMock, MOCK_BASE_URL, modelGrade } from "./support/openai-mock.js";
import { FAITHFUL, modelReply } from "./support/rewrite.js";

const FIXTURE = new URL("./fixtures/batch-answers.jsonl", import.meta.url).pathname;
const mock = createOpenAiMock();
beforeAll(() => mock.server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset());
afterAll(() => mock.server.close());

type Line = ReturnType<typeof jsonLines>[number] & { rewrite?: any; rewriteError?: { code: string } };

describe("starcoach grade --rewrite", () => {
  it("offline: adds the rule-based rewrite of each graded answer, none to error rows, and a CSV column", async () => {
    const db = tempDbFile();
    const r = await runCli(["grade", FIXTURE, "--offline", "--db", db, "--rewrite"]);
    expect(r.code).toBe(1); // two bad rows in the fixture, as without --rewrite
    const lines = jsonLines(r.stdout) as Line[];
    for (const line of lines) {
      if (line.error) expect(line.rewrite).toBeUndefined();
      else expect(line.rewrite).toMatchObject({ gradingId: line.feedback.id, meta: { mode: "offline" }, dropped: 0 });
    }
    expect(lines.filter((l) => l.rewrite)).toHaveLength(7);

    const plain = jsonLines((await runCli(["grade", FIXTURE, "--offline", "--db", db])).stdout) as Line[];
    expect(plain.some((l) => "rewrite" in l)).toBe(false);

    const out = join(dirname(db), "out.csv");
    await runCli(["grade", FIXTURE, "--offline", "--db", db, "--format", "csv", "--out", out, "--rewrite"]);
    const records = parse(readFileSync(out, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(records[0]!.rewrite).toBe(lines[0]!.rewrite.text);
    expect(records.at(-1)!.rewrite).toBe("");
  });

  it("with the model: a failed rewrite is reported beside a good grading, and a rerun reuses the cached rewrites", async () => {
    const db = tempDbFile();
    const input = join(dirname(db), "two.jsonl");
    writeFileSync(input, [1, 2].map((i) => JSON.stringify({ id: `r${i}`, principle: "ownership", answer: SAMPLE_ANSWER.replace("Acme", `Acme${i}`) })).join("\n"));
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: MOCK_BASE_URL, STARCOACH_MODEL_RETRIES: "0" };
    const faithful = (i: number) => modelReply(FAITHFUL.map((s) => ({ ...s, text: s.text.replace("Acme", `Acme${i}`) })));
    mock.reply(mock.grade(modelGrade(SAMPLE_ANSWER)), mock.grade(modelGrade(SAMPLE_ANSWER)), faithful(1), { kind: "status", status: 500 });
    const first = await runCli(["grade", input, "--db", db, "--concurrency", "1", "--rewrite"], { env });
    expect(first.code).toBe(0);
    const lines = jsonLines(first.stdout) as Line[];
    expect(lines[0]!.rewrite).toMatchObject({ meta: { mode: "llm", cached: false }, dropped: 0 });
    expect(lines[0]!.rewrite.text).toContain("At Acme1 I was the tech lead");
    expect(lines[1]!.feedback.meta.mode).toBe("llm");
    expect(lines[1]!.rewriteError?.code).toBe("model_unavailable");
    expect(mock.calls).toHaveLength(4);

    mock.reset();
    mock.reply(faithful(2));
    const second = await runCli(["grade", input, "--db", db, "--concurrency", "1", "--rewrite"], { env });
    const again = jsonLines(second.stdout) as Line[];
    expect(again[0]!.rewrite).toEqual({ ...lines[0]!.rewrite, meta: { ...lines[0]!.rewrite.meta, cached: true } });
    expect(again[1]!.rewrite).toMatchObject({ meta: { mode: "llm", cached: false } });
    expect(mock.calls).toHaveLength(1);
  });
});
