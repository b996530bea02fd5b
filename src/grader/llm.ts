/**
 * The LLM grader: the rubric prompt through the AI SDK's structured output (generateText +
 * Output.object with the zod schema) against any OpenAI-compatible Chat Completions endpoint.
 * Transport errors (429 with Retry-After, 5xx) are retried by the SDK; output that breaks the schema
 * is retried once here, then reported as model_output_invalid.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, generateText, NoObjectGeneratedError, Output, RetryError, type LanguageModel } from "ai";
import { ModelGradeSchema } from "../core/feedback.js";
import { buildPrompt, promptVersion } from "../core/prompt.js";
import { ModelError, type Grader, type GradeOutcome, type GradeRequest } from "./types.js";

export interface LlmSettings {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** Injectable for tests and runtimes with their own fetch. */
  fetch?: typeof globalThis.fetch;
}

const SCHEMA_ATTEMPTS = 2;

function innermost(error: unknown): unknown {
  return RetryError.isInstance(error) ? error.lastError : error;
}

function isTimeout(error: unknown): boolean {
  const e = error as { name?: string; cause?: { name?: string } } | null;
  return e?.name === "TimeoutError" || e?.name === "AbortError" || e?.cause?.name === "TimeoutError";
}

function retryAfterSeconds(error: APICallError): number | undefined {
  const raw = error.responseHeaders?.["retry-after"];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

/** Map whatever the SDK threw to a ModelError with a message a person can act on. */
export function toModelError(error: unknown, settings: Pick<LlmSettings, "timeoutMs" | "model">): ModelError {
  if (error instanceof ModelError) return error;
  const e = innermost(error);
  if (isTimeout(e) || isTimeout(error)) {
    return new ModelError("model_timeout", 504, `The model did not answer within ${settings.timeoutMs} ms (STARCOACH_MODEL_TIMEOUT_MS).`);
  }
  if (APICallError.isInstance(e)) {
    if (e.statusCode === 429) {
      return new ModelError("model_rate_limited", 503, "The model provider is rate-limiting requests; try again shortly.", retryAfterSeconds(e));
    }
    if (e.statusCode === 401 || e.statusCode === 403) {
      return new ModelError("model_auth_failed", 502, "The model provider rejected the API key (check OPENAI_API_KEY).");
    }
    if (e.statusCode === 404) {
      return new ModelError("model_unavailable", 502, `The model provider does not know the model "${settings.model}" (check STARCOACH_MODEL and OPENAI_BASE_URL).`);
    }
    return new ModelError("model_unavailable", 502, `The model provider failed${e.statusCode ? ` with HTTP ${e.statusCode}` : ""}; try again later.`);
  }
  if (NoObjectGeneratedError.isInstance(e)) {
    return new ModelError("model_output_invalid", 502, "The model's answer did not match the feedback schema, twice; try again or use another model.");
  }
  return new ModelError("model_unavailable", 502, "The model could not be reached; check OPENAI_BASE_URL and try again.");
}

/** The configured model, shared by the one-shot grader here and the streaming one (llm-stream.ts). */
export function chatModel(settings: LlmSettings): LanguageModel {
  const provider = createOpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  // Chat Completions: the API every OpenAI-compatible server (Ollama, vLLM, …) implements.
  return provider.chat(settings.model);
}

export async function createLlmGrader(settings: LlmSettings, template: string): Promise<Grader> {
  const model = chatModel(settings);
  const version = await promptVersion(template);

  async function callOnce(request: GradeRequest): Promise<GradeOutcome> {
    const prompt = buildPrompt(template, request);
    const result = await generateText({
      model,
      instructions: prompt.system,
      prompt: prompt.user,
      output: Output.object({ schema: ModelGradeSchema, name: "star_feedback" }),
      temperature: 0,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
    });
    return {
      grade: result.output,
      usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    };
  }

  return {
    mode: "llm",
    model: settings.model,
    promptVersion: version,
    notice: null,
    async grade(request) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await callOnce(request);
        } catch (error) {
          const schemaFailure = NoObjectGeneratedError.isInstance(innermost(error));
          if (schemaFailure && attempt < SCHEMA_ATTEMPTS) continue;
          throw toModelError(error, settings);
        }
      }
    },
  };
}
