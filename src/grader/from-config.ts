/** The grader a runtime's configuration asks for: rules without a key, else the streaming-capable LLM grader. */
import type { Config } from "../config.js";
import { createLlmGrader } from "./llm.js";
import { withStreaming } from "./llm-stream.js";
import { createOfflineGrader } from "./offline-grader.js";
import { createOfflineRewriter } from "./rewrite-offline.js";
import { createLlmRewriter } from "./rewrite-llm.js";
import type { Rewriter } from "./rewriter.js";
import type { Grader } from "./types.js";

/** The prompt files' text: read from prompts/ on Node, bundled as Text modules on Workers. */
export interface PromptTemplates {
  rubric: string;
  barRaiser: string;
  /** prompts/followup-rubric.md; without it follow-up drills are judged by the rules. */
  followUp?: string;
}

export async function graderFromConfig(config: Config, prompts: PromptTemplates, fetchImpl?: typeof fetch): Promise<Grader> {
  if (!config.llm) return createOfflineGrader();
  const settings = { ...config.llm, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  // Streaming only adds gradeStream (used by the web page); grade() is the plain LLM grader.
  return withStreaming(await createLlmGrader(settings, prompts.rubric, prompts.barRaiser, prompts.followUp), settings, prompts.rubric);
}

/** The rewriter for the same configuration: rules without a key, else the model with prompts/rewrite.md. */
export async function rewriterFromConfig(config: Config, template: string, fetchImpl?: typeof fetch): Promise<Rewriter> {
  if (!config.llm) return createOfflineRewriter();
  return createLlmRewriter({ ...config.llm, ...(fetchImpl ? { fetch: fetchImpl } : {}) }, template);
}
