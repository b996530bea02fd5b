/**
 * Training and cross-validation of the offline principle ranking: corpus answers (their question
 * included) labelled with the principle they were written to show, plus the question bank (each
 * question → its principles) and each principle's own description, signals and keywords.
 */
import { parse } from "../core/nlp.js";
import { principleFeatures, loadPrincipleModel, type PrincipleModelJson } from "../core/principle-fit.js";
import { PRINCIPLE_IDS, PRINCIPLES, findPrinciple } from "../core/principles.js";
import { QUESTIONS } from "../core/questions.js";
import type { GoldLine } from "../eval/gold.js";
import { buildVocabulary, indexFeatures, seededRandom, shuffled, trainLogReg } from "./logreg.js";

interface Doc {
  features: string[];
  label: number;
  weight: number;
}

const featuresOfText = (text: string) => principleFeatures(parse(text).tokens);

/** Corpus answers with their principle, sorted by id. */
export function principleAnswers(lines: readonly GoldLine[]): Array<Doc & { id: string }> {
  return [...lines]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((l) => ({ id: l.id, features: featuresOfText(`${l.question ?? ""}\n${l.answer}`), label: PRINCIPLE_IDS.indexOf(findPrinciple(l.principle)!.id), weight: 1 }));
}

/** The bank's questions and the principles' own words: always part of the training data. */
function referenceDocs(): Doc[] {
  const docs: Doc[] = [];
  for (const q of QUESTIONS) {
    const features = featuresOfText(q.text);
    for (const id of q.principles) docs.push({ features, label: PRINCIPLE_IDS.indexOf(id), weight: 1 });
  }
  PRINCIPLES.forEach((p, label) => {
    const text = [p.name, p.summary, p.description, ...p.strongSignals, ...p.keywords].join(". ");
    docs.push({ features: featuresOfText(text), label, weight: 4 });
  });
  return docs;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function trainPrincipleModel(answers: readonly Doc[], seed = 23): PrincipleModelJson {
  const docs = [...answers, ...referenceDocs()];
  const features = buildVocabulary(docs.map((d) => d.features), 2);
  const vocabulary = new Map(features.map((f, i) => [f, i]));
  const examples = docs.map((d) => ({ features: [...new Set(indexFeatures(d.features, vocabulary))], label: d.label, weight: d.weight }));
  const weights = trainLogReg(examples, { classes: PRINCIPLE_IDS.length, features: features.length, epochs: 30, l2: 3e-3, seed });
  return { version: `principles-${answers.length}a`, labels: PRINCIPLE_IDS, features, weights: weights.map((row) => row.map(round)) };
}

export interface PrincipleCv {
  folds: number;
  answers: number;
  top1: number;
  top3: number;
  meanRank: number;
}

export function crossValidatePrinciples(answers: ReadonlyArray<Doc & { id: string }>, folds: number, seed = 23): PrincipleCv {
  const order = shuffled(answers, seededRandom(seed));
  const ranks: number[] = [];
  for (let f = 0; f < folds; f++) {
    const model = loadPrincipleModel(trainPrincipleModel(order.filter((_, i) => i % folds !== f), seed));
    for (const a of order.filter((_, i) => i % folds === f)) {
      const { ranked } = model.rank(a.features);
      ranks.push(ranked.findIndex((r) => r.id === PRINCIPLE_IDS[a.label]) + 1);
    }
  }
  return {
    folds,
    answers: answers.length,
    top1: ranks.filter((r) => r === 1).length / ranks.length,
    top3: ranks.filter((r) => r <= 3).length / ranks.length,
    meanRank: ranks.reduce((a, b) => a + b, 0) / ranks.length,
  };
}

export function formatPrincipleCv(r: PrincipleCv): string {
  return `principle ranking, ${r.folds}-fold over ${r.answers} answers: target ranked first ${r.top1.toFixed(2)}, in the top three ${r.top3.toFixed(2)}, mean rank ${r.meanRank.toFixed(1)} of 16`;
}
