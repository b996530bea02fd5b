/**
 * Tolerant, still strict, reading of a model's JSON answer. Local models often wrap the object they
 * were asked for: a ```json fence, a sentence before or after it, or the tail of a reasoning block
 * whose opening tag was in the prompt template. Here the one JSON object is cut out of such text;
 * it is then validated against the same schema as any other answer, so nothing unvalidated passes.
 *
 * The AI SDK's `repairText` hook exists only on the deprecated generateObject; with generateText the
 * place for it is the Output specification, so `repairingOutput` wraps the SDK's Output.object:
 * the SDK's own parse and validation run first, and again on the repaired text. (The SDK's
 * extractJsonMiddleware strips only a fence at the very edges, and would hide that it did.)
 */
import { NoObjectGeneratedError, type DeepPartial, type OutputInterface as Output } from "ai";

/** What had to be removed to reach the JSON object (recorded in Feedback.meta.repaired). */
export type Repair = "reasoning" | "fence" | "prose";

export interface Repaired<T> {
  value: T;
  repairs: Repair[];
}

const CLOSE_THINK = "</think>";
const FENCE_MARK = /```[\w-]*/g;

/** Some chat templates open <think> in the prompt, so the reply holds only its end. */
function dropUnopenedReasoning(text: string): string | null {
  const close = text.lastIndexOf(CLOSE_THINK);
  if (close < 0 || text.includes("<think>")) return null;
  return text.slice(close + CLOSE_THINK.length);
}

/** The end of the balanced {…} starting at `start` (strings and escapes respected), or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * The top-level {…} spans of `text` that parse as JSON objects. A balanced span that does not parse
 * is skipped whole (never searched for a smaller object inside it); an unclosed "{" ends the search
 * (the rest is a cut-off reply).
 */
function jsonObjects(text: string): Array<{ start: number; end: number }> {
  const found: Array<{ start: number; end: number }> = [];
  for (let i = text.indexOf("{"); i >= 0; ) {
    const end = objectEnd(text, i);
    if (end < 0) break;
    if (isJsonObject(text.slice(i, end))) found.push({ start: i, end });
    i = text.indexOf("{", end);
  }
  return found;
}

/**
 * Cut the one JSON object out of `text`. Null when there is nothing to repair (the text is already
 * just the object, or has no object) or when it is ambiguous (two objects): the caller then reports
 * the original failure rather than guess.
 */
export function repairJsonText(text: string): { text: string; repairs: Repair[] } | null {
  const repairs: Repair[] = [];
  let body = text;
  const afterReasoning = dropUnopenedReasoning(body);
  if (afterReasoning !== null) {
    body = afterReasoning;
    repairs.push("reasoning");
  }
  const objects = jsonObjects(body);
  if (objects.length !== 1) return null;
  const { start, end } = objects[0]!;
  const outside = body.slice(0, start) + "\n" + body.slice(end);
  if (outside.includes("```")) repairs.push("fence");
  if (outside.replace(FENCE_MARK, "").trim()) repairs.push("prose");
  if (!repairs.length) return null;
  return { text: body.slice(start, end), repairs };
}

/**
 * The part of a half-written reply that may be the start of the JSON object, for live partial
 * output: from the first "{" on (after any reasoning tail), without a closing fence.
 */
export function partialJsonText(text: string): string | null {
  const body = dropUnopenedReasoning(text) ?? text;
  const start = body.indexOf("{");
  if (start < 0) return null;
  const fence = body.indexOf("```", start);
  return fence < 0 ? body.slice(start) : body.slice(start, fence);
}

/**
 * `inner` (the SDK's Output.object for a schema) with the repairs above: its parse and schema
 * validation run on the text as sent and, only if that fails, on the repaired text. The result
 * carries the value and what was repaired; a text that still fails throws the SDK's
 * NoObjectGeneratedError as before. `responseFormat` replaces the inner one (json_object mode).
 */
export function repairingOutput<T>(
  inner: Output<T, DeepPartial<T>, never>,
  responseFormat: Output["responseFormat"] = inner.responseFormat,
): Output<Repaired<T>, DeepPartial<T>, never> {
  return {
    name: inner.name,
    responseFormat,
    async parseCompleteOutput(options, context) {
      try {
        return { value: await inner.parseCompleteOutput(options, context), repairs: [] };
      } catch (error) {
        const repaired = NoObjectGeneratedError.isInstance(error) ? repairJsonText(options.text) : null;
        if (!repaired) throw error;
        return { value: await inner.parseCompleteOutput({ text: repaired.text }, context), repairs: repaired.repairs };
      }
    },
    async parsePartialOutput({ text }) {
      const json = partialJsonText(text);
      return json === null ? undefined : inner.parsePartialOutput({ text: json });
    },
    createElementStreamTransform: () => undefined,
  };
}
