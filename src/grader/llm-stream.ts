/**
 * Streaming for the LLM grader: the same prompt and schema through streamText, so the web page can
 * show each part's feedback while the model is still writing. The schema is asked for in the same
 * mode as the one-shot call (structured.ts), and the reply is read and validated the same way; if
 * it does not match, the grader's own non-streaming call (with its corrective retry) takes over.
 */
import { streamText, type DeepPartial, type LanguageModel } from "ai";
import { buildPrompt, type Prompt } from "../core/prompt.js";
import { GRADE_SPEC } from "./llm.js";
import { chatModel, isOutputFailure, toModelError, usageFrom, type LlmSettings } from "./model.js";
import type { Repaired } from "./repair.js";
import {
  callSettings,
  endpointProfile,
  mergeRepairs,
  modeRequest,
  noteReasoning,
  parseToolReply,
  recoverToolChoiceViolation,
  withModeFallback,
  type EndpointProfile,
  type StructuredResult,
  type StructuredSpec,
} from "./structured.js";
import { GradingAborted, type GradeOptions, type Grader, type GradeOutcome, type GradeRequest, type PartialGrade, type StructuredMode } from "./types.js";

/** Called with each new parse of a reply still being written: any field may be missing or cut short. */
export type OnPartial<T> = (partial: DeepPartial<T>) => void | Promise<void>;

/**
 * One structured call through streamText in `mode`: `onPartial` sees each new parse of the reply so
 * far; the whole reply is then read and validated like a one-shot call's (structured.ts).
 */
export async function streamStructured<T>(
  call: { model: LanguageModel; settings: LlmSettings; profile: EndpointProfile },
  spec: StructuredSpec<T>,
  mode: StructuredMode,
  prompt: Prompt,
  onPartial: OnPartial<T>,
  signal?: AbortSignal,
): Promise<StructuredResult<T>> {
  const { model, settings, profile } = call;
  const options = await modeRequest(spec, mode, prompt);
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
      const partial = (await spec.output.parsePartialOutput({ text: soFar }))?.partial;
      const json = partial === undefined ? "" : JSON.stringify(partial);
      if (json && json !== shown) {
        shown = json;
        await onPartial(partial!);
      }
    }
    if (streamError) throw streamError;
    const { value, repairs }: Repaired<T> = "output" in options
      ? await result.output
      : await parseToolReply(spec, { text: await result.text, toolCalls: await result.toolCalls, response: await result.response, usage: await result.usage, finishReason: await result.finishReason });
    const [usage, reasoningText] = [usageFrom(await result.usage), await result.reasoningText];
    noteReasoning(profile, reasoningText, usage);
    return { output: value, usage, repaired: mergeRepairs(Boolean(reasoningText), repairs), mode };
  } catch (error) {
    if ("output" in options) throw error;
    const { value, repairs, reasoning } = await recoverToolChoiceViolation(spec, error);
    return { output: value, usage: null, repaired: mergeRepairs(reasoning, repairs), mode };
  }
}

/** `grader` with gradeStream added; its grade() (and so caching, promptVersion) is unchanged. */
export function withStreaming(grader: Grader, settings: LlmSettings, template: string): Grader {
  const call = { model: chatModel(settings), settings, profile: endpointProfile(settings) };
  const { profile } = call;

  async function streamIn(mode: StructuredMode, request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>, signal?: AbortSignal): Promise<GradeOutcome> {
    const { output, usage, repaired } = await streamStructured(call, GRADE_SPEC, mode, buildPrompt(template, request), onPartial, signal);
    return { grade: output, usage, repaired };
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
