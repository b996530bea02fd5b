/**
 * Scoring and grounding, done by code: the overall score is a fixed weighting of the part scores and
 * principle fit, and evidence quotes are kept only if they really occur in the answer.
 */
import type { Band } from "./band.js";
import type { StarPart } from "./star-split.js";

/**
 * Weights of the overall score. Action carries the most: it is what interviewers probe; Result next,
 * because unmeasured outcomes are the most common weakness. Sums to 1.
 */
export const OVERALL_WEIGHTS: Record<StarPart | "principleFit", number> = {
  situation: 0.1,
  task: 0.1,
  action: 0.35,
  result: 0.25,
  principleFit: 0.2,
};

export function overallScore(scores: Record<StarPart | "principleFit", number>): number {
  let total = 0;
  for (const [key, weight] of Object.entries(OVERALL_WEIGHTS)) {
    total += weight * (scores[key as keyof typeof OVERALL_WEIGHTS] / 4);
  }
  return Math.round(total * 100);
}

/** Bands: under 40 weak, 40–59 developing, 60–79 solid, 80+ strong. */
export function band(score: number): Band {
  if (score >= 80) return "strong";
  if (score >= 60) return "solid";
  if (score >= 40) return "developing";
  return "weak";
}

/** Fold whitespace and unify quote styles; case and wording must match exactly. */
export function foldForMatch(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/gu, " ")
    .trim();
}

export interface Grounded {
  kept: string[];
  dropped: number;
}

/** A checker for one answer (folded once): keeps quotes that occur verbatim, counts the rest. */
export function quoteGrounder(answer: string): (quotes: readonly string[]) => Grounded {
  const haystack = foldForMatch(answer);
  return (quotes) => {
    const kept: string[] = [];
    let dropped = 0;
    for (const quote of quotes) {
      const needle = foldForMatch(quote).replace(/^["']|["']$/g, "").replace(/[.…]+$/u, "").trim();
      if (needle && haystack.includes(needle)) {
        if (!kept.includes(quote.trim())) kept.push(quote.trim());
      } else dropped++;
    }
    return { kept, dropped };
  };
}

/** Keep quotes that occur verbatim (after folding) in the answer; count the rest. */
export function groundQuotes(answer: string, quotes: readonly string[]): Grounded {
  return quoteGrounder(answer)(quotes);
}
