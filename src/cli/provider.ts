/** The CLI side of provider batch mode: an OpenAI client from the configuration, submit and report. */
import OpenAI from "openai";
import { readFile } from "node:fs/promises";
import { submitJob, type ProviderBatchDeps } from "../batch/openai-batch.js";
import { printable } from "../core/control-chars.js";
import { RUBRIC_FILE } from "../node-deps.js";
import type { BatchJob } from "../store/batch-types.js";
import { CliError, type CliContext, type CliIO } from "./context.js";

export async function providerDeps(ctx: CliContext): Promise<ProviderBatchDeps> {
  const llm = ctx.config.llm;
  if (!llm || ctx.grader.mode !== "llm") throw new CliError("OpenAI batch mode needs OPENAI_API_KEY (and the same STARCOACH_MODEL / --model used to submit).");
  const client = new OpenAI({ apiKey: llm.apiKey, ...(llm.baseURL ? { baseURL: llm.baseURL } : {}), maxRetries: llm.maxRetries, timeout: llm.timeoutMs });
  return {
    client,
    batches: ctx.batches,
    store: ctx.store,
    template: await readFile(RUBRIC_FILE, "utf8"),
    grader: ctx.grader,
    length: ctx.config.length,
    prices: llm.prices,
  };
}

export async function submitToOpenAi(io: CliIO, ctx: CliContext, job: BatchJob): Promise<void> {
  const r = await submitJob(await providerDeps(ctx), job);
  io.stderr.write(
    r.providerBatchId
      ? `starcoach: submitted ${r.submitted} requests as OpenAI batch ${printable(r.providerBatchId)} (${r.fromCache} answers from cache, ${r.rejected} rejected).\n`
      : `starcoach: nothing to submit (${r.fromCache} answers from cache, ${r.rejected} rejected).\n`,
  );
}
