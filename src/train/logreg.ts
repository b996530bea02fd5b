/**
 * Multinomial logistic regression over sparse binary features, trained with AdaGrad SGD and L2
 * regularisation. Deterministic: a seeded generator shuffles the examples, so the same input gives
 * the same weights byte for byte.
 */
import { logSoftmax } from "../core/star-model.js";

export interface Example {
  features: readonly number[]; // feature indices (a repeated index counts twice)
  label: number;
  weight?: number;
}

export interface TrainOptions {
  classes: number;
  features: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
}

/** mulberry32: a small seeded generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** weights[f][c]. */
export function trainLogReg(examples: readonly Example[], o: TrainOptions): number[][] {
  const k = o.classes;
  const epochs = o.epochs ?? 30;
  const rate = o.learningRate ?? 0.3;
  const l2 = o.l2 ?? 1e-4;
  const random = seededRandom(o.seed ?? 1);
  const w = Array.from({ length: o.features }, () => new Array<number>(k).fill(0));
  const g2 = Array.from({ length: o.features }, () => new Array<number>(k).fill(1e-8));
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(order, random)) {
      const ex = examples[i]!;
      const scores = new Array<number>(k).fill(0);
      for (const f of ex.features) for (let c = 0; c < k; c++) scores[c]! += w[f]![c]!;
      const p = logSoftmax(scores).map(Math.exp);
      const weight = ex.weight ?? 1;
      for (const f of ex.features) {
        const wf = w[f]!;
        const gf = g2[f]!;
        for (let c = 0; c < k; c++) {
          const grad = weight * (p[c]! - (c === ex.label ? 1 : 0)) + l2 * wf[c]!;
          gf[c]! += grad * grad;
          wf[c]! -= (rate * grad) / Math.sqrt(gf[c]!);
        }
      }
    }
  }
  return w;
}

/** Map feature strings to indices, keeping those seen in at least `minCount` examples; sorted for stable output. */
export function buildVocabulary(featureLists: ReadonlyArray<readonly string[]>, minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const list of featureLists) for (const f of new Set(list)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= minCount).map(([f]) => f).sort();
}

export function indexFeatures(list: readonly string[], vocabulary: ReadonlyMap<string, number>): number[] {
  const out: number[] = [];
  for (const f of list) {
    const i = vocabulary.get(f);
    if (i !== undefined) out.push(i);
  }
  return out;
}
