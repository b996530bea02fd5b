/**
 * `starcoach eval GOLD.jsonl`: grade a labelled answer set and print how well the grader agrees with
 * the human labels — with the configured model and, for comparison, with the offline rules.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ConfigError } from "../config.js";
import { createOfflineGrader } from "../grader/offline-grader.js";
import type { Grader } from "../grader/types.js";
import { createGradingService } from "../grading.js";
import { createGrader } from "../node-deps.js";
import { StoreError } from "../store/faults.js";
import { openSqlite } from "../store/sqlite.js";
import { parseGold } from "../eval/gold.js";
import { formatEval, runEval, type EvalReport } from "../eval/run.js";
import { jsonForTerminal, printable } from "../core/control-chars.js";
import { CliError, cliConfig, EXIT, type CliIO } from "./context.js";

interface EvalOptions {
  offline?: boolean;
  json?: boolean;
  model?: string;
  db?: string;
  concurrency: number;
}

const MAX_PROBLEMS_SHOWN = 20;

function concurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError("expected a whole number from 1 to 16");
  return n;
}

async function readGold(file: string) {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
  const { lines, problems } = parseGold(text);
  if (problems.length) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  ${file}:${p.line}: ${p.message}`);
    if (problems.length > MAX_PROBLEMS_SHOWN) shown.push(`  … and ${problems.length - MAX_PROBLEMS_SHOWN} more`);
    throw new CliError(`${problems.length} invalid line${problems.length === 1 ? "" : "s"} in ${file}:\n${shown.join("\n")}`, EXIT.usage);
  }
  if (!lines.length) throw new CliError(`${file} has no labelled answers`, EXIT.usage);
  return lines;
}

/** Several files are graded as one set (the held-out sets pooled, say); an id may appear only once. */
async function readGoldFiles(files: readonly string[]) {
  const seen = new Map<string, string>();
  const all = [];
  for (const file of files) {
    for (const line of await readGold(file)) {
      const first = seen.get(line.id);
      if (first) throw new CliError(`answer id ${JSON.stringify(line.id)} is in both ${first} and ${file}: ids must be unique across the files evaluated together`, EXIT.usage);
      seen.set(line.id, file);
      all.push(line);
    }
  }
  return all;
}

async function evaluate(io: CliIO, files: readonly string[], o: EvalOptions): Promise<number> {
  const gold = await readGoldFiles(files);
  const file = files.join(" + ");
  const config = cliConfig(io.env, { ...(o.offline ? { offline: true } : {}), ...(o.model ? { model: o.model } : {}) });
  const grader = await createGrader(config);
  if (grader.mode === "offline" && !o.offline) io.stderr.write("starcoach: no OPENAI_API_KEY set, evaluating the offline rules only. Use --offline to silence this note.\n");

  const progress = io.stderr.isTTY && !o.json
    ? (label: string) => (done: number, total: number) => io.stderr.write(`\r${label}: ${done}/${total}${done === total ? "\n" : ""}`)
    : () => undefined;
  // Offline grading is instant and never cached, so it needs no database file.
  const run = async (g: Grader, dbFile: string) => {
    const { store } = openSqlite(dbFile);
    try {
      const service = createGradingService({ store, grader: g, length: config.length });
      return await runEval(gold, service, { concurrency: o.concurrency, onProgress: progress(g.mode) });
    } finally {
      await store.close();
    }
  };

  const reports: EvalReport[] = [];
  // Model gradings are cached in their own file so re-runs are free and the user's history stays clean.
  if (grader.mode === "llm") reports.push(await run(grader, o.db ?? join(dirname(config.dbFile), "eval-cache.db")));
  reports.push(await run(grader.mode === "offline" ? grader : createOfflineGrader(), ":memory:"));

  io.stdout.write(o.json ? `${jsonForTerminal({ source: file, reports }, 2)}\n` : printable(formatEval(file, reports), { keepNewlines: true }));
  return reports.some((r) => r.failures.length) ? EXIT.rowsFailed : EXIT.ok;
}

function defineEval(cmd: Command, io: CliIO, setExit: (code: number) => void): Command {
  return cmd
    .description("Grade a labelled gold set (JSONL) and print agreement with the human labels, for the configured model and for offline rules.")
    .argument("<gold...>", "JSONL file(s), graded as one set, one labelled answer per line: {id, principle, question?, answer, labels?: {present?, scores?, principleFit?}, hypothetical?, quantifiedResult?} or the corpus form {id, principle, sep, sentences: [[label, text], …], …}; every label is optional")
    .option("--offline", "evaluate the offline rules only, even when a model is configured")
    .option("--json", "print the full report as JSON")
    .option("--model <name>", "model to evaluate (overrides STARCOACH_MODEL)")
    .option("--db <file>", "SQLite file caching model gradings (default: eval-cache.db beside STARCOACH_DB)")
    .option("--concurrency <n>", "answers graded at once", concurrency, 4)
    .action(async (files: string[], o: EvalOptions) => setExit(await evaluate(io, files, o)));
}

/** Register `eval` on the `starcoach` program. */
export function registerEval(program: Command, io: CliIO, setExit: (code: number) => void): void {
  defineEval(program.command("eval"), io, setExit);
}

const processIO: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Run `eval` on its own (argv without the command name); resolves to the exit code. */
export async function evalCommand(argv: string[], io: CliIO = processIO): Promise<number> {
  let code: number = EXIT.ok;
  const cmd = defineEval(new Command("starcoach eval"), io, (c) => {
    code = c;
  })
    .exitOverride()
    // Usage errors quote the arguments given: escape what a terminal would act on.
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(printable(s, { keepNewlines: true })) });
  try {
    await cmd.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof StoreError) {
      io.stderr.write(`starcoach eval: ${printable(err.detail)}\n`);
      return EXIT.io;
    }
    if (err instanceof CliError || err instanceof ConfigError) {
      io.stderr.write(`starcoach eval: ${printable(err.message, { keepNewlines: true })}\n`);
      return err instanceof CliError ? err.exitCode : EXIT.usage;
    }
    throw err;
  }
}
