/**
 * Offline principle fit: a ranking of all 16 principles for an answer, from a multinomial logistic
 * regression over the answer's content lemmas (weights in data/principle-model.json, trained by
 * `npm run train` on the corpus' principle labels, the question bank and the principles' own text).
 * The target principle's rank and probability give the 0–4 fit; another principle is suggested only
 * when it clearly beats the target.
 */
import modelJson from "../../data/principle-model.json" with { type: "json" };
import type { NlpToken } from "./nlp.js";
import { logSoftmax } from "./star-model.js";
import { PRINCIPLE_IDS, type Principle } from "./principles.js";

export interface PrincipleModelJson {
  version: string;
  labels: readonly string[];
  features: readonly string[];
  weights: ReadonlyArray<readonly number[]>;
}

const CONTENT = new Set(["NOUN", "VERB", "ADJ", "ADV", "PROPN"]);
const STOP = new Set(["be", "have", "do", "get", "make", "go", "say", "take", "so", "then", "just", "also", "very", "really", "time", "thing", "way", "lot", "well"]);

/** Content lemmas of a text's tokens, as classifier features. */
export function principleFeatures(tokens: readonly NlpToken[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    if (!CONTENT.has(t.pos) || t.lemma.length < 3 || STOP.has(t.lemma) || /\d/.test(t.lemma)) continue;
    out.push(t.lemma);
  }
  return out;
}

export interface PrincipleRanking {
  /** Principle ids with probabilities, best first. */
  ranked: Array<{ id: string; p: number }>;
  /** The features that pushed the target up, strongest first (for the rationale). */
  targetCues: string[];
}

export interface FitJudgement {
  score: number; // 0..4
  rank: number; // 1 = the best-fitting principle
  betterFits: string[];
  cues: string[];
  ranking: PrincipleRanking["ranked"];
}

export function loadPrincipleModel(json: PrincipleModelJson) {
  const index = new Map<string, readonly number[]>();
  json.features.forEach((f, i) => index.set(f, json.weights[i]!));
  const k = json.labels.length;
  return {
    rank(features: readonly string[], targetId?: string): PrincipleRanking {
      const scores = new Array<number>(k).fill(0);
      const target = targetId ? json.labels.indexOf(targetId) : -1;
      const contribution = new Map<string, number>();
      for (const f of new Set(features)) {
        const w = index.get(f);
        if (!w) continue;
        for (let j = 0; j < k; j++) scores[j]! += w[j]!;
        if (target >= 0) contribution.set(f, w[target]!);
      }
      const p = logSoftmax(scores).map(Math.exp);
      const ranked = json.labels.map((id, j) => ({ id, p: p[j]! })).sort((a, b) => b.p - a.p);
      const targetCues = [...contribution].filter(([, c]) => c > 0.05).sort((a, b) => b[1] - a[1]).map(([f]) => f);
      return { ranked, targetCues };
    },
  };
}

const MODEL = loadPrincipleModel(modelJson as PrincipleModelJson);
if (MODEL.rank([]).ranked.length !== PRINCIPLE_IDS.length && (modelJson as PrincipleModelJson).features.length) {
  throw new Error("data/principle-model.json does not rank the 16 principles");
}

/** Another principle "clearly beats" the target: this likely, this many times the target's probability. */
const BETTER_FIT_MIN = 0.6;
const BETTER_FIT_RATIO = 10;

/**
 * Fit of the story to `target`: 4 when it is the clear best fit, 3 when it is among the top three,
 * 2 when it is plausible, 1 otherwise. betterFits: principles at least ten times as likely as the
 * target and themselves likely (≥ 0.6), only when the target is outside the top three.
 */
export function judgeFit(tokens: readonly NlpToken[], target: Principle): FitJudgement {
  const { ranked, targetCues } = MODEL.rank(principleFeatures(tokens), target.id);
  const rank = ranked.findIndex((r) => r.id === target.id) + 1;
  const pTarget = ranked[rank - 1]?.p ?? 0;
  const top = ranked[0]!;
  let score: number;
  if (rank === 1) score = top.p >= 0.3 ? 4 : 3;
  else if (rank <= 3) score = pTarget >= 0.1 ? 3 : 2;
  else score = rank <= 6 ? 2 : 1;
  const betterFits = rank > 3 ? ranked.filter((r) => r.id !== target.id && r.p >= BETTER_FIT_MIN && r.p >= BETTER_FIT_RATIO * pTarget).slice(0, 2).map((r) => r.id) : [];
  return { score, rank, betterFits, cues: targetCues.slice(0, 4), ranking: ranked };
}
