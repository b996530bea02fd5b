/**
 * Batch results with a rewrite of every graded answer (`starcoach grade … --rewrite`): JSONL lines
 * gain `rewrite` (or `rewriteError` when the rewrite failed, the grading itself being fine), CSV rows a
 * `rewrite` column with the text. Rewrites run a few at a time; lines stay in input order.
 */
import { stringify } from "csv-stringify/sync";
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import { ModelError } from "../grader/types.js";
import { InputError } from "../grading.js";
import type { BatchResult, BatchStore } from "../store/batch-types.js";
import { csvCell, CSV_COLUMNS, csvRecord, finishedResults, jsonlRecord, type OutputFormat } from "./output.js";

export interface Rewriting {
  rewrite(feedback: Feedback): Promise<Rewrite>;
  concurrency: number;
}

type Extra = { rewrite: Rewrite } | { rewriteError: { code: string; message: string } } | Record<string, never>;

async function rewriteOf(r: BatchResult, rewriting: Rewriting): Promise<Extra> {
  if (r.status !== "done" || !r.feedback) return {};
  try {
    return { rewrite: await rewriting.rewrite(r.feedback) };
  } catch (err) {
    if (err instanceof InputError || err instanceof ModelError) return { rewriteError: { code: err.code, message: err.message } };
    throw err;
  }
}

async function* inChunks<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of source) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

export async function* rewrittenResultLines(batches: BatchStore, jobId: string, format: OutputFormat, rewriting: Rewriting): AsyncGenerator<string> {
  if (format === "csv") yield stringify([[...CSV_COLUMNS, "rewrite"]]);
  for await (const chunk of inChunks(finishedResults(batches, jobId), Math.max(1, rewriting.concurrency))) {
    const extras = await Promise.all(chunk.map((r) => rewriteOf(r, rewriting)));
    for (const [i, r] of chunk.entries()) {
      const extra = extras[i]!;
      yield format === "csv" ? stringify([[...csvRecord(r), csvCell("rewrite" in extra ? extra.rewrite.text : "")]]) : `${jsonlRecord(r, extra)}\n`;
    }
  }
}
