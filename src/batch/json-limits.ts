/**
 * A cheap scan of JSON text before JSON.parse: nesting depth and the size of each row. Batch rows
 * are flat objects of strings, so deep nesting is never a batch, and parsing it is what hurts:
 * `[[[[…]]]]` 5 million deep (10 MB) took JSON.parse 4.4 s and 1.3 GB, stalling every other
 * request. The scan is one pass over the characters, stops at the first breach, and allocates nothing.
 */
import { InputError } from "../grading.js";

/** Rows are objects of strings inside an array: depth 2. The rest is room for mistakes, not for attacks. */
export const MAX_JSON_DEPTH = 20;
/**
 * The longest row: an answer at the 20,000-character limit written entirely as \uXXXX escapes
 * (120,000 characters) plus the other fields, with room to spare.
 */
export const MAX_ROW_CHARS = 256 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

export interface JsonShape {
  /** Deepest nesting reached, up to maxDepth + 1 (the scan stops there). */
  depth: number;
  /** 1-based index and length (characters) of the first top-level array element over maxElementChars, if any. */
  tooLong: { index: number; chars: number } | null;
}

/**
 * Measure `text` without parsing it. Elements are counted only when the text is a top-level
 * array; for anything else `tooLong` is null. Unbalanced or invalid JSON is left to JSON.parse.
 */
export function scanJson(text: string, maxDepth: number, maxElementChars = Infinity): JsonShape {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let element = 0;
  let elementStart = -1;
  const endElement = (i: number): JsonShape["tooLong"] => {
    element++;
    const chars = i - elementStart;
    elementStart = i + 1;
    return chars > maxElementChars ? { index: element, chars } : null;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
      continue;
    }
    if (ch === QUOTE) inString = true;
    else if (ch === OPEN_ARRAY || ch === OPEN_OBJECT) {
      if (depth === 0 && ch === OPEN_ARRAY) elementStart = i + 1;
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth > maxDepth) return { depth, tooLong: null };
    } else if (ch === CLOSE_ARRAY || ch === CLOSE_OBJECT) {
      depth--;
      if (depth === 0 && elementStart >= 0) {
        const tooLong = endElement(i);
        if (tooLong) return { depth: deepest, tooLong };
        elementStart = -1;
      }
    } else if (ch === COMMA && depth === 1 && elementStart >= 0) {
      const tooLong = endElement(i);
      if (tooLong) return { depth: deepest, tooLong };
    }
  }
  return { depth: deepest, tooLong: null };
}

/** The error for a document or line that breaks the limits, or null when it may be parsed. */
export function shapeError(text: string, what: string): InputError | null {
  const shape = scanJson(text, MAX_JSON_DEPTH, MAX_ROW_CHARS);
  if (shape.depth > MAX_JSON_DEPTH) {
    return new InputError("json_too_deep", `${what} nests arrays or objects more than ${MAX_JSON_DEPTH} deep; a batch is a list of flat {id, principle, question, answer} objects.`);
  }
  if (shape.tooLong) {
    return new InputError("row_too_large", `Row ${shape.tooLong.index} of ${what.toLowerCase()} has ${shape.tooLong.chars} characters; a row may have at most ${MAX_ROW_CHARS} (answers are limited to 20,000 characters).`);
  }
  return null;
}
