/** One error shape for every failure: { error: { code, message } } with the right status. */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { GradingAborted, ModelError } from "../grader/types.js";
import { InputError } from "../grading.js";
import { StoreError } from "../store/faults.js";

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi("Error");

/** The OpenAPI entry for an error status: the codes it can carry, in the one error shape. */
export function errorDoc(codes: string) {
  return { description: codes, content: { "application/json": { schema: ErrorSchema } } };
}

/** A request turned away by a limit (rate, queue, budget): 429 or 503 with Retry-After. */
export class LimitError extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "LimitError";
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json(errorBody(code, message), status);
}

/** Turn zod issues into one readable sentence, e.g. "answer: expected string, received number". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}

export function handleError(err: Error, c: Context) {
  if (err instanceof InputError) return errorResponse(c, err.status, err.code, err.message);
  if (err instanceof LimitError) {
    c.header("Retry-After", String(err.retryAfterSeconds));
    return errorResponse(c, err.status, err.code, err.message);
  }
  if (err instanceof GradingAborted) return errorResponse(c, 499 as ContentfulStatusCode, err.code, err.message);
  if (err instanceof ModelError) {
    if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
    return errorResponse(c, err.status, err.code, err.message);
  }
  if (err instanceof StoreError) {
    // The client gets the code and a plain sentence; the operator's log gets the file and the fix.
    console.error(`[starcoach] storage fault on ${c.req.method} ${c.req.path}: ${err.detail}`);
    return errorResponse(c, err.status, err.code, err.message);
  }
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return errorResponse(c, 400, "invalid_json", "The request body is not valid JSON.");
    }
    return errorResponse(c, err.status, "http_error", err.message || "Request failed.");
  }
  console.error(`[starcoach] unexpected error on ${c.req.method} ${c.req.path}:`, err);
  return errorResponse(c, 500, "internal_error", "Something went wrong on our side; the request was not completed.");
}
