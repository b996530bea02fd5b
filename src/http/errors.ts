/** One error shape for every failure: { error: { code, message } } with the right status. */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { describeIssues } from "../core/grade-request.js";
import { errorInfo, isAppError } from "../errors.js";
import { StoreError } from "../store/faults.js";

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi("Error");

/** The OpenAPI entry for an error status: the codes it can carry, in the one error shape. */
export function errorDoc(codes: string) {
  return { description: codes, content: { "application/json": { schema: ErrorSchema } } };
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  return c.json(errorBody(code, message), status);
}

export { describeIssues };

export function handleError(err: Error, c: Context) {
  if (err instanceof HTTPException) {
    if (err.status === 400 && /json/i.test(err.message)) {
      return errorResponse(c, 400, "invalid_json", "The request body is not valid JSON.");
    }
    return errorResponse(c, err.status, "http_error", err.message || "Request failed.");
  }
  // The client gets the code and a plain sentence; the operator's log gets the file and the fix.
  if (err instanceof StoreError) console.error(`[starcoach] storage fault on ${c.req.method} ${c.req.path}: ${err.detail}`);
  else if (!isAppError(err)) console.error(`[starcoach] unexpected error on ${c.req.method} ${c.req.path}:`, err);
  const { status, code, message, retryAfter } = errorInfo(err);
  if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
  return errorResponse(c, status as ContentfulStatusCode, code, message);
}
