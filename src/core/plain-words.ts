/**
 * The candidate's words without the markup pasted around them: answers often come from notes
 * written as "- **Situation**: …". Quotes and story titles show the words, not the scaffolding.
 */
const EMPHASIS = /\*\*|__/gu;
const LEADING_BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/u;
// "Result:" or "Result —", not the "Action-" of "Action-oriented".
const LEADING_STAR_LABEL = /^(?:situation|task|actions?|results?|s|t|a|r)(?:\s*[:：]|\s+[–—-])\s*/iu;

/** `text` without bold markers, a leading list bullet or a leading STAR label ("Result: …"). */
export function plainWords(text: string): string {
  return text.replace(EMPHASIS, "").replace(LEADING_BULLET, "").replace(LEADING_STAR_LABEL, "").trim();
}
