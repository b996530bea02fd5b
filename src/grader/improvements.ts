/**
 * The improvements list: one item per concern, at most five, most valuable first. Items come from
 * the counted figures, the part fixes and the model (or rules); two items about the same concern
 * (a number for the result, "we" vs "I", the length …) are one piece of advice, so only the first stays.
 */
import type { Analysis } from "../core/analyze.js";
import type { ModelGrade, Part } from "../core/feedback.js";
import type { StarPart } from "../core/star-split.js";
import { computedImprovements, type Improvement } from "./offline.js";

export const MAX_IMPROVEMENTS = 5;

// Checked in order: the first concern whose words occur in the advice names it.
const CONCERNS: Array<[string, RegExp]> = [
  ["hypothetical", /hypothetical|real (past )?(example|story)|what you would do|would do\b/i],
  ["length", /\b\d+\s?s\b|\bseconds?\b|\bminutes?\b|spoken|too long|too short|\bcut about\b/i],
  ["ownership", /[“"]we[”"]|\byourself\b|who did what|your own (part|contribution)|\bI\b.*\bwe\b|\bwe\b.*\bI\b/i],
  // A measurable goal is the task's concern, not the result's figure.
  ["task", /\bmeasurable (target|goal|deadline)\b/i],
  ["result-measure", /\bnumbers?\b|\bfigures?\b|quantif|measur|percentage|before and after|\bmetric/i],
  ["result-lesson", /\blearn|\blesson|differently|next time/i],
  ["situation", /\bcontext\b|\bsituation\b|set-?up|background|stakes/i],
  ["task", /responsib|\bgoal\b|\btask\b|\btarget\b|\bdeadline\b/i],
  ["action", /\bsteps?\b|\bactions?\b|what you (did|decided|built)/i],
  ["result", /\boutcome\b|\bresult\b|\bimpact\b/i],
];

export function concernOf(text: string): string {
  for (const [concern, pattern] of CONCERNS) if (pattern.test(text)) return concern;
  return `text:${text.toLowerCase().replace(/\W+/g, " ").trim()}`;
}

/** Keep the first item of each concern, in order, up to the limit. */
export function onePerConcern(items: readonly Improvement[], limit = MAX_IMPROVEMENTS): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    if (!item.text.trim() || seen.has(item.concern)) continue;
    seen.add(item.concern);
    out.push(item.text);
    if (out.length === limit) break;
  }
  return out;
}

const MISSING_ORDER: readonly StarPart[] = ["action", "result", "task", "situation"];

/**
 * Most valuable first: a hypothetical answer (it leads), missing parts, whose work it was, a figure
 * for the result, the length, then the grader's own advice and the fixes for weak parts.
 */
export function rankImprovements(a: Analysis, star: Record<StarPart, Part>, grade: ModelGrade): string[] {
  const computed = computedImprovements(a);
  const take = (concern: string) => computed.filter((i) => i.concern === concern);
  const fix = (p: StarPart): Improvement[] => (star[p].fix ? [{ concern: concernOf(star[p].fix!), text: star[p].fix! }] : []);
  // A hypothetical answer's missing parts are the same advice as "tell one real example".
  const missing = a.hypothetical ? [] : MISSING_ORDER.filter((p) => !star[p].present);
  return onePerConcern([
    ...take("hypothetical"),
    ...missing.flatMap((p) => fix(p).map((i) => ({ ...i, concern: p === "result" && i.concern === "result-measure" ? "result" : i.concern }))),
    ...take("ownership"),
    ...take("result-measure"),
    ...take("length"),
    ...grade.improvements.map((text) => ({ concern: concernOf(text), text })),
    ...MISSING_ORDER.filter((p) => star[p].present && star[p].score <= 2).flatMap(fix),
  ]);
}
