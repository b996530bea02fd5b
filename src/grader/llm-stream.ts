/**
 * Streaming for the LLM grader: the same prompt and schema through streamText, so the web page can
 * show each part's feedback while the model is still writing. The schema is asked for in the same
 * mode as the one-shot call (structured.ts), and the reply is read and validated the same way; if
 * it does not match, the grader's own non-streaming call (with its corrective retry) takes over.
 */
import { streamText } from "ai";
import { buildPrompt } from "../core/prompt.js";
import { GRADE_SPEC } from "./llm.js";
import { chatModel, isOutputFailure, toModelError, usageFrom, type LlmSettings } from "./model.js";
import type { Repaired } from "./repair.js";
import { callSettings, endpointProfile, mergeRepairs, modeRequest, noteReasoning, parseToolReply, recoverToolChoiceViolation, withModeFallback } from "./structured.js";
import { GradingAborted, type GradeOptions, type Grader, type GradeOutcome, type GradeRequest, type PartialGrade, type StructuredMode } from "./types.js";
import type { ModelGrade } from "../core/feedback.js";

/** `grader` with gradeStream added; its grade() (and so caching, promptVersion) is unchanged. */
export function withStreaming(grader: Grader, settings: LlmSettings, template: string): Grader {
  const model = chatModel(settings);
  const profile = endpointProfile(settings);

  async function streamIn(mode: StructuredMode, request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>, signal?: AbortSignal): Promise<GradeOutcome> {
    const prompt = buildPrompt(template, request);
    const options = await modeRequest(GRADE_SPEC, mode, prompt);
    let streamError: unknown = null;
    const result = streamText({
      model,
      prompt: prompt.user,
      temperature: 0,
      ...callSettings(settings, profile),
      ...options,
      ...(signal ? { abortSignal: signal } : {}),
      // Errors become part of the stream rather than throws; keep the first one to report it.
      onError: ({ error }) => {
        streamError ??= error;
      },
    });
    // The answer so far (text, or the function's arguments in tool mode), shown whenever it parses to something new.
    let soFar = "";
    let shown = "";
    try {
      for await (const part of result.fullStream) {
        if (part.type === "error") throw part.error;
        if (part.type === "text-delta") soFar += part.text;
        else if (part.type === "tool-input-delta") soFar += part.delta;
        else continue;
        const partial = (await GRADE_SPEC.output.parsePartialOutput({ text: soFar }))?.partial;
        const json = partial === undefined ? "" : JSON.stringify(partial);
        if (json && json !== shown) {
          shown = json;
          await onPartial(partial!);
        }
      }
      if (streamError) throw streamError;
      const { value, repairs }: Repaired<ModelGrade> = "output" in options
        ? await result.output
        : await parseToolReply(GRADE_SPEC, { text: await result.text, toolCalls: await result.toolCalls, response: await result.response, usage: await result.usage, finishReason: await result.finishReason });
      const [usage, reasoningText] = [usageFrom(await result.usage), await result.reasoningText];
      noteReasoning(profile, reasoningText, usage);
      return { grade: value, usage, repaired: mergeRepairs(Boolean(reasoningText), repairs) };
    } catch (error) {
      if ("output" in options) throw error;
      const { value, repairs, reasoning } = await recoverToolChoiceViolation(GRADE_SPEC, error);
      return { grade: value, usage: null, repaired: mergeRepairs(reasoning, repairs) };
    }
  }

  async function gradeStream(request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>, options: GradeOptions = {}): Promise<GradeOutcome> {
    const { signal } = options;
    try {
      return await withModeFallback(settings.structured, profile, (mode) => streamIn(mode, request, onPartial, signal));
    } catch (error) {
      if (signal?.aborted) throw new GradingAborted();
      // An unusable reply gets the one-shot call's corrective retry.
      if (isOutputFailure(error)) return grader.grade(request, options);
      throw toModelError(error, settings);
    }
  }

  return { ...grader, gradeStream };
}
