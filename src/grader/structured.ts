/**
 * One structured-output call to the model: the prompt, the schema as the response format, the
 * reply read through the repairs of repair.ts and validated against the schema. A reply that is
 * still invalid is asked for again once, with what was wrong added to the prompt; a second invalid
 * reply is an error (model_output_invalid). Used by the grader, its streaming variant and the doctor.
 */
import { generateText, JSONParseError, NoObjectGeneratedError, NoOutputGeneratedError, Output, TypeValidationError, type DeepPartial, type LanguageModel } from "ai";
import type { z } from "zod";
import type { Prompt } from "../core/prompt.js";
import { chatModel, innermost, isOutputFailure, toModelError, usageFrom, type LlmSettings } from "./model.js";
import { repairingOutput, type Repair, type Repaired } from "./repair.js";
import type { Usage } from "./types.js";

/** A reply that breaks the schema is asked for once more; the second failure is reported. */
export const SCHEMA_ATTEMPTS = 2;

/** A schema ready for structured calls; build it once (Output.object converts zod to JSON Schema). */
export interface StructuredSpec<T> {
  name: string;
  output: Output.Output<Repaired<T>, DeepPartial<T>, never>;
}

export function structuredSpec<T>(schema: z.ZodType<T>, name: string): StructuredSpec<T> {
  return { name, output: repairingOutput(Output.object({ schema, name })) };
}

export interface StructuredResult<T> {
  output: T;
  usage: Usage | null;
  /** What had to be removed to reach the JSON: reasoning, a fence, prose (empty when nothing). */
  repaired: Repair[];
}

/** "reasoning" first when the SDK's reasoning middleware took a <think> block out of the text. */
export function mergeRepairs(reasoningText: string | undefined, repairs: readonly Repair[]): Repair[] {
  const all: Repair[] = reasoningText ? ["reasoning", ...repairs] : [...repairs];
  return [...new Set(all)];
}

/** What was wrong with a reply, in words the model can act on in the retry. */
export function describeOutputFailure(error: unknown): string {
  const e = innermost(error);
  if (NoOutputGeneratedError.isInstance(e)) return "the reply was empty";
  if (!NoObjectGeneratedError.isInstance(e)) return "the reply did not match the schema";
  if (e.finishReason === "length") return "the reply was cut off at the output token limit; keep it shorter";
  if (JSONParseError.isInstance(e.cause)) return "the reply was not one JSON object";
  const issues = TypeValidationError.isInstance(e.cause) ? (e.cause.cause as { issues?: Array<{ path: PropertyKey[]; message: string }> } | undefined)?.issues : undefined;
  if (!issues?.length) return "the reply did not match the schema";
  const listed = issues.slice(0, 5).map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
  return `the reply did not match the schema (${listed.join("; ")}${issues.length > 5 ? `; and ${issues.length - 5} more` : ""})`;
}

/** The prompt for the second attempt: the first one, plus what was wrong with the reply. */
export function withCorrection(prompt: Prompt, problem: string | null): Prompt {
  if (!problem) return prompt;
  return { system: prompt.system, user: `${prompt.user}\n\nYour previous reply could not be used: ${problem}. Reply again with only the JSON object, exactly as the schema asks.` };
}

export type StructuredCaller = <T>(spec: StructuredSpec<T>, prompt: Prompt, temperature: number) => Promise<StructuredResult<T>>;

export function createStructuredCaller(settings: LlmSettings, model: LanguageModel = chatModel(settings)): StructuredCaller {
  async function once<T>(spec: StructuredSpec<T>, prompt: Prompt, temperature: number): Promise<StructuredResult<T>> {
    const result = await generateText({
      model,
      instructions: prompt.system,
      prompt: prompt.user,
      output: spec.output,
      temperature,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
    });
    const { value, repairs } = result.output;
    return { output: value, usage: usageFrom(result.usage), repaired: mergeRepairs(result.reasoningText, repairs) };
  }

  return async (spec, prompt, temperature) => {
    let problem: string | null = null;
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(spec, withCorrection(prompt, problem), temperature);
      } catch (error) {
        if (isOutputFailure(error) && attempt < SCHEMA_ATTEMPTS) {
          problem = describeOutputFailure(error);
          continue;
        }
        throw toModelError(error, settings);
      }
    }
  };
}
