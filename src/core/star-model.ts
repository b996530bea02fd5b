/**
 * The trained STAR sentence labeller: a multinomial logistic regression over sentence features
 * (src/core/star-features.ts) whose per-sentence probabilities are decoded as a sequence by Viterbi
 * with transition probabilities learned from the corpus (the usual S → T → A → R order is a prior,
 * not a rule). The weights live in data/star-model.json; `npm run train` rebuilds them.
 */
export const SENTENCE_LABELS = ["situation", "task", "action", "result", "other"] as const;
export type SentenceLabel = (typeof SENTENCE_LABELS)[number];

export interface StarModelJson {
  version: string;
  labels: readonly string[];
  features: readonly string[];
  /** weights[f] = one weight per label, for features[f]. */
  weights: ReadonlyArray<readonly number[]>;
  /** Log transition probabilities: start[j], transitions[i][j], end[i]. */
  start: readonly number[];
  transitions: ReadonlyArray<readonly number[]>;
  end: readonly number[];
  /** How much the sequence prior counts against the classifier. */
  transitionWeight: number;
  /**
   * A label the classifier gives less than this probability is never chosen for the sentence, so the
   * order prior cannot invent a part from thin evidence (it still decides between plausible labels).
   */
  minProb: number;
  /**
   * Added to each label's score before the softmax: a label the classifier finds too rarely
   * (task: short, one per answer) is favoured by the amount cross-validation chose.
   */
  labelBias?: readonly number[];
}

export interface StarModel {
  version: string;
  labels: readonly SentenceLabel[];
  /** Log-probabilities of each label for one sentence's features. */
  logProbs(features: readonly string[]): number[];
  /** The best label sequence for sentences with these log-probabilities. */
  decode(logProbs: readonly number[][]): number[];
}

export function logSoftmax(scores: number[]): number[] {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const norm = max + Math.log(sum);
  return scores.map((s) => s - norm);
}

/** Viterbi over emission log-probabilities with weighted log transitions. */
export function viterbi(
  emissions: ReadonlyArray<readonly number[]>,
  prior: Pick<StarModelJson, "start" | "transitions" | "end" | "transitionWeight" | "minProb">,
): number[] {
  const n = emissions.length;
  if (n === 0) return [];
  const floor = Math.log(prior.minProb);
  emissions = emissions.map((row) => {
    const top = Math.max(...row);
    return row.map((e) => (e < floor && e < top ? -Infinity : e));
  });
  const k = prior.start.length;
  const w = prior.transitionWeight;
  let best = emissions[0]!.map((e, j) => e + w * prior.start[j]!);
  const back: number[][] = [];
  for (let i = 1; i < n; i++) {
    const next = new Array<number>(k);
    const from = new Array<number>(k);
    for (let j = 0; j < k; j++) {
      let top = -Infinity;
      let arg = 0;
      for (let p = 0; p < k; p++) {
        const v = best[p]! + w * prior.transitions[p]![j]!;
        if (v > top) {
          top = v;
          arg = p;
        }
      }
      next[j] = top + emissions[i]![j]!;
      from[j] = arg;
    }
    back.push(from);
    best = next;
  }
  let last = 0;
  let top = -Infinity;
  for (let j = 0; j < k; j++) {
    const v = best[j]! + w * prior.end[j]!;
    if (v > top) {
      top = v;
      last = j;
    }
  }
  const labels = new Array<number>(n);
  labels[n - 1] = last;
  for (let i = n - 1; i > 0; i--) labels[i - 1] = back[i - 1]![labels[i]!]!;
  return labels;
}

const STATE_ONLY = "g=stateOnly";
const ACTION = SENTENCE_LABELS.indexOf("action");
const STATE_ONLY_ACTION_PENALTY = 2;

export function loadStarModel(json: StarModelJson): StarModel {
  if (json.labels.join() !== SENTENCE_LABELS.join()) throw new Error(`star model labels ${json.labels.join()} do not match ${SENTENCE_LABELS.join()}`);
  const index = new Map<string, readonly number[]>();
  json.features.forEach((f, i) => index.set(f, json.weights[i]!));
  const k = json.labels.length;
  return {
    version: json.version,
    labels: SENTENCE_LABELS,
    logProbs(features) {
      const scores = json.labelBias ? [...json.labelBias] : new Array<number>(k).fill(0);
      let stateOnly = false;
      for (const f of features) {
        const w = index.get(f);
        if (w) for (let j = 0; j < k; j++) scores[j]! += w[j]!;
        if (f === STATE_ONLY) stateOnly = true;
      }
      // A sentence whose only verb is "be"/"have" ("It was a stressful week") states, it does not act:
      // the labelling guide never counts it as an action, however the neighbours read.
      if (stateOnly) scores[ACTION]! -= STATE_ONLY_ACTION_PENALTY;
      return logSoftmax(scores);
    },
    decode: (emissions) => viterbi(emissions, json),
  };
}
