/**
 * The model client shared by every model call (one-shot grading, streaming, the doctor's probe): the
 * configured Chat Completions model, and the mapping of whatever the SDK throws to a ModelError.
 */
import { createOpenAI } from "@ai-sdk/openai";
import {
  APICallError,
  extractReasoningMiddleware,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  RetryError,
  wrapLanguageModel,
  type LanguageModel,
  type LanguageModelUsage,
} from "ai";
import { ModelError, type ReasoningEffort, type StructuredSetting, type Usage } from "./types.js";

export interface LlmSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** How to ask for JSON (structured.ts); default `auto`. */
  structured?: StructuredSetting;
  /** Sent as `reasoning_effort` (providerOptions.openai.reasoningEffort) when set. */
  reasoningEffort?: ReasoningEffort;
  /** Output token budget; unset: one that grows once the endpoint shows it reasons (structured.ts). */
  maxOutputTokens?: number;
  /** Injectable for tests and runtimes with their own fetch. */
  fetch?: typeof globalThis.fetch;
}

export function innermost(error: unknown): unknown {
  return RetryError.isInstance(error) ? error.lastError : error;
}

/** The call was aborted by its timeout (the SDK passes the AbortSignal's error through). */
export function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; cause?: { name?: string } } | null;
  return e?.name === "TimeoutError" || e?.name === "AbortError" || e?.cause?.name === "TimeoutError";
}

/** The provider's Retry-After in whole seconds, when it sent a usable one. */
export function retryAfterSeconds(error: APICallError): number | undefined {
  const raw = error.responseHeaders?.["retry-after"];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

/** The model answered, but with nothing usable: unparseable, off-schema, or empty (out of tokens). */
export function isOutputFailure(error: unknown): boolean {
  const e = innermost(error);
  return NoObjectGeneratedError.isInstance(e) || NoOutputGeneratedError.isInstance(e);
}

/** Map whatever the SDK threw to a ModelError with a message a person can act on (the SDK's error as its cause). */
export function toModelError(error: unknown, settings: Pick<LlmSettings, "timeoutMs" | "model">): ModelError {
  if (error instanceof ModelError) return error;
  const fail = (code: ModelError["code"], status: ModelError["status"], message: string, retryAfter?: number) =>
    new ModelError(code, status, message, retryAfter, { cause: error });
  const e = innermost(error);
  if (isTimeout(e) || isTimeout(error)) {
    return fail("model_timeout", 504, `The model did not answer within ${settings.timeoutMs} ms (STARCOACH_MODEL_TIMEOUT_MS).`);
  }
  if (APICallError.isInstance(e)) {
    if (e.statusCode === 429) {
      return fail("model_rate_limited", 503, "The model provider is rate-limiting requests; try again shortly.", retryAfterSeconds(e));
    }
    if (e.statusCode === 401 || e.statusCode === 403) {
      return fail("model_auth_failed", 502, "The model provider rejected the API key (check OPENAI_API_KEY).");
    }
    if (e.statusCode === 400 || e.statusCode === 422) {
      return fail("model_unavailable", 502, `The model server rejected the request (HTTP ${e.statusCode}); run \`starcoach doctor\` to see what it accepts (STARCOACH_STRUCTURED, STARCOACH_MODEL).`);
    }
    if (e.statusCode === 404) {
      return fail("model_unavailable", 502, `The model provider does not know the model "${settings.model}" (check STARCOACH_MODEL and OPENAI_BASE_URL).`);
    }
    return fail("model_unavailable", 502, `The model provider failed${e.statusCode ? ` with HTTP ${e.statusCode}` : ""}; try again later.`);
  }
  if (isOutputFailure(e)) {
    return fail("model_output_invalid", 502, "The model's answer did not match the feedback schema, twice; try again or use another model.");
  }
  return fail("model_unavailable", 502, "The model could not be reached; check OPENAI_BASE_URL and try again.");
}

/**
 * The configured model. Chat Completions is the API every OpenAI-compatible server implements
 * (Ollama, LM Studio, llama.cpp, vLLM, …). Reasoning models served that way often print their
 * thinking inside the content as <think>…</think>; the SDK's own middleware moves it out of the
 * text (into the result's reasoning), so only the answer is parsed.
 */
export function chatModel(settings: LlmSettings): LanguageModel {
  const provider = createOpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  return wrapLanguageModel({ model: provider.chat(settings.model), middleware: extractReasoningMiddleware({ tagName: "think" }) });
}

/** Token usage as the provider reported it; null when the server sent no usage block at all. */
export function usageFrom(usage: LanguageModelUsage): Usage | null {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return null;
  const reasoningTokens = usage.outputTokenDetails?.reasoningTokens ?? 0;
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
  };
}
