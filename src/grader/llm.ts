/**
 * The LLM grader: the rubric prompt as one structured-output call (structured.ts: the zod schema as
 * the response format, tolerant reading of the reply, validation, one corrective retry) against any
 * OpenAI-compatible Chat Completions endpoint. Transport errors (429 with Retry-After, 5xx) are
 * retried by the SDK.
 */
import { ModelBarRaiserSchema } from "../core/bar-raiser.js";
import { ModelGradeSchema } from "../core/feedback.js";
import { STAR_PARTS } from "../core/star-split.js";
import { buildPrompt, promptVersion } from "../core/prompt.js";
import type { LlmSettings } from "./model.js";
import { createLlmFollowUp } from "./followup.js";
import { offlineBarRaise } from "./offline.js";
import { createStructuredCaller, structuredSpec } from "./structured.js";
import type { Grader } from "./types.js";

/** Built once: converting the zod schemas to JSON Schema is a measurable cost per call. */
export const GRADE_SPEC = structuredSpec(ModelGradeSchema, "star_feedback");
const BAR_RAISER_SPEC = structuredSpec(ModelBarRaiserSchema, "bar_raiser");

/**
 * @param template the STAR rubric (prompts/star-rubric.md)
 * @param barRaiserTemplate the bar-raiser prompt (prompts/bar-raiser.md); without it the bar-raiser
 *   pass falls back to the rule-based one.
 * @param followUpTemplate the follow-up drill rubric (prompts/followup-rubric.md); without it drills
 *   are judged by the rules.
 */
export async function createLlmGrader(settings: LlmSettings, template: string, barRaiserTemplate?: string, followUpTemplate?: string): Promise<Grader> {
  const structured = createStructuredCaller(settings);
  const version = await promptVersion(barRaiserTemplate ? `${template}\n${barRaiserTemplate}` : template);
  const followUp = followUpTemplate ? await createLlmFollowUp(settings, followUpTemplate, structured) : undefined;

  return {
    mode: "llm",
    model: settings.model,
    promptVersion: version,
    notice: null,
    ...(followUp ? { followUp } : {}),
    async grade(request, options = {}) {
      const { output, usage, repaired } = await structured(GRADE_SPEC, buildPrompt(template, request), options.temperature ?? 0, options.signal);
      return { grade: output, usage, repaired };
    },
    async barRaise(request, firstPass, options = {}) {
      if (!barRaiserTemplate) return offlineBarRaise(request, firstPass);
      const scores = Object.fromEntries(STAR_PARTS.map((p) => [p, firstPass[p].score]));
      const firstPassText = JSON.stringify({ ...scores, principleFit: firstPass.principleFit.score, betterFits: firstPass.principleFit.betterFits });
      const prompt = buildPrompt(barRaiserTemplate, request, { first_pass: firstPassText });
      const { output, usage, repaired } = await structured(BAR_RAISER_SPEC, prompt, 0, options.signal);
      return { barRaiser: output, usage, repaired };
    },
  };
}
