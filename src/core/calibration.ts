/**
 * Calibration of the offline 0–4 scores against human labels: the rules' raw score for a part (or
 * for principle fit) is mapped to the score labellers gave answers with that raw score, on average
 * (data/score-calibration.json, fitted by `npm run train` on the gold set). The map is monotone, keeps
 * an absent part at 0 and a present one at 1 or more.
 */
import calibrationJson from "../../data/score-calibration.json" with { type: "json" };

export const CALIBRATED = ["situation", "task", "action", "result", "principleFit"] as const;
export type Calibrated = (typeof CALIBRATED)[number];

/** For each dimension, the calibrated score of raw score 0, 1, 2, 3, 4. */
export type Calibration = Record<Calibrated, readonly number[]>;

const IDENTITY = [0, 1, 2, 3, 4];
const CALIBRATION = calibrationJson as Partial<Calibration>;

export function calibrate(dimension: Calibrated, raw: number, table: Partial<Calibration> = CALIBRATION): number {
  return (table[dimension] ?? IDENTITY)[raw] ?? raw;
}

/**
 * Fit one dimension's map from (raw, gold) pairs: the rounded mean gold score per raw score when at
 * least `minCount` answers have it (otherwise the raw score), then made non-decreasing.
 */
export function fitCalibration(pairs: ReadonlyArray<readonly [number, number]>, minCount = 3): number[] {
  const map = IDENTITY.map((raw) => {
    const golds = pairs.filter(([r]) => r === raw).map(([, g]) => g);
    if (raw === 0 || golds.length < minCount) return raw;
    return Math.max(1, Math.round(golds.reduce((a, b) => a + b, 0) / golds.length));
  });
  for (let i = 1; i < map.length; i++) map[i] = Math.max(map[i]!, map[i - 1]!);
  return map;
}
