/**
 * Training and cross-validation of the STAR sentence labeller from the sentence-labelled corpus.
 * Pure functions over parsed answers; src/train/main.ts does the file work.
 */
import { featuresOf, isHypotheticalSentence, parseAnswer, STAR_PARTS, type LabelledSentence, type ParsedSentence } from "../core/star-split.js";
import { loadStarModel, SENTENCE_LABELS, type SentenceLabel, type StarModelJson } from "../core/star-model.js";
import type { GoldLine } from "../eval/gold.js";
import { presenceMetrics, type PresenceMetrics } from "../eval/metrics.js";
import { isHypotheticalAnswer } from "../core/analyze.js";
import { statesMeasure } from "../core/quantities.js";
import { buildVocabulary, indexFeatures, seededRandom, shuffled, trainLogReg } from "./logreg.js";

export interface TrainingAnswer {
  id: string;
  sentences: ParsedSentence[];
  labels: SentenceLabel[];
  hypothetical?: boolean;
  quantifiedResult?: boolean;
}

export interface StarTrainOptions {
  minCount: number;
  epochs: number;
  l2: number;
  transitionWeight: number;
  minProb: number;
  seed: number;
  /** Per-label score bias (SENTENCE_LABELS order); see StarModelJson.labelBias. */
  labelBias?: readonly number[];
}

/**
 * The task bias is the value `npm run train -- --tune` picks: task sentences are few (one or two an
 * answer), so the plain classifier misses many of them; the bias trades a little precision for
 * recall. On the 375-answer corpus, 2.0 gives the best mean presence macro-F1 over the four parts and
 * three cross-validation seeds (0.891; 1.6 gives 0.890, 0 gives 0.873; task 0.80 at 0 → 0.85).
 */
export const TASK_BIAS_GRID = [0, 0.4, 0.8, 1.2, 1.6, 2.0] as const;
/** Shuffle seeds the tuning averages over: one seed's folds move presence F1 by ±0.02. */
export const TUNE_SEEDS = [17, 18, 19] as const;
const TASK_BIAS = 2.0;
const TASK = SENTENCE_LABELS.indexOf("task");
const taskBias = (b: number) => SENTENCE_LABELS.map((_, i) => (i === TASK ? b : 0));

export const DEFAULT_TRAIN_OPTIONS: StarTrainOptions = { minCount: 2, epochs: 25, l2: 1e-2, transitionWeight: 0.6, minProb: 0.1, seed: 17, labelBias: taskBias(TASK_BIAS) };

/** Cross-validation at each task bias of the grid: presence macro-F1 per part and over the four parts, averaged over TUNE_SEEDS. */
export function tuneTaskBias(answers: readonly TrainingAnswer[], folds: number): Array<{ bias: number; meanPresenceF1: number; presenceMacroF1: CvReport["presenceMacroF1"] }> {
  return TASK_BIAS_GRID.map((bias) => {
    const reports = TUNE_SEEDS.map((seed) => crossValidate(answers, folds, { ...DEFAULT_TRAIN_OPTIONS, seed, labelBias: taskBias(bias) }));
    const presenceMacroF1 = Object.fromEntries(STAR_PARTS.map((p) => [p, reports.reduce((sum, r) => sum + r.presenceMacroF1[p], 0) / reports.length])) as CvReport["presenceMacroF1"];
    const meanPresenceF1 = STAR_PARTS.reduce((sum, p) => sum + presenceMacroF1[p], 0) / STAR_PARTS.length;
    return { bias, meanPresenceF1, presenceMacroF1 };
  });
}

/** Corpus lines with sentence labels, parsed once (the NLP pass is the slow part). */
export function trainingAnswers(lines: readonly GoldLine[]): TrainingAnswer[] {
  return lines
    .filter((l) => l.labels.sentences?.length)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((l) => {
      const gold = l.labels.sentences!;
      return {
        id: l.id,
        sentences: parseAnswer(l.answer, gold).sentences,
        labels: gold.map((s) => s.label),
        ...(l.labels.hypothetical !== undefined ? { hypothetical: l.labels.hypothetical } : {}),
        ...(l.labels.quantifiedResult !== undefined ? { quantifiedResult: l.labels.quantifiedResult } : {}),
      };
    });
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Sentences with given labels, as the analysis would hold them (for the answer-level flags). */
function labelledAs(sentences: readonly ParsedSentence[], labels: readonly SentenceLabel[]): LabelledSentence[] {
  const none = Object.fromEntries(SENTENCE_LABELS.map((l) => [l, 0])) as Record<SentenceLabel, number>;
  return sentences.map((s, i) => {
    const label = labels[i]!;
    return { ...s, label, part: label === "other" ? null : label, probs: none, hypothetical: isHypotheticalSentence(s.facts) };
  });
}

/** Log transition probabilities with add-one smoothing, from the gold label sequences. */
function transitionsOf(answers: readonly TrainingAnswer[]) {
  const k = SENTENCE_LABELS.length;
  const start = new Array<number>(k).fill(1);
  const end = new Array<number>(k).fill(1);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  const fromTotals = new Array<number>(k).fill(k);
  const endTotals = new Array<number>(k).fill(2);
  const index = (l: SentenceLabel) => SENTENCE_LABELS.indexOf(l);
  for (const a of answers) {
    a.labels.forEach((l, i) => {
      const j = index(l);
      if (i === 0) start[j]! += 1;
      else {
        counts[index(a.labels[i - 1]!)]![j]! += 1;
        fromTotals[index(a.labels[i - 1]!)]! += 1;
      }
      endTotals[j]! += 1;
      if (i === a.labels.length - 1) end[j]! += 1;
    });
  }
  const startTotal = start.reduce((x, y) => x + y, 0);
  return {
    start: start.map((c) => round(Math.log(c / startTotal))),
    transitions: counts.map((row, i) => row.map((c) => round(Math.log(c / fromTotals[i]!)))),
    // The chance that a sentence with this label is the last one.
    end: end.map((c, j) => round(Math.log(c / endTotals[j]!))),
  };
}

export function trainStarModel(answers: readonly TrainingAnswer[], o: StarTrainOptions = DEFAULT_TRAIN_OPTIONS): StarModelJson {
  const lists = answers.flatMap((a) => featuresOf(a.sentences));
  const labels = answers.flatMap((a) => a.labels.map((l) => SENTENCE_LABELS.indexOf(l)));
  const features = buildVocabulary(lists, o.minCount);
  const vocabulary = new Map(features.map((f, i) => [f, i]));
  const examples = lists.map((list, i) => ({ features: indexFeatures(list, vocabulary), label: labels[i]! }));
  const weights = trainLogReg(examples, { classes: SENTENCE_LABELS.length, features: features.length, epochs: o.epochs, l2: o.l2, seed: o.seed });
  return {
    version: `star-${answers.length}a-${lists.length}s`,
    labels: SENTENCE_LABELS,
    features,
    weights: weights.map((row) => row.map(round)),
    ...transitionsOf(answers),
    transitionWeight: o.transitionWeight,
    minProb: o.minProb,
    ...(o.labelBias ? { labelBias: o.labelBias } : {}),
  };
}

export interface CvReport {
  folds: number;
  answers: number;
  sentences: number;
  sentenceAccuracy: number;
  /** Accuracy of each gold label (recall), to show which labels are hard. */
  perLabel: Record<SentenceLabel, { recall: number; precision: number; support: number }>;
  presenceMacroF1: Record<(typeof STAR_PARTS)[number], number>;
  /** Answer-level flags computed from the held-out fold's predicted labels. */
  hypothetical: PresenceMetrics;
  quantifiedResult: PresenceMetrics;
}

/** k-fold cross-validation by answer (answers shuffled with a fixed seed). */
export function crossValidate(answers: readonly TrainingAnswer[], folds: number, o: StarTrainOptions = DEFAULT_TRAIN_OPTIONS): CvReport {
  const order = shuffled(answers, seededRandom(o.seed));
  const gold: SentenceLabel[] = [];
  const pred: SentenceLabel[] = [];
  const presentGold: Record<string, boolean[]> = Object.fromEntries(STAR_PARTS.map((p) => [p, []]));
  const presentPred: Record<string, boolean[]> = Object.fromEntries(STAR_PARTS.map((p) => [p, []]));
  const flags = { hypothetical: { gold: [] as boolean[], pred: [] as boolean[] }, quantifiedResult: { gold: [] as boolean[], pred: [] as boolean[] } };
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f);
    const train = order.filter((_, i) => i % folds !== f);
    const model = loadStarModel(trainStarModel(train, o));
    for (const a of test) {
      const labels = model.decode(featuresOf(a.sentences).map((x) => model.logProbs(x))).map((j) => SENTENCE_LABELS[j]!);
      gold.push(...a.labels);
      pred.push(...labels);
      for (const p of STAR_PARTS) {
        presentGold[p]!.push(a.labels.includes(p));
        presentPred[p]!.push(labels.includes(p));
      }
      const labelled = labelledAs(a.sentences, labels);
      if (a.hypothetical !== undefined) {
        flags.hypothetical.gold.push(a.hypothetical);
        flags.hypothetical.pred.push(isHypotheticalAnswer(labelled));
      }
      if (a.quantifiedResult !== undefined) {
        flags.quantifiedResult.gold.push(a.quantifiedResult);
        flags.quantifiedResult.pred.push(labelled.some((s) => s.part === "result" && statesMeasure(s.tokens, s.quantities)));
      }
    }
  }
  const perLabel = Object.fromEntries(
    SENTENCE_LABELS.map((l) => {
      const support = gold.filter((g) => g === l).length;
      const hits = gold.filter((g, i) => g === l && pred[i] === l).length;
      const predicted = pred.filter((p) => p === l).length;
      return [l, { recall: support ? hits / support : 0, precision: predicted ? hits / predicted : 0, support }];
    }),
  ) as CvReport["perLabel"];
  return {
    folds,
    answers: answers.length,
    sentences: gold.length,
    sentenceAccuracy: gold.filter((g, i) => g === pred[i]).length / gold.length,
    perLabel,
    presenceMacroF1: Object.fromEntries(STAR_PARTS.map((p) => [p, presenceMetrics(presentGold[p]!, presentPred[p]!).macroF1])) as CvReport["presenceMacroF1"],
    hypothetical: presenceMetrics(flags.hypothetical.gold, flags.hypothetical.pred),
    quantifiedResult: presenceMetrics(flags.quantifiedResult.gold, flags.quantifiedResult.pred),
  };
}

export function formatCv(r: CvReport): string {
  const pct = (x: number) => x.toFixed(2);
  const lines = [
    `${r.folds}-fold cross-validation over ${r.answers} answers, ${r.sentences} sentences`,
    `sentence accuracy ${pct(r.sentenceAccuracy)}`,
    "label       precision recall  (n)",
    ...SENTENCE_LABELS.map((l) => `${l.padEnd(11)} ${pct(r.perLabel[l].precision).padStart(9)} ${pct(r.perLabel[l].recall).padStart(6)}  ${r.perLabel[l].support}`),
    `part presence macro-F1 S/T/A/R ${STAR_PARTS.map((p) => pct(r.presenceMacroF1[p])).join(" / ")}`,
    `hypothetical answers recognised ${Math.round(r.hypothetical.present.recall * r.hypothetical.present.support)} of ${r.hypothetical.present.support}, false alarms ${Math.round((1 - r.hypothetical.absent.recall) * r.hypothetical.absent.support)} of ${r.hypothetical.absent.support}`,
    `quantified result macro-F1 ${pct(r.quantifiedResult.macroF1)}`,
  ];
  return lines.join("\n");
}
