/**
 * Tool results for the MCP server: a text block for the assistant to read plus the same data as
 * structured content for programs; failures are tool errors (isError) carrying the API's error
 * codes, so a client can tell "fix the input" from "try again later".
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ModelError } from "../grader/types.js";
import { InputError } from "../grading.js";
import { errorBody } from "../http/errors.js";

export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured };
}

/** The code leads the text ("unknown_principle: …") so an assistant that only reads text sees it too. */
export function toolError(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: `${code}: ${message}` }], structuredContent: errorBody(code, message) };
}

/** Bad input and model failures keep their codes; anything else is logged and reported without internals. */
export function errorResult(err: unknown, log: (message: string) => void): CallToolResult {
  if (err instanceof InputError || err instanceof ModelError) return toolError(err.code, err.message);
  log(`unexpected error in a tool call: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return toolError("internal_error", "Something went wrong on our side; the call was not completed.");
}
