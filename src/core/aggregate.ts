/**
 * Self-consistency: several model gradings of one answer reduced to one. Scores are the median of
 * the samples (reported with their min/max spread); the words (evidence, feedback, fix) come from
 * the single sample whose scores sit nearest the medians, so text and numbers stay consistent.
 */
import type { ModelGrade } from "./feedback.js";
import { SCORE_DIMENSIONS, STAR_PARTS, type ScoreDimension } from "./star-parts.js";

const SCORED = SCORE_DIMENSIONS;
type Scored = ScoreDimension;
export interface Spread {
  min: number;
  max: number;
}

/** The median of integer scores; an even count takes the lower middle, so it stays an integer 0–4. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const scoreOf = (g: ModelGrade, key: Scored) => (key === "principleFit" ? g.principleFit.score : g[key].score);

export interface Aggregated {
  grade: ModelGrade;
  spread: Record<Scored, Spread>;
  representative: number; // index of the sample whose words are shown
}

export function aggregateSamples(samples: readonly ModelGrade[]): Aggregated {
  if (samples.length === 0) throw new Error("no samples to aggregate");
  const medians = Object.fromEntries(SCORED.map((k) => [k, median(samples.map((s) => scoreOf(s, k)))])) as Record<Scored, number>;
  const spread = Object.fromEntries(
    SCORED.map((k) => {
      const values = samples.map((s) => scoreOf(s, k));
      return [k, { min: Math.min(...values), max: Math.max(...values) }];
    }),
  ) as Record<Scored, Spread>;
  const distance = (g: ModelGrade) => SCORED.reduce((d, k) => d + Math.abs(scoreOf(g, k) - medians[k]), 0);
  let representative = 0;
  samples.forEach((s, i) => {
    if (distance(s) < distance(samples[representative]!)) representative = i;
  });
  const base = samples[representative]!;
  const grade: ModelGrade = {
    ...base,
    principleFit: { ...base.principleFit, score: medians.principleFit },
  };
  for (const part of STAR_PARTS) {
    // Presence follows the majority; a part judged absent by most samples scores 0.
    const presentVotes = samples.filter((s) => s[part].present).length;
    const present = presentVotes * 2 > samples.length || (presentVotes * 2 === samples.length && base[part].present);
    grade[part] = { ...base[part], present, score: present ? medians[part] : 0 };
  }
  return { grade, spread, representative };
}
