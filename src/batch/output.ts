/**
 * Batch results as text, in input order, streamed page by page from the job store: JSONL lines
 * `{id, feedback}` / `{id, error}` (the contract), or CSV with one row of key figures per answer
 * (text that a spreadsheet would run as a formula is prefixed with an apostrophe).
 */
import { byOrdinal } from "./pager.js";
import { stringify } from "csv-stringify/sync";
import { jsonForTerminal } from "../core/control-chars.js";
import type { BatchResult, BatchStore } from "../store/batch-types.js";

export type OutputFormat = "jsonl" | "csv";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["jsonl", "csv"];

const PAGE = 500;

export const CSV_COLUMNS = [
  "id", "status", "principle", "overall_score", "band", "situation", "task", "action", "result", "principle_fit",
  "words", "speaking_seconds", "length_verdict", "i_ratio", "action_i_ratio", "ownership_verdict", "quantified_result",
  "top_improvement", "mode", "cached", "error_code", "error_message",
] as const;

const ratio = (r: number | null) => (r === null ? "" : r.toFixed(2));

/** A text cell a spreadsheet would run as a formula (or a DDE call) when the file is opened. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Quote a text cell that a spreadsheet would read as a formula with a leading apostrophe, which
 * Excel, LibreOffice and Google Sheets show as text (OWASP's advice against CSV injection). Numbers
 * are written as numbers and never changed.
 */
export function csvCell(value: string | number): string | number {
  return typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvRecord(r: BatchResult): Array<string | number> {
  return csvFields(r).map(csvCell);
}

function csvFields(r: BatchResult): Array<string | number> {
  const f = r.feedback;
  if (!f || r.status !== "done") {
    return [r.rowId, "error", ...Array(CSV_COLUMNS.length - 4).fill(""), r.error?.code ?? "", r.error?.message ?? ""];
  }
  return [
    r.rowId, "done", f.principle.id, f.overall.score, f.overall.band,
    f.star.situation.score, f.star.task.score, f.star.action.score, f.star.result.score, f.principleFit.score,
    f.length.words, f.length.speakingSeconds, f.length.verdict, ratio(f.ownership.iRatio), ratio(f.ownership.actionIRatio), f.ownership.verdict,
    f.metrics.quantifiedResult ? "yes" : "no", f.improvements[0] ?? "", f.meta.mode, f.meta.cached ? "yes" : "no", "", "",
  ];
}

/**
 * One JSONL line; control characters that JSON leaves raw are \u-escaped, so printing it to a terminal
 * is safe. `extra`: more keys for a graded row (e.g. `rewrite` with the CLI's --rewrite).
 */
export function jsonlRecord(r: BatchResult, extra: Record<string, unknown> = {}): string {
  return r.status === "done" && r.feedback
    ? jsonForTerminal({ id: r.rowId, feedback: r.feedback, ...extra })
    : jsonForTerminal({ id: r.rowId, error: r.error ?? { code: "unknown", message: "No result." } });
}

/** Every finished row of a job in input order (pending rows are skipped). */
export async function* finishedResults(batches: BatchStore, jobId: string): AsyncGenerator<BatchResult> {
  for await (const r of byOrdinal((after, limit) => batches.results(jobId, after, limit), PAGE)) if (r.status !== "pending") yield r;
}

/** The output as text chunks (one per line, header first for CSV). */
export async function* resultLines(batches: BatchStore, jobId: string, format: OutputFormat): AsyncGenerator<string> {
  if (format === "csv") yield stringify([[...CSV_COLUMNS]]);
  for await (const r of finishedResults(batches, jobId)) {
    yield format === "csv" ? stringify([csvRecord(r)]) : `${jsonlRecord(r)}\n`;
  }
}
