/** Small display helpers shared by the pages and kept out of the JSX. */
import type { Band } from "../core/band.js";
import type { StarPart } from "../core/star-parts.js";

export const PART_LABEL: Record<StarPart, string> = { situation: "Situation", task: "Task", action: "Action", result: "Result" };
export const PART_LETTER: Record<StarPart, string> = { situation: "S", task: "T", action: "A", result: "R" };

export const BAND_LABEL: Record<Band, string> = {
  weak: "Weak — rebuild the story",
  developing: "Developing — the bones are there",
  solid: "Solid — polish the weak parts",
  strong: "Strong — ready to tell",
};

/** The form's `intent` for "grade this answer again for another principle": the prefix, then the id. */
export const REFIT_INTENT = "principle:";

/** 108 → "1:48" */
export { clock } from "../core/clock.js";

/** 20000 → "20,000" (fixed separators, the same on every machine). */
export function number(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function percent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}

/** "+1", "−2", "±0" with a real minus sign. */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "±0";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "3 Dec 2026, 16:26 UTC": for lists a person scans, and names a screen reader speaks. */
export function readableDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${time} UTC`;
}

export function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** The bank picker's first line, which also says how many questions the principle has. */
export function bankPrompt(count: number): string {
  return count ? `Pick one of ${count} questions from the bank…` : "No bank questions for this principle";
}
