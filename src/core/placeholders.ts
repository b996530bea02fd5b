/**
 * The bracketed placeholders a rewrite writes where the story lacks something. Apart from the rewrite
 * schema (core/rewrite.ts) so the page script can mark them without bundling zod.
 */
/** A gap to fill in, written in square brackets so that it can never read as a fact. */
export const PLACEHOLDER = /\[[^[\]\n]{1,200}\]/gu;

/** The placeholders the rewriters write for gaps the rubric cares about. */
export const GAPS = {
  task: "[what you were responsible for]",
  action: "[the two or three steps you took yourself, each starting with “I …”]",
  ownStep: "[did what exactly?]",
  reason: "[why you chose this over the alternatives]",
  measure: "[the result in numbers, e.g. from X to Y]",
  figure: "[the real figure]",
} as const;

/** Every placeholder in `text`, as written (brackets included), in order. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[0]);
}

/** `text` with every placeholder blanked out (same length, so offsets still match the text). */
export function maskPlaceholders(text: string): string {
  return text.replace(PLACEHOLDER, (m) => " ".repeat(m.length));
}
