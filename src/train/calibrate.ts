/**
 * Fits data/score-calibration.json: the offline rules' raw part and fit scores against the gold
 * labels of the tuning files, and reports quadratic weighted kappa before and after on every gold file.
 */
import { analyze } from "../core/analyze.js";
import { CALIBRATED, calibrate, fitCalibration, type Calibrated, type Calibration } from "../core/calibration.js";
import { findPrinciple } from "../core/principles.js";
import type { GoldLine } from "../eval/gold.js";
import { quadraticWeightedKappa } from "../eval/metrics.js";
import { rawOfflineScores } from "../grader/offline.js";

/** (raw rules score, gold score, the answer is hypothetical) per labelled dimension. */
type Pairs = Record<Calibrated, Array<[number, number, boolean]>>;

/** (raw rules score, gold score) for every labelled dimension of each line. */
export function scorePairs(lines: readonly GoldLine[]): Pairs {
  const pairs = Object.fromEntries(CALIBRATED.map((d) => [d, []])) as unknown as Pairs;
  for (const l of lines) {
    const analysis = analyze(l.answer);
    const raw = rawOfflineScores(findPrinciple(l.principle)!, analysis, l.question ?? null);
    for (const d of CALIBRATED) {
      const gold = d === "principleFit" ? l.labels.principleFit : l.labels.scores?.[d];
      if (gold !== undefined) pairs[d].push([raw[d], gold, analysis.hypothetical]);
    }
  }
  return pairs;
}

/** Fitted on real stories only: a hypothetical answer's Action and fit are capped after calibration. */
export function fitAll(pairs: Pairs): Calibration {
  return Object.fromEntries(CALIBRATED.map((d) => [d, fitCalibration(pairs[d].filter(([, , hypothetical]) => !hypothetical).map(([r, g]) => [r, g] as const))])) as unknown as Calibration;
}

/** The grader's final score: calibrated (or not), then the hypothetical cap of gradeOffline. */
function final(d: Calibrated, raw: number, hypothetical: boolean, table: Calibration | null): number {
  const score = table ? calibrate(d, raw, table) : raw;
  return hypothetical && (d === "action" || d === "principleFit") ? Math.min(score, 1) : score;
}

/** "situation 0.81 → 0.84" per dimension: QWK of the raw and of the calibrated scores. */
export function formatQwk(name: string, pairs: Pairs, table: Calibration): string {
  const cells = CALIBRATED.map((d) => {
    const gold = pairs[d].map(([, g]) => g);
    const before = quadraticWeightedKappa(gold, pairs[d].map(([r, , h]) => final(d, r, h, null)));
    const after = quadraticWeightedKappa(gold, pairs[d].map(([r, , h]) => final(d, r, h, table)));
    const f = (x: number | null) => (x === null ? "—" : x.toFixed(2));
    return `${d} ${f(before)} → ${f(after)}`;
  });
  return `${name} (n=${pairs.situation.length}) QWK before → after: ${cells.join("; ")}`;
}
