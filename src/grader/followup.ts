/**
 * Judging a follow-up drill answer: by rules (offline) or by the model against
 * prompts/followup-rubric.md, as one structured-output call like the STAR grading.
 */
import { ModelFollowUpSchema, judgeFollowUpByRules } from "../core/followup.js";
import { buildPrompt, factsBlock, fenceAnswer, promptVersion } from "../core/prompt.js";
import type { LlmSettings } from "./model.js";
import { createStructuredCaller, structuredSpec, type StructuredCaller } from "./structured.js";
import type { FollowUpOutcome, FollowUpRequest } from "./types.js";

/** Rules version for follow-up drills: bump when the rules change. */
export const OFFLINE_FOLLOW_UP_VERSION = "followup-offline-1";

export async function offlineFollowUp(request: FollowUpRequest): Promise<FollowUpOutcome> {
  return { judgement: judgeFollowUpByRules(request.question, request.answer, request.analysis), usage: null, promptVersion: OFFLINE_FOLLOW_UP_VERSION };
}

const FOLLOW_UP_SPEC = structuredSpec(ModelFollowUpSchema, "follow_up_judgement");

export function followUpPrompt(template: string, r: FollowUpRequest) {
  const conflicts = r.computed.length ? r.computed.map((c) => `- ${c.explanation} Story: “${c.original}” Follow-up: “${c.followUp}”`).join("\n") : "(none found)";
  return buildPrompt(template, { answer: r.answer, question: r.question, principle: r.principle, analysis: r.analysis }, {
    story_question: r.story.question ?? "(not given)",
    story: fenceAnswer(fenceAnswer(r.story.answer, "story")),
    computed_conflicts: conflicts,
    facts: factsBlock(r.analysis),
  });
}

/** The model's follow-up judge; `structured` is shared with the grader so endpoint learning carries over. */
export async function createLlmFollowUp(settings: LlmSettings, template: string, structured: StructuredCaller = createStructuredCaller(settings)) {
  const version = await promptVersion(template, ModelFollowUpSchema, "followup");
  return async (request: FollowUpRequest): Promise<FollowUpOutcome> => {
    const { output, usage } = await structured(FOLLOW_UP_SPEC, followUpPrompt(template, request), 0);
    return { judgement: output, usage, promptVersion: version };
  };
}
