/** `starcoach grade FILE`: batch-grade a CSV/JSONL file (or stdin) as a resumable job. */
import { addCost, describeCost, emptyCostTotal } from "../core/cost.js";
import { Command, InvalidArgumentError, Option } from "commander";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { INPUT_FORMATS, type InputFormat } from "../batch/input.js";
import { openJob } from "../batch/job.js";
import { ownerAlive } from "../batch/lease.js";
import { finishedResults, OUTPUT_FORMATS, resultLines, type OutputFormat } from "../batch/output.js";
import { createProgressReporter } from "../batch/progress.js";
import { buildReport } from "../batch/report.js";
import { openingWords } from "../batch/report-answer.js";
import { rewrittenResultLines, type Rewriting } from "../batch/rewrite-output.js";
import { runJob } from "../batch/runner.js";
import type { BatchStore } from "../store/batch-types.js";
import { printable } from "../core/control-chars.js";
import { CliError, EXIT, openContext, type CliContext, type CliIO } from "./context.js";
import { ioReason, oneChunk, prepareOutput, writeOutput, writeToStdout, type OutputTarget } from "./output-target.js";
import { submitToOpenAi } from "./provider.js";

export function positiveInt(max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

export interface OutputOptions {
  out?: string;
  format: OutputFormat;
  report?: string;
  rewrite?: boolean;
}

/** With --rewrite: each graded answer's rewrite, `concurrency` at a time (model calls in LLM mode). */
export function rewritingFor(ctx: CliContext, concurrency: number): Rewriting {
  return { rewrite: (feedback) => ctx.rewrite.rewriteGrading(feedback), concurrency };
}

export interface OutputTargets {
  out: OutputTarget | null;
  report: OutputTarget | null;
}

/** Check --out and --report before any grading (see output-target.ts); neither may be `protectedPaths`. */
export async function prepareOutputs(o: OutputOptions, protectedPaths: readonly string[]): Promise<OutputTargets> {
  return {
    out: o.out ? await prepareOutput(o.out, "--out", protectedPaths) : null,
    report: o.report ? await prepareOutput(o.report, "--report", protectedPaths) : null,
  };
}

/** Write the job's results to --out (or stdout) and the report to --report; with --rewrite, each answer's rewrite too. */
export async function emitResults(io: CliIO, batches: BatchStore, jobId: string, o: OutputOptions, targets: OutputTargets, rewriting?: Rewriting): Promise<void> {
  const lines = o.rewrite && rewriting ? rewrittenResultLines(batches, jobId, o.format, rewriting) : resultLines(batches, jobId, o.format);
  if (targets.out) await writeOutput(targets.out, lines);
  else {
    await writeToStdout(io.stdout, lines, "the results");
  }
  if (targets.report) await writeOutput(targets.report, oneChunk(buildReport(batches, jobId)));
}

/**
 * Print what happened on stderr and return the exit code: 0 when every row was graded. Besides the
 * counts: the mean score, the weakest answer (by id and opening words), where the report went, and
 * the failures by error code.
 */
export async function summarize(io: CliIO, batches: BatchStore, jobId: string, seconds: number | null, reportPath?: string): Promise<number> {
  const counts = await batches.counts(jobId);
  const failures = new Map<string, string[]>();
  let cached = 0;
  let scoreSum = 0;
  let scored = 0;
  let weakest: { id: string; score: number; principle: string; opening: string } | null = null;
  const cost = emptyCostTotal();
  for await (const r of finishedResults(batches, jobId)) {
    if (r.status === "done") {
      const f = r.feedback;
      if (f?.meta.cached) cached++;
      if (!f) continue;
      addCost(cost, f.meta);
      scoreSum += f.overall.score;
      scored++;
      if (!weakest || f.overall.score < weakest.score) weakest = { id: r.rowId, score: f.overall.score, principle: f.principle.name, opening: openingWords(f.answer) };
      continue;
    }
    const code = r.error?.code ?? "unknown";
    const ids = failures.get(code) ?? [];
    ids.push(r.rowId);
    failures.set(code, ids);
  }
  const time = seconds === null ? "" : ` in ${seconds.toFixed(1)} s`;
  io.stderr.write(`starcoach: job ${jobId}: graded ${counts.done} of ${counts.total} answers${cached ? ` (${cached} from cache)` : ""}${time}.\n`);
  if (weakest) {
    const opening = printable(weakest.opening, { maxLength: 60 });
    io.stderr.write(`starcoach: mean score ${Math.round(scoreSum / scored)}/100; weakest: ${printable(weakest.id, { maxLength: 60 })} “${opening}” (${weakest.score}/100, ${weakest.principle}).\n`);
  }
  const spent = describeCost(cost);
  if (spent) io.stderr.write(`starcoach: ${spent}.\n`);
  if (reportPath) io.stderr.write(`starcoach: report written to ${printable(reportPath)}\n`);
  if (counts.pending) io.stderr.write(`starcoach: ${counts.pending} answers are still pending.\n`);
  if (!counts.error) return counts.pending ? EXIT.notReady : EXIT.ok;
  io.stderr.write(`starcoach: ${counts.error} row${counts.error === 1 ? "" : "s"} failed:\n`);
  for (const [code, ids] of failures) {
    // Ids come from the input file: escape what a terminal would act on, and cut very long ones.
    const shown = ids.slice(0, 8).map((id) => printable(id, { maxLength: 60 })).join(", ");
    io.stderr.write(`  ${printable(code)} ×${ids.length}: ${shown}${ids.length > 8 ? `, … (${ids.length - 8} more)` : ""}\n`);
  }
  return EXIT.rowsFailed;
}

interface GradeFlags extends OutputOptions {
  offline?: boolean;
  model?: string;
  concurrency: number;
  inputFormat?: InputFormat;
  openaiBatch?: boolean;
  fresh?: boolean;
  db?: string;
}

/** Why a path cannot be read as a file of answers, in one line that names it; null when it can. */
export async function inputProblem(file: string): Promise<string | null> {
  const name = `"${printable(file, { maxLength: 200 })}"`;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return `${name} is a folder, not a file of answers: name a CSV or JSONL file.`;
    if (info.isFile() && info.size === 0) return `${name} is empty: ${EXPECTED_INPUT}.`;
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `cannot read ${name}: there is no such file. Give the path of a CSV or JSONL file of answers, or - for standard input.`;
    return `cannot read ${name}: ${ioReason(err)}.`;
  }
}

const EXPECTED_INPUT = "expected CSV with the header id,principle,question,answer and one row per answer, or JSONL with those keys";

async function gradeFile(io: CliIO, file: string, flags: GradeFlags): Promise<number> {
  if (flags.openaiBatch && flags.offline) throw new CliError("--openai-batch needs the model: drop --offline and set OPENAI_API_KEY.");
  const problem = file === "-" ? null : await inputProblem(file);
  if (problem) throw new CliError(problem, EXIT.usage);
  const ctx: CliContext = await openContext(io, flags);
  try {
    const stdin = file === "-";
    const targets = await prepareOutputs(flags, [ctx.config.dbFile, ...(stdin ? [] : [file])]);
    const { job, resumed } = await openJob({
      batches: ctx.batches,
      grader: ctx.grader,
      length: ctx.config.length,
      source: "cli",
      reopenable: !stdin,
      open: () => (stdin ? io.stdin : createReadStream(file)),
      ...(flags.inputFormat ? { format: flags.inputFormat } : {}),
      ...(stdin ? {} : { name: basename(file) }),
      ...(flags.fresh ? { fresh: true } : {}),
      owner: ctx.owner,
      ownerAlive,
    });
    const counts = await ctx.batches.counts(job.id);
    if (!counts.total) throw new CliError(`${stdin ? "standard input" : `"${printable(file, { maxLength: 200 })}"`} holds no answers: ${EXPECTED_INPUT}.`, EXIT.usage);
    io.stderr.write(
      !resumed
        ? `starcoach: job ${job.id}: ${counts.total} row${counts.total === 1 ? "" : "s"} read (${counts.error} rejected before grading).\n`
        : counts.pending || job.status === "submitted"
          ? `starcoach: resuming job ${job.id}: ${counts.done + counts.error} of ${counts.total} rows already finished.\n`
          : `starcoach: this input was already graded (job ${job.id}, ${counts.total} rows): writing its results again. Add --fresh to grade it anew.\n`,
    );

    if (flags.openaiBatch || job.status === "submitted") {
      if (job.status === "ready") await submitToOpenAi(io, ctx, job);
      else if (job.status === "submitted") io.stderr.write(`starcoach: job ${job.id} is waiting on OpenAI batch ${printable(job.providerBatchId ?? "")}.\n`);
      const after = (await ctx.batches.getJob(job.id))!;
      if (after.status === "submitted") {
        io.stderr.write(`starcoach: check with \`npx starcoach batch status ${job.id}\`; fetch results with \`npx starcoach batch collect ${job.id}\`.\n`);
        io.stdout.write(`${job.id}\n`);
        return EXIT.ok;
      }
    }

    const started = Date.now();
    if (counts.pending) {
      if (ctx.grader.mode === "llm") io.stderr.write(`starcoach: grading with ${ctx.grader.model}, ${flags.concurrency} at a time.\n`);
      const progress = createProgressReporter(io.stderr);
      let last: Parameters<typeof progress.finish>[0] | null = null;
      await runJob({ batches: ctx.batches, grading: ctx.grading }, job.id, {
        owner: ctx.owner,
        concurrency: flags.concurrency,
        onProgress: (p) => {
          last = p;
          progress.update(p);
        },
      });
      if (last) progress.finish(last);
    }
    await emitResults(io, ctx.batches, job.id, flags, targets, rewritingFor(ctx, flags.concurrency));
    return await summarize(io, ctx.batches, job.id, (Date.now() - started) / 1000, flags.report);
  } finally {
    await ctx.close();
  }
}

export function outputOptions(command: Command): Command {
  return command
    .option("-o, --out <file>", "write results to this file instead of standard output")
    .addOption(new Option("-f, --format <format>", "jsonl: one {id, feedback} or {id, error} per line; csv: one row of key figures per answer").choices(OUTPUT_FORMATS).default("jsonl"))
    .option("--report <file>", "also write a self-contained HTML report (score distributions, principle coverage, duplicate stories, weakest answers)")
    .option("--rewrite", "add a stronger version of each answer that invents nothing: `rewrite` in JSONL, a rewrite column in CSV (a model call per answer in LLM mode)");
}

export function registerGrade(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("grade")
    .summary("grade a file of answers (CSV or JSONL) as a resumable batch job")
    // Paragraphs are single lines, so the help wraps them to the terminal's width (no ragged breaks).
    .description(
      [
        "Grade every answer in FILE and write one result per answer, in input order.",
        "",
        "FILE is CSV with the header id,principle,question,answer (quoted fields may hold commas and line breaks) or JSONL with those keys; use - to read standard input. A bad row (unknown principle, empty answer, repeated id, model failure) gets {id, error:{code, message}} and the rest are graded.",
        "",
        "The batch is a job in the SQLite database (STARCOACH_DB, default .data/starcoach.db): if the command is interrupted, even with kill -9, run it again unchanged and it resumes where it stopped. Run it again once it has finished and it writes the same results again (it says so); --fresh grades anew.",
        "",
        "At the end it prints, on standard error, how many answers were graded, the mean score, the weakest answer, where the report went and the failed rows by error code.",
        "",
        "Environment: OPENAI_API_KEY (without it, grading is offline), OPENAI_BASE_URL, STARCOACH_MODEL, STARCOACH_DB, STARCOACH_MODEL_TIMEOUT_MS, STARCOACH_MODEL_RETRIES.",
        "",
        "--out replaces a file atomically (FILE.partial, then a rename), follows a symbolic link to its file, and writes through to a device or named pipe such as /dev/null; a folder is refused. It is checked before grading.",
        "",
        "Exit status:",
        "  0   every row graded",
        "  1   some rows failed (summary on standard error)",
        "  2   bad usage or unreadable input: FILE missing, empty or a folder, or --out",
        "      naming a folder, the input or the database",
        "  3   results not ready: the OpenAI batch is still running, or another process",
        "      is grading this job (the message names it)",
        "  74  cannot write: the database (read-only folder, full disk, damaged file) or",
        "      the output (--out not writable, standard output full or closed)",
        "  70  internal error",
      ].join("\n"),
    )
    .argument("<file>", "CSV or JSONL file of answers, or - for standard input");
  outputOptions(command)
    .addOption(new Option("--input-format <format>", "input format (default: from the file name, else from the first character)").choices(INPUT_FORMATS))
    .option("--offline", "grade with the rule-based grader only (no model calls)")
    .option("-m, --model <name>", "model name (overrides STARCOACH_MODEL)")
    .option("-c, --concurrency <n>", "model calls in flight at once", positiveInt(256), 4)
    .option("--openai-batch", "submit through OpenAI's Batch API (about half price, results within 24 h); then use `batch status|collect JOB`")
    .option("--fresh", "start a new job even if this input was graded before (graded answers still come from the cache)")
    .option("--db <file>", "SQLite database file (overrides STARCOACH_DB)")
    .action(async (file: string, flags: GradeFlags) => {
      setExit(await gradeFile(io, file, flags));
    });
}
