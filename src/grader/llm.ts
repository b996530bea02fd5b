/**
 * The LLM grader: the rubric prompt through the AI SDK's structured output (generateText +
 * Output.object with the zod schema) against any OpenAI-compatible Chat Completions endpoint.
 * Transport errors (429 with Retry-After, 5xx) are retried by the SDK; output that breaks the schema
 * is retried once here, then reported as model_output_invalid.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, generateText, NoObjectGeneratedError, Output, RetryError, type LanguageModel } from "ai";
import { ModelBarRaiserSchema } from "../core/bar-raiser.js";
import { ModelGradeSchema } from "../core/feedback.js";
import { STAR_PARTS } from "../core/star-split.js";
import { buildPrompt, promptVersion } from "../core/prompt.js";
import { offlineBarRaise } from "./offline.js";
import { GradingAborted, ModelError, type Grader, type Usage } from "./types.js";

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

/**
 * @param template the STAR rubric (prompts/star-rubric.md)
 * @param barRaiserTemplate the bar-raiser prompt (prompts/bar-raiser.md); without it the bar-raiser
 *   pass falls back to the rule-based one.
 */
export async function createLlmGrader(settings: LlmSettings, template: string, barRaiserTemplate?: string): Promise<Grader> {
  const model = chatModel(settings);
  const version = await promptVersion(barRaiserTemplate ? `${template}\n${barRaiserTemplate}` : template);

  // Built once: Output.object converts the zod schema to JSON Schema, a measurable cost per call.
  const gradeOutput = Output.object({ schema: ModelGradeSchema, name: "star_feedback" });
  const barRaiserOutput = Output.object({ schema: ModelBarRaiserSchema, name: "bar_raiser" });

  /** One structured-output call; output that breaks the schema is retried once, then reported. */
  async function structured<T>(output: Output.Output<T>, prompt: { system: string; user: string }, temperature: number, signal?: AbortSignal) {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await generateText({
          model,
          instructions: prompt.system,
          prompt: prompt.user,
          output,
          temperature,
          maxRetries: settings.maxRetries,
          timeout: settings.timeoutMs,
          ...(signal ? { abortSignal: signal } : {}),
        });
        const usage: Usage = { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 };
        return { output: result.output as T, usage };
      } catch (error) {
        if (signal?.aborted) throw new GradingAborted();
        const schemaFailure = NoObjectGeneratedError.isInstance(innermost(error));
        if (schemaFailure && attempt < SCHEMA_ATTEMPTS) continue;
        throw toModelError(error, settings);
      }
    }
  }

  return {
    mode: "llm",
    model: settings.model,
    promptVersion: version,
    notice: null,
    async grade(request, options = {}) {
      const { output, usage } = await structured(gradeOutput, buildPrompt(template, request), options.temperature ?? 0, options.signal);
      return { grade: output, usage };
    },
    async barRaise(request, firstPass, options = {}) {
      if (!barRaiserTemplate) return offlineBarRaise(request, firstPass);
      const scores = Object.fromEntries(STAR_PARTS.map((p) => [p, firstPass[p].score]));
      const firstPassText = JSON.stringify({ ...scores, principleFit: firstPass.principleFit.score, betterFits: firstPass.principleFit.betterFits });
      const prompt = buildPrompt(barRaiserTemplate, request, { first_pass: firstPassText });
      const { output, usage } = await structured(barRaiserOutput, prompt, 0, options.signal);
      return { barRaiser: output, usage };
    },
  };
}
