/**
 * Provider batch mode: the job's pending rows go to OpenAI's Batch API as one JSONL file of Chat
 * Completions requests (the same prompt and the same strict json_schema output format as live
 * grading), and the results come back through the grading service, so grounding, scoring, caching
 * and storage are exactly those of a live grading. Answers already in the cache are not sent.
 */
import { z } from "zod";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type OpenAI from "openai";
import type { LengthOptions } from "../core/analyze.js";
import { analyze } from "../core/analyze.js";
import { ModelGradeSchema } from "../core/feedback.js";
import { findPrinciple } from "../core/principles.js";
import { buildPrompt } from "../core/prompt.js";
import type { Grader, GradeOutcome } from "../grader/types.js";
import type { TokenPrices } from "../core/cost.js";
import { byOrdinal } from "./pager.js";
import { cacheKey, createGradingService, InputError, validateInput } from "../grading.js";
import type { BatchJob, BatchStore, PendingRow, RowOutcome } from "../store/batch-types.js";
import type { Store } from "../store/types.js";
import { recordedError } from "../errors.js";

/** OpenAI's per-batch limit on requests in one input file. */
export const MAX_BATCH_REQUESTS = 50_000;
export const BATCH_ENDPOINT = "/v1/chat/completions";
const OUTPUT_NAME = "star_feedback";
const FINAL = new Set(["completed", "failed", "expired", "cancelled"]);

export interface ProviderBatchDeps {
  client: OpenAI;
  batches: BatchStore;
  store: Store;
  /** The rubric template (prompts/star-rubric.md). */
  template: string;
  /** The live grader's identity: the same model and prompt version make the same cache keys. */
  grader: Pick<Grader, "model" | "promptVersion">;
  length: LengthOptions;
  /** Live token prices; rows graded through the Batch API cost half (meta.cost). */
  prices?: TokenPrices | null;
}

let schemaCache: Record<string, unknown> | null = null;
/** The model output format, as strict structured output wants it (every object closed). */
export function responseFormat() {
  if (!schemaCache) {
    const { $schema: _drop, ...schema } = z.toJSONSchema(ModelGradeSchema) as Record<string, unknown>;
    schemaCache = schema;
  }
  return { type: "json_schema" as const, json_schema: { name: OUTPUT_NAME, strict: true, schema: schemaCache } };
}

export const customId = (ordinal: number) => `row-${ordinal}`;
const ordinalOf = (id: unknown) => (typeof id === "string" && /^row-\d+$/.test(id) ? Number(id.slice(4)) : null);

/** One line of the Batch API input file: the Chat Completions request live grading would send. */
export function requestLine(row: PendingRow, model: string, template: string, length: LengthOptions) {
  const { answer, question, principleId } = validateInput({ answer: row.answer ?? "", principle: row.principle ?? "", question: row.question });
  const principle = findPrinciple(principleId)!;
  const prompt = buildPrompt(template, { answer, question, principle, analysis: analyze(answer, length) });
  return {
    custom_id: customId(row.ordinal),
    method: "POST",
    url: BATCH_ENDPOINT,
    body: {
      model,
      messages: [
        { role: "system", content: prompt.system },
        { role: "user", content: prompt.user },
      ],
      temperature: 0,
      response_format: responseFormat(),
    },
  };
}

const allPending = (batches: BatchStore, jobId: string): AsyncGenerator<PendingRow> => byOrdinal((after, limit) => batches.pendingRows(jobId, after, limit), 500);

export interface SubmitResult {
  providerBatchId: string | null;
  submitted: number;
  fromCache: number;
  rejected: number;
}

/** Build the request file, upload it, create the batch and record its id in the job. */
export async function submitJob(deps: ProviderBatchDeps, job: BatchJob): Promise<SubmitResult> {
  const { batches, store, grader } = deps;
  if (!grader.model) throw new Error("provider batch mode needs a model");
  const pending = (await batches.counts(job.id)).pending;
  if (pending > MAX_BATCH_REQUESTS) {
    throw new InputError("batch_too_large", `OpenAI takes at most ${MAX_BATCH_REQUESTS} requests per batch; this job has ${pending}. Split the file.`);
  }
  const dir = await mkdtemp(join(tmpdir(), "starcoach-batch-"));
  const file = join(dir, `${job.id}.jsonl`);
  const out = createWriteStream(file);
  const early: RowOutcome[] = [];
  let submitted = 0;
  let fromCache = 0;
  try {
    for await (const row of allPending(batches, job.id)) {
      try {
        const v = validateInput({ answer: row.answer ?? "", principle: row.principle ?? "", question: row.question });
        const key = await cacheKey({ ...v, model: grader.model, promptVersion: grader.promptVersion, length: deps.length });
        const hit = await store.findCached(key);
        if (hit) {
          early.push({ ordinal: row.ordinal, status: "done", gradingId: hit.id, cached: true });
          fromCache++;
          continue;
        }
        if (!out.write(`${JSON.stringify(requestLine(row, grader.model, deps.template, deps.length))}\n`)) await once(out, "drain");
        submitted++;
      } catch (err) {
        early.push({ ordinal: row.ordinal, status: "error", error: recordedError(err) });
      }
    }
    out.end();
    await once(out, "close");
    await batches.recordOutcomes(job.id, early);
    const rejected = early.length - fromCache;
    if (!submitted) {
      await batches.updateJob(job.id, { status: "done" });
      return { providerBatchId: null, submitted, fromCache, rejected };
    }
    const uploaded = await deps.client.files.create({ file: createReadStream(file), purpose: "batch" });
    const batch = await deps.client.batches.create({
      input_file_id: uploaded.id,
      endpoint: BATCH_ENDPOINT,
      completion_window: "24h",
      metadata: { starcoach_job: job.id },
    });
    await batches.updateJob(job.id, { status: "submitted", providerBatchId: batch.id, providerStatus: batch.status });
    return { providerBatchId: batch.id, submitted, fromCache, rejected };
  } finally {
    out.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function refreshProviderStatus(deps: Pick<ProviderBatchDeps, "client" | "batches">, job: BatchJob): Promise<OpenAI.Batches.Batch | null> {
  if (!job.providerBatchId) return null;
  const batch = await deps.client.batches.retrieve(job.providerBatchId);
  if (batch.status !== job.providerStatus) await deps.batches.updateJob(job.id, { providerStatus: batch.status });
  return batch;
}

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: { choices?: Array<{ message?: { content?: string | null; refusal?: string | null } }>; usage?: { prompt_tokens?: number; completion_tokens?: number }; error?: { message?: string } } } | null;
  error?: { code?: string; message?: string } | null;
}

async function* fileLines(client: OpenAI, fileId: string): AsyncGenerator<OutputLine | null> {
  const res = await client.files.content(fileId);
  const text = await res.text();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as OutputLine;
    } catch {
      yield null;
    }
  }
}

/** A line's model grading, or the error to record for its row. */
function outcomeOf(line: OutputLine): { outcome: GradeOutcome } | { error: { code: string; message: string } } {
  const res = line.response;
  if (line.error || !res || res.status_code !== 200) {
    const status = res?.status_code;
    const message = line.error?.message ?? res?.body?.error?.message ?? "no response";
    const code = status === 429 ? "model_rate_limited" : "model_unavailable";
    return { error: { code, message: `OpenAI batch request failed${status ? ` with HTTP ${status}` : ""}: ${message}` } };
  }
  const content = res.body?.choices?.[0]?.message?.content;
  let parsed: unknown;
  try {
    parsed = content ? JSON.parse(content) : undefined;
  } catch {
    parsed = undefined;
  }
  const grade = ModelGradeSchema.safeParse(parsed);
  if (!grade.success) return { error: { code: "model_output_invalid", message: "The model's answer did not match the feedback schema." } };
  const usage = res.body?.usage;
  return { outcome: { grade: grade.data, usage: { inputTokens: usage?.prompt_tokens ?? 0, outputTokens: usage?.completion_tokens ?? 0 } } };
}

export type CollectResult = { state: "waiting"; providerStatus: string } | { state: "collected"; providerStatus: string; merged: number; failed: number };

/**
 * If the provider batch has ended, merge its output: each line goes through the grading service
 * with a grader that replays the provider's answer, so validation, quote grounding, scoring and the
 * cache are those of live grading. Rows without a line (expired, failed batch) get an error.
 */
export async function collectJob(deps: ProviderBatchDeps, job: BatchJob): Promise<CollectResult> {
  const batch = await refreshProviderStatus(deps, job);
  if (!batch) throw new Error(`job ${job.id} was not submitted to a provider`);
  if (!FINAL.has(batch.status)) return { state: "waiting", providerStatus: batch.status };
  const { batches, store } = deps;
  const rows = new Map<number, PendingRow>();
  for await (const row of allPending(batches, job.id)) rows.set(row.ordinal, row);

  let merged = 0;
  let failed = 0;
  const outcomes: RowOutcome[] = [];
  const take = async (line: OutputLine | null) => {
    const ordinal = ordinalOf(line?.custom_id);
    const row = ordinal === null ? undefined : rows.get(ordinal);
    if (!line || !row) return; // unreadable line, or a row already merged
    rows.delete(row.ordinal);
    const result = outcomeOf(line);
    if ("error" in result) {
      failed++;
      outcomes.push({ ordinal: row.ordinal, status: "error", error: result.error });
      return;
    }
    const replay: Grader = { mode: "llm", model: deps.grader.model, promptVersion: deps.grader.promptVersion, notice: null, grade: async () => result.outcome };
    try {
      const feedback = await createGradingService({ store, grader: replay, length: deps.length, prices: deps.prices ?? null, batchApi: true }).grade({
        answer: row.answer ?? "",
        principle: row.principle ?? "",
        question: row.question,
      });
      merged++;
      outcomes.push({ ordinal: row.ordinal, status: "done", gradingId: feedback.id, cached: feedback.meta.cached });
    } catch (err) {
      failed++;
      outcomes.push({ ordinal: row.ordinal, status: "error", error: recordedError(err) });
    }
  };
  for (const fileId of [batch.output_file_id, batch.error_file_id]) {
    if (!fileId) continue;
    for await (const line of fileLines(deps.client, fileId)) await take(line);
  }
  for (const row of rows.values()) {
    failed++;
    outcomes.push({ ordinal: row.ordinal, status: "error", error: { code: "provider_batch_incomplete", message: `The OpenAI batch ended as "${batch.status}" without a result for this row.` } });
  }
  await batches.recordOutcomes(job.id, outcomes);
  await batches.updateJob(job.id, { status: "done", providerStatus: batch.status });
  return { state: "collected", providerStatus: batch.status, merged, failed };
}
