/**
 * Streaming for the LLM grader: the same prompt and schema through streamText + Output.object, so
 * the web page can show each part's feedback while the model is still writing. The final object is
 * validated against the schema exactly as in llm.ts; if it does not match, the grader's own
 * non-streaming call (with its schema retry) takes over.
 */
import { NoObjectGeneratedError, Output, RetryError, streamText } from "ai";
import { ModelGradeSchema } from "../core/feedback.js";
import { buildPrompt } from "../core/prompt.js";
import { chatModel, toModelError, type LlmSettings } from "./llm.js";
import { GradingAborted, type GradeOptions, type Grader, type GradeOutcome, type GradeRequest, type PartialGrade } from "./types.js";

function isSchemaFailure(error: unknown): boolean {
  const inner = RetryError.isInstance(error) ? error.lastError : error;
  return NoObjectGeneratedError.isInstance(inner);
}

/** `grader` with gradeStream added; its grade() (and so caching, promptVersion) is unchanged. */
export function withStreaming(grader: Grader, settings: LlmSettings, template: string): Grader {
  const model = chatModel(settings);
  // Built once: Output.object converts the zod schema to JSON Schema on construction.
  const streamOutput = Output.object({ schema: ModelGradeSchema, name: "star_feedback" });

  async function gradeStream(request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>, options: GradeOptions = {}): Promise<GradeOutcome> {
    const { signal } = options;
    const prompt = buildPrompt(template, request);
    let streamError: unknown = null;
    const result = streamText({
      model,
      instructions: prompt.system,
      prompt: prompt.user,
      output: streamOutput,
      temperature: 0,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
      ...(signal ? { abortSignal: signal } : {}),
      // Errors become part of the stream rather than throws; keep the first one to report it.
      onError: ({ error }) => {
        streamError ??= error;
      },
    });
    try {
      for await (const partial of result.partialOutputStream) await onPartial(partial);
      const output = await result.output;
      const usage = await result.usage;
      return { grade: output, usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } };
    } catch (error) {
      if (signal?.aborted) throw new GradingAborted();
      const cause = streamError ?? error;
      if (isSchemaFailure(cause) || isSchemaFailure(error)) return grader.grade(request, options);
      throw toModelError(cause, settings);
    }
  }

  return { ...grader, gradeStream };
}
