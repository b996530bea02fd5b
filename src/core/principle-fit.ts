/** Keyword-based principle fit, the offline stand-in for the model's judgement. */
import { PRINCIPLES, type Principle } from "./principles.js";

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const matchers = new Map(
  PRINCIPLES.map((p) => [p.id, p.keywords.map((k) => new RegExp(`\\b${escape(k)}`, "iu"))] as const),
);

/** The principle's keywords that occur in the answer. */
export function keywordHits(answer: string, principle: Principle): string[] {
  const patterns = matchers.get(principle.id) ?? [];
  return principle.keywords.filter((_, i) => patterns[i]!.test(answer));
}

export interface KeywordFit {
  score: number; // 0..4
  hits: string[];
  betterFits: string[]; // principle ids with clearly more keyword evidence
}

export function keywordFit(answer: string, target: Principle): KeywordFit {
  const hits = keywordHits(answer, target);
  const score = hits.length === 0 ? 1 : hits.length === 1 ? 2 : hits.length <= 3 ? 3 : 4;
  const betterFits = PRINCIPLES.filter((p) => p.id !== target.id)
    .map((p) => ({ id: p.id, n: keywordHits(answer, p).length }))
    .filter((x) => x.n >= hits.length + 2)
    .sort((a, b) => b.n - a.n)
    .slice(0, 2)
    .map((x) => x.id);
  return { score, hits, betterFits };
}
