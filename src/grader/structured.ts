/**
 * One structured-output call to the model: the prompt, the schema, the reply read through the
 * repairs of repair.ts and validated against the schema. A reply that is still invalid is asked for
 * again once, with what was wrong added to the prompt; a second invalid reply is an error
 * (model_output_invalid). Used by the grader, its streaming variant and the doctor.
 *
 * How the schema is asked for depends on the server. `json_schema` (response_format with the
 * schema) is the best; some servers answer it with HTTP 400, so `auto` then tries `json_object`
 * (JSON mode, the schema written into the prompt) and then `tool` (one function whose parameters
 * are the schema). The first mode a server accepts is remembered per endpoint for the process.
 */
import {
  APICallError,
  generateText,
  jsonSchema,
  JSONParseError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  Output,
  tool,
  ToolChoiceViolationError,
  TypeValidationError,
  type DeepPartial,
  type FinishReason,
  type LanguageModel,
  type LanguageModelResponseMetadata,
  type LanguageModelUsage,
  type Tool,
} from "ai";
import type { z } from "zod";
import { OPENAI_DEFAULT_BASE_URL } from "../config.js";
import type { Prompt } from "../core/prompt.js";
import { chatModel, innermost, isOutputFailure, toModelError, usageFrom, type LlmSettings } from "./model.js";
import { repairingOutput, type Repair, type Repaired } from "./repair.js";
import { GradingAborted, STRUCTURED_MODES, type StructuredMode, type StructuredSetting, type Usage } from "./types.js";

/** A reply that breaks the schema is asked for once more; the second failure is reported. */
export const SCHEMA_ATTEMPTS = 2;

/** A schema ready for structured calls; build it once (Output.object converts zod to JSON Schema). */
export interface StructuredSpec<T> {
  name: string;
  /** json_schema mode: the schema as response_format. */
  output: Output.Output<Repaired<T>, DeepPartial<T>, never>;
  /** json_object mode: JSON mode without the schema (it goes into the prompt). */
  jsonObjectOutput: Output.Output<Repaired<T>, DeepPartial<T>, never>;
  /** tool mode: one function whose parameters are the schema. */
  tool: Tool;
  /** The instructions each mode adds to the system prompt. */
  instructions: Promise<Record<StructuredMode, string>>;
}

export function structuredSpec<T>(schema: z.ZodType<T>, name: string): StructuredSpec<T> {
  const object = Output.object({ schema, name });
  const schemaJson = Promise.resolve(object.responseFormat).then((format) => (format?.type === "json" ? format.schema : undefined) ?? {});
  return {
    name,
    output: repairingOutput(object),
    jsonObjectOutput: repairingOutput(object, Promise.resolve({ type: "json" })),
    tool: tool({ description: `Record the ${name.replace(/_/g, " ")}.`, inputSchema: jsonSchema(schemaJson) }),
    instructions: schemaJson.then((json) => ({
      json_schema: "",
      json_object: `\n\n## Output format\nReply with one JSON object and nothing else: no code fence, no text before or after it. It must match this JSON Schema:\n${JSON.stringify(json)}`,
      tool: `\n\n## Output format\nGive your result by calling the function \`${name}\`, with the whole object as its arguments.`,
    })),
  };
}

export interface StructuredResult<T> {
  output: T;
  usage: Usage | null;
  /** What had to be removed to reach the JSON: reasoning, a fence, prose (empty when nothing). */
  repaired: Repair[];
  /** How the schema was asked for. */
  mode: StructuredMode;
}

/** "reasoning" first when the SDK's reasoning middleware took a <think> block out of the text. */
export function mergeRepairs(reasoningRemoved: boolean, repairs: readonly Repair[]): Repair[] {
  const all: Repair[] = reasoningRemoved ? ["reasoning", ...repairs] : [...repairs];
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

// ---- Modes -------------------------------------------------------------------------------

/** What the process has learnt about one endpoint (base URL + model). */
export interface EndpointProfile {
  /** The structured mode the server accepted; null until a call has shown it. */
  mode: StructuredMode | null;
  /** The model thinks before it answers (reasoning seen, or a reply cut off at the budget): give it room. */
  reasons: boolean;
}

const profiles = new Map<string, EndpointProfile>();

export function endpointProfile(settings: Pick<LlmSettings, "baseURL" | "model">): EndpointProfile {
  const key = `${settings.baseURL ?? OPENAI_DEFAULT_BASE_URL}\n${settings.model}`;
  let profile = profiles.get(key);
  if (!profile) profiles.set(key, (profile = { mode: null, reasons: false }));
  return profile;
}

/** For tests: forget what was learnt about every endpoint. */
export function forgetEndpoints(): void {
  profiles.clear();
}

/** The server refused the request as made: it does not take this response_format or tools. */
export function rejectsMode(error: unknown): boolean {
  const e = innermost(error);
  return APICallError.isInstance(e) && (e.statusCode === 400 || e.statusCode === 422);
}

/** The modes to try, in order: the configured one, or what was learnt, or all of them. */
export function modesToTry(setting: StructuredSetting | undefined, profile: EndpointProfile): readonly StructuredMode[] {
  if (setting && setting !== "auto") return [setting];
  return profile.mode ? [profile.mode] : STRUCTURED_MODES;
}

/**
 * Run `call` in the first mode the server accepts. A 400/422 moves on to the next mode; any answer
 * from the server (valid or not) fixes the mode for the endpoint. Other errors leave it unknown.
 */
export async function withModeFallback<R>(setting: StructuredSetting | undefined, profile: EndpointProfile, call: (mode: StructuredMode) => Promise<R>): Promise<R> {
  const modes = modesToTry(setting, profile);
  for (let i = 0; ; i++) {
    const mode = modes[i]!;
    try {
      const result = await call(mode);
      profile.mode = mode;
      return result;
    } catch (error) {
      if (isOutputFailure(error)) {
        profile.mode = mode;
        if (wasCutOff(error)) profile.reasons = true;
      }
      if (!(rejectsMode(error) && i + 1 < modes.length)) throw error;
    }
  }
}

// ---- Budget and reasoning -----------------------------------------------------------------

/**
 * Output token budgets. A grading is under 1,000 tokens of JSON; a plain model gets four times that
 * (a cap that also ends a small model's runaway repetition). A reasoning model writes its thinking
 * first, often several thousand tokens, so it gets 16,384.
 */
export const OUTPUT_TOKENS = { plain: 4_096, reasoning: 16_384 } as const;

function wasCutOff(error: unknown): boolean {
  const e = innermost(error);
  return NoObjectGeneratedError.isInstance(e) && e.finishReason === "length";
}

/** After a reply: remember that the model reasons, so later calls get the larger budget. */
export function noteReasoning(profile: EndpointProfile, reasoningText: string | undefined, usage: Usage | null): void {
  if (reasoningText || (usage?.reasoningTokens ?? 0) > 0) profile.reasons = true;
}

/** OpenAI's model families that always reason before they answer (o1, o3, o4-mini, gpt-5…). */
const ALWAYS_REASONS = /^(o\d|gpt-5)/;

/** The settings every call sends: retries, timeout, output budget and, when configured, reasoning effort. */
export function callSettings(settings: LlmSettings, profile: EndpointProfile) {
  const effort = settings.reasoningEffort;
  const reasons = profile.reasons || ALWAYS_REASONS.test(settings.model) || (effort !== undefined && effort !== "none");
  return {
    maxRetries: settings.maxRetries,
    timeout: settings.timeoutMs,
    maxOutputTokens: settings.maxOutputTokens ?? (reasons ? OUTPUT_TOKENS.reasoning : OUTPUT_TOKENS.plain),
    ...(effort ? { providerOptions: { openai: { reasoningEffort: effort } } } : {}),
  };
}

/** The request options that ask for the schema in `mode`. */
export async function modeRequest<T>(spec: StructuredSpec<T>, mode: StructuredMode, prompt: Prompt) {
  const instructions = prompt.system + (await spec.instructions)[mode];
  if (mode === "tool") return { instructions, tools: { [spec.name]: spec.tool }, toolChoice: "required" as const };
  return { instructions, output: mode === "json_schema" ? spec.output : spec.jsonObjectOutput };
}

const NO_USAGE: LanguageModelUsage = {
  inputTokens: undefined,
  inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
  outputTokens: undefined,
  outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
  totalTokens: undefined,
};

interface StepForParse {
  text: string;
  toolCalls: ReadonlyArray<{ toolName: string; input: unknown }>;
  response: Omit<LanguageModelResponseMetadata, "messages" | "body">;
  usage: LanguageModelUsage;
  finishReason: FinishReason;
}

/**
 * The reply of a tool-mode call: the function's arguments (a raw string when they were not even
 * JSON), or the text when the model answered without calling it; read and validated like any reply.
 */
export function parseToolReply<T>(spec: StructuredSpec<T>, step: StepForParse): Promise<Repaired<T>> {
  const call = step.toolCalls.find((c) => c.toolName === spec.name);
  const text = call ? (typeof call.input === "string" ? call.input : JSON.stringify(call.input)) : step.text;
  return spec.output.parseCompleteOutput({ text }, { response: step.response, usage: step.usage, finishReason: step.finishReason });
}

/**
 * A tool-mode reply that answered in text instead of calling the function (the SDK then throws
 * ToolChoiceViolationError, whose content keeps the reply): read that text like any reply.
 */
export async function recoverToolChoiceViolation<T>(spec: StructuredSpec<T>, error: unknown): Promise<Repaired<T> & { reasoning: boolean }> {
  if (!ToolChoiceViolationError.isInstance(error)) throw error;
  const text = error.content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("");
  const response = { id: "", timestamp: new Date(), modelId: error.modelId };
  const parsed = await parseToolReply(spec, { text, toolCalls: [], response, usage: NO_USAGE, finishReason: error.finishReason });
  return { ...parsed, reasoning: error.content.some((part) => part.type === "reasoning") };
}

/** `signal` cancels the call (the client went away): it then throws GradingAborted. */
export type StructuredCaller = <T>(spec: StructuredSpec<T>, prompt: Prompt, temperature: number, signal?: AbortSignal) => Promise<StructuredResult<T>>;

export function createStructuredCaller(settings: LlmSettings, model: LanguageModel = chatModel(settings)): StructuredCaller {
  const profile = endpointProfile(settings);

  async function once<T>(spec: StructuredSpec<T>, mode: StructuredMode, prompt: Prompt, temperature: number, signal?: AbortSignal): Promise<StructuredResult<T>> {
    const request = await modeRequest(spec, mode, prompt);
    const call = generateText({ model, prompt: prompt.user, temperature, ...callSettings(settings, profile), ...request, ...(signal ? { abortSignal: signal } : {}) });
    const done = (result: Awaited<typeof call>, { value, repairs }: Repaired<T>): StructuredResult<T> => {
      const usage = usageFrom(result.usage);
      noteReasoning(profile, result.reasoningText, usage);
      return { output: value, usage, repaired: mergeRepairs(Boolean(result.reasoningText), repairs), mode };
    };
    if ("output" in request) {
      const result = await call;
      return done(result, result.output as Repaired<T>);
    }
    try {
      const result = await call;
      return done(result, await parseToolReply(spec, result));
    } catch (error) {
      const { value, repairs, reasoning } = await recoverToolChoiceViolation(spec, error);
      return { output: value, usage: null, repaired: mergeRepairs(reasoning, repairs), mode };
    }
  }

  return async (spec, prompt, temperature, signal) => {
    let problem: string | null = null;
    for (let attempt = 1; ; attempt++) {
      try {
        const asked = withCorrection(prompt, problem);
        return await withModeFallback(settings.structured, profile, (mode) => once(spec, mode, asked, temperature, signal));
      } catch (error) {
        if (signal?.aborted) throw new GradingAborted();
        if (isOutputFailure(error) && attempt < SCHEMA_ATTEMPTS) {
          problem = describeOutputFailure(error);
          continue;
        }
        throw toModelError(error, settings);
      }
    }
  };
}
