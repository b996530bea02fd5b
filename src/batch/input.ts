/**
 * Streaming input readers for batch grading: CSV (header id,principle,question,answer; quoted
 * multi-line fields, BOM, CRLF, LF or CR line ends, mixed in one file), JSONL (one object per line)
 * and a JSON array (small API bodies).
 * A bad record becomes a row with an error instead of stopping the read; only a file that cannot be
 * a batch at all (no answer column) throws.
 */
import { parse as parseCsv, type CsvError } from "csv-parse";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { InputError } from "../grading.js";
import { MAX_ROW_CHARS, shapeError } from "./json-limits.js";
import type { BatchRowInput } from "../store/batch-types.js";

export type InputFormat = "csv" | "jsonl" | "json";
export const INPUT_FORMATS: readonly InputFormat[] = ["csv", "jsonl", "json"];

type Chunks = AsyncIterable<Uint8Array | string>;

const BOM = "\uFEFF";

/** Format from the file name, else from the first non-blank character: `{` JSONL, `[` JSON, else CSV. */
export function detectFormat(head: string, name?: string): InputFormat {
  const ext = name?.toLowerCase().match(/\.(csv|jsonl|ndjson|json)$/)?.[1];
  if (ext === "csv") return "csv";
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  const first = head.replace(BOM, "").trimStart()[0];
  if (first === "{") return "jsonl";
  if (first === "[") return "json";
  return ext === "json" ? "jsonl" : "csv";
}

function text(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined; // objects and arrays are not text
}

/** Longer ids are refused: an id is printed in summaries and stored with every row. */
export const MAX_ID_CHARS = 200;

/** Turn a parsed record into a row; `n` is the 1-based record number, used when the id is missing. */
export function toRow(record: Record<string, unknown>, n: number): BatchRowInput {
  const id = text(record.id)?.trim() || `row-${n}`;
  if (id.length > MAX_ID_CHARS) {
    return { rowId: `row-${n}`, principle: null, question: null, answer: null, error: { code: "id_too_long", message: `The id has ${id.length} characters; the limit is ${MAX_ID_CHARS}.` } };
  }
  const fields = { principle: text(record.principle), question: text(record.question), answer: text(record.answer) };
  const bad = Object.entries(fields).find(([, v]) => v === undefined);
  if (bad) return { rowId: id, principle: null, question: null, answer: null, error: { code: "invalid_row", message: `Field "${bad[0]}" must be text.` } };
  return { rowId: id, principle: fields.principle?.trim() ?? null, question: fields.question ?? null, answer: fields.answer ?? null };
}

async function* csvRows(input: Readable): AsyncGenerator<BatchRowInput> {
  // Arrays, not column objects, with relaxed column counts: a record with the wrong number of
  // fields is reported in its place in the output instead of through csv-parse's skip callback.
  const skipped: BatchRowInput[] = [];
  let n = 0;
  let header: string[] | null = null;
  const parser = input.pipe(
    parseCsv({
      bom: true,
      // Any line end ends a record, as in a spreadsheet. Left to itself csv-parse takes the first line
      // end it meets as the only one, so a file mixing CRLF and LF (hand-edited exports) merged rows.
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      on_skip: (err: CsvError | undefined) => {
        n++;
        skipped.push(badCsvRow(n, typeof err?.lines === "number" ? err.lines : null, err?.message ?? "unreadable record"));
        return undefined;
      },
    }),
  );
  input.on("error", (err) => parser.destroy(err));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length) yield skipped.shift()!;
    if (!header) {
      header = record.map((h) => h.trim().toLowerCase());
      if (!header.includes("answer") || !header.includes("principle")) {
        throw new InputError("invalid_csv_header", `The CSV header must name the columns id,principle,question,answer; found "${record.join(",").slice(0, 120)}".`);
      }
      continue;
    }
    n++;
    if (record.length !== header.length) {
      yield badCsvRow(n, info.lines, `expected ${header.length} fields (${header.join(",")}), found ${record.length}`);
      continue;
    }
    yield toRow(Object.fromEntries(header.map((h, i) => [h, record[i]])), n);
  }
  while (skipped.length) yield skipped.shift()!;
}

function badCsvRow(n: number, line: number | null, why: string): BatchRowInput {
  return { rowId: `row-${n}`, principle: null, question: null, answer: null, error: { code: "invalid_csv_row", message: `CSV record ${n}${line ? ` (line ${line})` : ""}: ${why}` } };
}

async function* jsonlRows(input: Readable): AsyncGenerator<BatchRowInput> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let n = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = (lineNo === 1 ? raw.replace(BOM, "") : raw).trim();
    if (!line) continue;
    n++;
    // Measured before JSON.parse, which is what a deeply nested or huge line would make expensive.
    const tooBig = line.length > MAX_ROW_CHARS ? new InputError("row_too_large", `Line ${lineNo} has ${line.length} characters; a row may have at most ${MAX_ROW_CHARS}.`) : shapeError(line, `Line ${lineNo}`);
    if (tooBig) {
      yield { rowId: `line-${lineNo}`, principle: null, question: null, answer: null, error: { code: tooBig.code, message: tooBig.message } };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      yield { rowId: `line-${lineNo}`, principle: null, question: null, answer: null, error: { code: "invalid_json", message: `Line ${lineNo} is not valid JSON.` } };
      continue;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      yield { rowId: `line-${lineNo}`, principle: null, question: null, answer: null, error: { code: "invalid_row", message: `Line ${lineNo} is not a JSON object.` } };
      continue;
    }
    yield toRow(value as Record<string, unknown>, n);
  }
}

/** A JSON array of row objects (API bodies; the whole text is already in memory). */
export function* jsonArrayRows(textBody: string): Generator<BatchRowInput> {
  const tooBig = shapeError(textBody, "The body");
  if (tooBig) throw tooBig;
  let value: unknown;
  try {
    value = JSON.parse(textBody.replace(BOM, ""));
  } catch {
    throw new InputError("invalid_json", "The body is not valid JSON.");
  }
  if (!Array.isArray(value)) throw new InputError("invalid_request", "Send a JSON array of {id, principle, question, answer} objects.");
  for (const [i, item] of value.entries()) {
    if (!item || typeof item !== "object" || Array.isArray(item)) {
      yield { rowId: `row-${i + 1}`, principle: null, question: null, answer: null, error: { code: "invalid_row", message: `Item ${i + 1} is not an object.` } };
    } else yield toRow(item as Record<string, unknown>, i + 1);
  }
}

async function* chain(first: Uint8Array | string, rest: AsyncIterator<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

/**
 * Read rows from a byte stream. The format is `format` if given, else detected from `name` and the
 * first chunk. Rows come out one at a time, so a file of any size is read in constant memory.
 */
export async function* readRows(source: Chunks, options: { format?: InputFormat; name?: string } = {}): AsyncGenerator<BatchRowInput> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = typeof first.value === "string" ? first.value : Buffer.from(first.value.subarray(0, 512)).toString("utf8");
  const format = options.format ?? detectFormat(head, options.name);
  const stream = Readable.from(chain(first.value, it), { objectMode: false });
  if (format === "csv") yield* csvRows(stream);
  else if (format === "jsonl") yield* jsonlRows(stream);
  else {
    const parts: Buffer[] = [];
    for await (const chunk of stream) parts.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array));
    yield* jsonArrayRows(Buffer.concat(parts).toString("utf8"));
  }
}
