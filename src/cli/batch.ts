/** `starcoach batch status|collect JOB`: follow a batch job, and merge an OpenAI batch's results. */
import { Command, Option } from "commander";
import { collectJob, refreshProviderStatus } from "../batch/openai-batch.js";
import { sleep } from "../batch/limiter.js";
import { jsonForTerminal, printable } from "../core/control-chars.js";
import type { BatchJob } from "../store/batch-types.js";
import { openSqliteBatchStore } from "../store/sqlite-batch.js";
import { cliConfig, CliError, EXIT, openContext, type CliContext, type CliIO } from "./context.js";
import { emitResults, outputOptions, positiveInt, prepareOutputs, rewritingFor, summarize, type OutputOptions } from "./grade.js";
import { providerDeps } from "./provider.js";

interface JobFlags {
  db?: string;
  model?: string;
}

/** Open the job's database and grading context; the job records the mode and model it was graded with. */
async function withJob<T>(io: CliIO, id: string, flags: JobFlags, fn: (ctx: CliContext, job: BatchJob) => Promise<T>): Promise<T> {
  const probe = openSqliteBatchStore(cliConfig(io.env, flags).dbFile);
  const job = await probe.getJob(id).finally(() => probe.close());
  if (!job) throw new CliError(`No batch job "${printable(id, { maxLength: 80 })}" in this database (STARCOACH_DB / --db).`);
  const ctx = await openContext(io, { ...flags, ...(job.model && !flags.model ? { model: job.model } : {}), offline: job.mode === "offline" });
  try {
    return await fn(ctx, job);
  } finally {
    await ctx.close();
  }
}

export function registerBatch(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const batch = program.command("batch").summary("follow batch jobs: status, collect").description("Follow batch jobs created by `starcoach grade` or POST /v1/batches.");

  batch
    .command("status")
    .description("Print a job's status and row counts as JSON (asks OpenAI for the state of a submitted batch).")
    .argument("<job>", "job id, as printed by `starcoach grade`")
    .option("--db <file>", "SQLite database file (overrides STARCOACH_DB)")
    .action(async (id: string, flags: JobFlags) => {
      await withJob(io, id, flags, async (ctx, job) => {
        const provider = job.providerBatchId && job.status === "submitted" ? await refreshProviderStatus(await providerDeps(ctx), job) : null;
        const counts = await ctx.batches.counts(job.id);
        const fresh = (await ctx.batches.getJob(job.id))!;
        io.stdout.write(
          `${jsonForTerminal({
            id: fresh.id,
            status: fresh.status,
            mode: fresh.mode,
            model: fresh.model,
            counts,
            provider: fresh.providerBatchId
              ? { batchId: fresh.providerBatchId, status: fresh.providerStatus, requestCounts: provider?.request_counts ?? null }
              : null,
          }, 2)}\n`,
        );
        setExit(EXIT.ok);
      });
    });

  const collect = batch
    .command("collect")
    .description(
      "Write a job's results. For a job submitted with --openai-batch, first download the OpenAI batch output and merge it " +
        "through the same grounding and scoring as live grading. Exit 3 when the OpenAI batch has not finished yet.",
    )
    .argument("<job>", "job id, as printed by `starcoach grade`");
  outputOptions(collect)
    .option("--wait", "poll until the OpenAI batch has finished")
    .addOption(new Option("--poll-seconds <n>", "seconds between polls with --wait").argParser(positiveInt(3600)).default(60))
    .option("--db <file>", "SQLite database file (overrides STARCOACH_DB)")
    .action(async (id: string, flags: JobFlags & OutputOptions & { wait?: boolean; pollSeconds: number }) => {
      await withJob(io, id, flags, async (ctx, job) => {
        const targets = await prepareOutputs(flags, [ctx.config.dbFile]);
        if (job.status === "submitted") {
          const deps = await providerDeps(ctx);
          for (;;) {
            const r = await collectJob(deps, (await ctx.batches.getJob(job.id))!);
            if (r.state === "collected") {
              io.stderr.write(`starcoach: OpenAI batch ${printable(`${job.providerBatchId} ${r.providerStatus}`)}: merged ${r.merged} results, ${r.failed} failed.\n`);
              break;
            }
            if (!flags.wait) {
              io.stderr.write(`starcoach: OpenAI batch ${printable(`${job.providerBatchId} is ${r.providerStatus}`)}; try again later (or use --wait).\n`);
              setExit(EXIT.notReady);
              return;
            }
            await sleep(flags.pollSeconds * 1000);
          }
        }
        await emitResults(io, ctx.batches, job.id, flags, targets, rewritingFor(ctx, 4));
        setExit(await summarize(io, ctx.batches, job.id, null));
      });
    });
}
