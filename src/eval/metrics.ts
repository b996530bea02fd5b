/**
 * Agreement metrics between human labels and a grader, pure and dependency-free. Ordinal scores
 * (0–4) get exact and within-one accuracy, quadratic weighted kappa and Spearman's rho; part
 * presence gets per-class precision/recall/F1 and macro-F1, so a detector that always answers
 * "present" cannot look good on an answer set where parts are often missing.
 */

function checkPaired(gold: readonly unknown[], pred: readonly unknown[]): void {
  if (gold.length !== pred.length) throw new RangeError(`gold has ${gold.length} items but predictions have ${pred.length}`);
}

/** Share of items where the prediction equals the label; null on no items. */
export function exactAccuracy(gold: readonly number[], pred: readonly number[]): number | null {
  checkPaired(gold, pred);
  if (gold.length === 0) return null;
  return gold.filter((g, i) => g === pred[i]).length / gold.length;
}

/** Share of items where the prediction is at most one point from the label. */
export function withinOneAccuracy(gold: readonly number[], pred: readonly number[]): number | null {
  checkPaired(gold, pred);
  if (gold.length === 0) return null;
  return gold.filter((g, i) => Math.abs(g - pred[i]!) <= 1).length / gold.length;
}

/**
 * Cohen's kappa with quadratic weights over the integer ratings min..max. Null when it is undefined:
 * no items, or no expected disagreement (both raters used one and the same rating throughout).
 */
export function quadraticWeightedKappa(gold: readonly number[], pred: readonly number[], min = 0, max = 4): number | null {
  checkPaired(gold, pred);
  const k = max - min + 1;
  const n = gold.length;
  if (n === 0 || k < 2) return null;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const histGold = new Array<number>(k).fill(0);
  const histPred = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const g = gold[i]! - min;
    const p = pred[i]! - min;
    if (!Number.isInteger(g) || !Number.isInteger(p) || g < 0 || p < 0 || g >= k || p >= k) {
      throw new RangeError(`ratings must be integers in ${min}..${max}; got ${gold[i]} and ${pred[i]}`);
    }
    observed[g]![p]! += 1;
    histGold[g]! += 1;
    histPred[p]! += 1;
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = (i - j) ** 2 / (k - 1) ** 2;
      num += w * observed[i]![j]!;
      den += (w * histGold[i]! * histPred[j]!) / n;
    }
  }
  return den === 0 ? null : 1 - num / den;
}

/** 1-based ranks; tied values share the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let t = start; t <= end; t++) ranks[order[t]![1]] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho: Pearson correlation of average ranks. Null when either side is constant. */
export function spearman(gold: readonly number[], pred: readonly number[]): number | null {
  checkPaired(gold, pred);
  return pearson(averageRanks(gold), averageRanks(pred));
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number; // gold items of this class
}

export interface PresenceMetrics {
  present: ClassMetrics;
  absent: ClassMetrics;
  macroF1: number;
  accuracy: number | null;
  n: number;
}

// Zero-division cases count as 0 (as scikit-learn's default): a class never predicted earns nothing.
function classMetrics(gold: readonly boolean[], pred: readonly boolean[], positive: boolean): ClassMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    const p = pred[i];
    if (p === positive && g === positive) tp++;
    else if (p === positive) fp++;
    else if (g === positive) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: tp + fn };
}

/** Precision, recall and F1 for both the present and the absent class, and their macro-average F1. */
export function presenceMetrics(gold: readonly boolean[], pred: readonly boolean[]): PresenceMetrics {
  checkPaired(gold, pred);
  const present = classMetrics(gold, pred, true);
  const absent = classMetrics(gold, pred, false);
  return {
    present,
    absent,
    macroF1: (present.f1 + absent.f1) / 2,
    accuracy: gold.length ? gold.filter((g, i) => g === pred[i]).length / gold.length : null,
    n: gold.length,
  };
}

export interface ScoreMetrics {
  exact: number | null;
  withinOne: number | null;
  qwk: number | null;
  spearman: number | null;
  n: number;
}

export function scoreMetrics(gold: readonly number[], pred: readonly number[], min = 0, max = 4): ScoreMetrics {
  return {
    exact: exactAccuracy(gold, pred),
    withinOne: withinOneAccuracy(gold, pred),
    qwk: quadraticWeightedKappa(gold, pred, min, max),
    spearman: spearman(gold, pred),
    n: gold.length,
  };
}
