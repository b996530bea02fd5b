/**
 * Deterministic analysis of one answer: every figure that can be counted is computed here, and these
 * figures are authoritative (the model is told them as facts and never asked to count).
 */
import { DEFAULT_LENGTH, lengthVerdict, speakingSeconds, type LengthOptions, type LengthVerdict } from "./length.js";
import { countTokens, iRatio, type TokenCounts } from "./tokens.js";
import { statesMeasure } from "./quantities.js";
import { labelSentences, parseAnswer, STAR_PARTS, type LabelledSentence, type SentenceLabel, type StarPart } from "./star-split.js";

export { DEFAULT_LENGTH, LENGTH_VERDICTS, lengthVerdict, speakingSeconds, type LengthOptions, type LengthVerdict } from "./length.js";
export const OWNERSHIP_VERDICTS = ["strong", "mixed", "weak", "unclear"] as const;
export type OwnershipVerdict = (typeof OWNERSHIP_VERDICTS)[number];

export interface PartAnalysis {
  present: boolean;
  sentences: string[];
  words: number;
}

export interface Analysis {
  words: number;
  sentences: LabelledSentence[];
  iCount: number;
  weCount: number;
  iRatio: number | null;
  actionIRatio: number | null;
  weSentences: string[]; // Action sentences whose acting subject is "we"
  ownershipVerdict: OwnershipVerdict;
  speakingSeconds: number;
  wordsPerMinute: number;
  targetSeconds: { min: number; max: number };
  lengthVerdict: LengthVerdict;
  numbers: string[]; // the contract's digit rule
  resultNumbers: string[];
  quantities: string[]; // amounts as written, digits or words
  resultQuantities: string[]; // the amounts in the Result sentences
  quantifiedResult: boolean;
  hypothetical: boolean; // no specific past event: "I would …", "Usually I …"
  parts: Record<StarPart, PartAnalysis>;
}

function ownershipVerdict(actionRatio: number | null, overall: number | null): OwnershipVerdict {
  const ratio = actionRatio ?? overall;
  if (ratio === null) return "unclear";
  if (ratio >= 0.7) return "strong";
  if (ratio >= 0.4) return "mixed";
  return "weak";
}

/**
 * No specific past event: the answer has no step labelled Action, or one or two among at least three
 * times as many sentences told as hypotheticals or habits ("I would …", "Usually I …"; a habit told
 * with a past verb inside it, "I repeat back what I heard", still reads as a step). A story that
 * ends with "next time I would …" keeps its past steps, so it is not hypothetical.
 */
export function isHypotheticalAnswer(sentences: readonly LabelledSentence[]): boolean {
  const steps = sentences.filter((s) => s.part === "action" && !s.hypothetical).length;
  const unreal = sentences.filter((s) => s.hypothetical || s.label === "other").length;
  if (steps === 0) return unreal > 0 || sentences.every((s) => s.part !== "result");
  return steps <= 2 && unreal >= 3 * steps;
}

export function analyze(answer: string, length: LengthOptions = DEFAULT_LENGTH): Analysis {
  const parsed = parseAnswer(answer);
  return summarize(labelSentences(parsed.sentences), parsed.quantities.map((q) => q.text), length);
}

/**
 * The same analysis with the sentence labels given by index (the model's, in LLM mode): presence,
 * the Action I-ratio, weSentences, the Result's amounts and hypothetical are recomputed from them.
 * A label for an index that does not exist, or a second label for one sentence, is ignored and
 * counted; a sentence without a label keeps the rules' label.
 */
export function relabel(a: Analysis, labels: ReadonlyArray<{ index: number; part: SentenceLabel }>): { analysis: Analysis; ignored: number } {
  const given = new Map<number, SentenceLabel>();
  let ignored = 0;
  for (const { index, part } of labels) {
    if (!Number.isInteger(index) || index < 0 || index >= a.sentences.length || given.has(index)) ignored++;
    else given.set(index, part);
  }
  const sentences = a.sentences.map((s, i) => {
    const label = given.get(i) ?? s.label;
    return { ...s, label, part: label === "other" ? null : label };
  });
  const length = { wordsPerMinute: a.wordsPerMinute, minSeconds: a.targetSeconds.min, maxSeconds: a.targetSeconds.max };
  return { analysis: summarize(sentences, a.quantities, length), ignored };
}

/** Every figure of the analysis from labelled sentences. */
function summarize(sentences: LabelledSentence[], quantities: string[], length: LengthOptions): Analysis {
  // Sentences are separated by whitespace only, so a token never straddles two and the answer's
  // counts are the sums of its sentences' counts (the property test checks this against countTokens).
  const sentenceCounts = new Map<LabelledSentence, TokenCounts>(sentences.map((s) => [s, countTokens(s.text)]));
  const sum = (list: LabelledSentence[], key: "words" | "iCount" | "weCount") =>
    list.reduce((n, s) => n + sentenceCounts.get(s)![key], 0);
  const counts: TokenCounts = {
    words: sum(sentences, "words"),
    iCount: sum(sentences, "iCount"),
    weCount: sum(sentences, "weCount"),
    numbers: sentences.flatMap((s) => sentenceCounts.get(s)!.numbers),
  };

  const byPart = Object.fromEntries(STAR_PARTS.map((part) => [part, sentences.filter((s) => s.part === part)])) as Record<StarPart, LabelledSentence[]>;
  const parts = Object.fromEntries(
    STAR_PARTS.map((part) => {
      const own = byPart[part];
      // Present exactly when a sentence carries the part's label: the highlighting and the cards agree.
      const analysis: PartAnalysis = { present: own.length > 0, sentences: own.map((s) => s.text), words: sum(own, "words") };
      return [part, analysis];
    }),
  ) as Record<StarPart, PartAnalysis>;

  const actionRatio = iRatio(sum(byPart.action, "iCount"), sum(byPart.action, "weCount"));
  const overallRatio = iRatio(counts.iCount, counts.weCount);
  const seconds = speakingSeconds(counts.words, length.wordsPerMinute);
  const resultNumbers = byPart.result.flatMap((s) => sentenceCounts.get(s)!.numbers);
  const resultQuantities = byPart.result.flatMap((s) => s.quantities.map((q) => q.text));

  return {
    words: counts.words,
    sentences,
    iCount: counts.iCount,
    weCount: counts.weCount,
    iRatio: overallRatio,
    actionIRatio: actionRatio,
    weSentences: byPart.action.filter((s) => s.facts.weActs).map((s) => s.text),
    ownershipVerdict: ownershipVerdict(actionRatio, overallRatio),
    speakingSeconds: seconds,
    wordsPerMinute: length.wordsPerMinute,
    targetSeconds: { min: length.minSeconds, max: length.maxSeconds },
    lengthVerdict: lengthVerdict(seconds, length),
    numbers: counts.numbers,
    resultNumbers,
    quantities,
    resultQuantities,
    quantifiedResult: byPart.result.some((s) => statesMeasure(s.tokens, s.quantities)),
    hypothetical: isHypotheticalAnswer(sentences),
    parts,
  };
}
