/** Small display helpers shared by the pages and kept out of the JSX. */
import type { Band } from "../core/feedback.js";
import type { StarPart } from "../core/star-parts.js";

export const PART_LABEL: Record<StarPart, string> = { situation: "Situation", task: "Task", action: "Action", result: "Result" };
export const PART_LETTER: Record<StarPart, string> = { situation: "S", task: "T", action: "A", result: "R" };

export const BAND_LABEL: Record<Band, string> = {
  weak: "Weak — rebuild the story",
  developing: "Developing — the bones are there",
  solid: "Solid — polish the weak parts",
  strong: "Strong — ready to tell",
};

/** 108 → "1:48" */
export { clock } from "../core/clock.js";

export function percent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}

/** "+1", "−2", "±0" with a real minus sign. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0";
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
