/**
 * The few lines an assistant reads back to a candidate after grade_answer: the overall score, each
 * part's score, the length and ownership figures and the top improvements. The full Feedback goes
 * alongside as structured content.
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS } from "../core/star-split.js";
import { PART_LABEL } from "../web/format.js";

export const SUMMARY_IMPROVEMENTS = 3;

export function feedbackSummary(f: Feedback): string {
  const grader = f.meta.mode === "llm" ? `graded by ${f.meta.model}` : "graded offline by rules";
  const parts = STAR_PARTS.map((p) => `${PART_LABEL[p]} ${f.star[p].score}/4`).join(" · ");
  const lines = [
    `Overall ${f.overall.score}/100 (${f.overall.band}) for ${f.principle.name}, ${grader}${f.meta.cached ? ", from cache" : ""}.`,
    `STAR: ${parts} · Principle fit ${f.principleFit.score}/4`,
    `Length: ${f.length.words} words, about ${f.length.speakingSeconds} s spoken (${f.length.verdict.replace("_", " ")}); ownership: ${f.ownership.iCount} "I" / ${f.ownership.weCount} "we" (${f.ownership.verdict}).`,
  ];
  const top = f.improvements.slice(0, SUMMARY_IMPROVEMENTS);
  if (top.length) lines.push("Top improvements:", ...top.map((text, i) => `${i + 1}. ${text}`));
  lines.push(`Stored as grading ${f.id} (the web app shows it at /result/${f.id}).`);
  return lines.join("\n");
}
