/**
 * Builds the grading prompt from the rubric template (prompts/star-rubric.md, passed in as text so
 * this module stays free of I/O) and derives promptVersion from the template and output schema.
 */
import { z } from "zod";
import type { Analysis } from "./analyze.js";
import { ModelGradeSchema } from "./feedback.js";
import { sha256Hex } from "./hash.js";
import { PRINCIPLES, type Principle } from "./principles.js";

export interface Prompt {
  system: string;
  user: string;
}

const SYSTEM_MARK = "=== SYSTEM ===";
const USER_MARK = "=== USER ===";

function percent(ratio: number | null): string {
  return ratio === null ? "n/a (no I or we)" : `${Math.round(ratio * 100)}%`;
}

/**
 * Figures that do not depend on how the sentences are labelled (the model labels them): counts,
 * time, pronouns over the whole answer, numbers and amounts.
 */
export function factsBlock(a: Analysis): string {
  return [
    `- words: ${a.words}; sentences: ${a.sentences.length}`,
    `- estimated speaking time: ${a.speakingSeconds}s at ${a.wordsPerMinute} words/min (target ${a.targetSeconds.min}–${a.targetSeconds.max}s): ${a.lengthVerdict}`,
    `- "I" references: ${a.iCount}; "we" references: ${a.weCount}; I-ratio over the whole answer: ${percent(a.iRatio)}`,
    `- numbers in the answer: ${a.numbers.length ? a.numbers.join(", ") : "none"}; amounts in digits or words: ${a.quantities.length ? a.quantities.join(", ") : "none"}`,
  ].join("\n");
}

/** The answer's sentences as the code splits them, numbered for the model's per-sentence labels. */
export function sentencesBlock(a: Analysis): string {
  return a.sentences.map((s, i) => `[${i}] ${fenceAnswer(s.text)}`).join("\n");
}

/** Keep the answer inside its fence: a closing tag in the answer cannot end the data block. */
export function fenceAnswer(answer: string, tag = "answer"): string {
  return answer.replace(new RegExp(`<\\s*\\/?\\s*${tag}\\s*>`, "gi"), (t) => t.replace("<", "‹").replace(">", "›"));
}

/** `extra` fills template-specific placeholders (e.g. {{first_pass}} in the bar-raiser prompt). */
export function buildPrompt(
  template: string,
  input: { answer: string; question: string | null; principle: Principle; analysis: Analysis },
  extra: Record<string, string> = {},
): Prompt {
  const sys = template.indexOf(SYSTEM_MARK);
  const usr = template.indexOf(USER_MARK);
  if (sys < 0 || usr < sys) throw new Error(`prompt template needs "${SYSTEM_MARK}" then "${USER_MARK}"`);
  const p = input.principle;
  const values: Record<string, string> = {
    principle_name: p.name,
    principle_id: p.id,
    principle_description: p.description,
    strong_signals: p.strongSignals.map((s) => `- ${s}`).join("\n"),
    weak_signals: p.weakSignals.map((s) => `- ${s}`).join("\n"),
    other_principles: PRINCIPLES.filter((o) => o.id !== p.id).map((o) => o.id).join(", "),
    question: input.question ?? "(not given)",
    facts: factsBlock(input.analysis),
    sentences: sentencesBlock(input.analysis),
    ...extra,
    answer: fenceAnswer(input.answer),
  };
  // One pass over the template, so placeholder-like text inside the answer is never expanded.
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
  return {
    system: fill(template.slice(sys + SYSTEM_MARK.length, usr)).trim(),
    user: fill(template.slice(usr + USER_MARK.length)).trim(),
  };
}

/** A short content hash of the prompt template(s) and the model output schema. */
export async function promptVersion(template: string, schema: z.ZodType = ModelGradeSchema, prefix = "star"): Promise<string> {
  const json = JSON.stringify(z.toJSONSchema(schema));
  return `${prefix}-${sha256Hex(`${template}\n${json}`).slice(0, 12)}`;
}
