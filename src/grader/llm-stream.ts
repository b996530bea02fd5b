/**
 * Streaming for the LLM grader: the same prompt and schema through streamText, so the web page can
 * show each part's feedback while the model is still writing. The reply is read and validated
 * exactly as in the one-shot call (structured.ts); if it does not match, the grader's own
 * non-streaming call (with its corrective retry) takes over.
 */
import { streamText } from "ai";
import { buildPrompt } from "../core/prompt.js";
import { GRADE_SPEC } from "./llm.js";
import { chatModel, isOutputFailure, toModelError, usageFrom, type LlmSettings } from "./model.js";
import { mergeRepairs } from "./structured.js";
import type { Grader, GradeOutcome, GradeRequest, PartialGrade } from "./types.js";

/** `grader` with gradeStream added; its grade() (and so caching, promptVersion) is unchanged. */
export function withStreaming(grader: Grader, settings: LlmSettings, template: string): Grader {
  const model = chatModel(settings);

  async function gradeStream(request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>): Promise<GradeOutcome> {
    const prompt = buildPrompt(template, request);
    let streamError: unknown = null;
    const result = streamText({
      model,
      instructions: prompt.system,
      prompt: prompt.user,
      output: GRADE_SPEC.output,
      temperature: 0,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
      // Errors become part of the stream rather than throws; keep the first one to report it.
      onError: ({ error }) => {
        streamError ??= error;
      },
    });
    try {
      for await (const partial of result.partialOutputStream) await onPartial(partial);
      const { value, repairs } = await result.output;
      return { grade: value, usage: usageFrom(await result.usage), repaired: mergeRepairs(await result.reasoningText, repairs) };
    } catch (error) {
      // A failed request surfaces later as "no output"; the stream's own error is the real cause.
      const cause = streamError ?? error;
      if (isOutputFailure(cause)) return grader.grade(request);
      throw toModelError(cause, settings);
    }
  }

  return { ...grader, gradeStream };
}
