/**
 * Deterministic analysis of one answer: every figure that can be counted is computed here, and these
 * figures are authoritative (the model is told them as facts and never asked to count).
 */
import { countTokens, iRatio, tokenize, isFirstPersonPlural, isFirstPersonSingular } from "./tokens.js";
import { splitSentences } from "./sentences.js";
import { cueScores, labelSentences, STAR_PARTS, type LabelledSentence, type StarPart } from "./star-split.js";

export interface LengthOptions {
  wordsPerMinute: number;
  minSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_LENGTH: LengthOptions = { wordsPerMinute: 150, minSeconds: 60, maxSeconds: 120 };

export type LengthVerdict = "too_short" | "ok" | "too_long";
export type OwnershipVerdict = "strong" | "mixed" | "weak" | "unclear";

export interface PartAnalysis {
  present: boolean;
  sentences: string[];
  words: number;
  cueStrength: number; // summed cue score of the part's sentences for that part
}

export interface Analysis {
  words: number;
  sentences: LabelledSentence[];
  iCount: number;
  weCount: number;
  iRatio: number | null;
  actionIRatio: number | null;
  weSentences: string[]; // "we" sentences inside the Action part
  ownershipVerdict: OwnershipVerdict;
  speakingSeconds: number;
  wordsPerMinute: number;
  targetSeconds: { min: number; max: number };
  lengthVerdict: LengthVerdict;
  numbers: string[];
  resultNumbers: string[];
  hypothetical: boolean; // told as "I would …" rather than a real past example
  parts: Record<StarPart, PartAnalysis>;
}

export function speakingSeconds(words: number, wordsPerMinute: number): number {
  return Math.round((words / wordsPerMinute) * 60);
}

export function lengthVerdict(seconds: number, opts: Pick<LengthOptions, "minSeconds" | "maxSeconds">): LengthVerdict {
  if (seconds < opts.minSeconds) return "too_short";
  if (seconds > opts.maxSeconds) return "too_long";
  return "ok";
}

function hasWe(text: string): boolean {
  return tokenize(text).some(isFirstPersonPlural);
}

function ownershipVerdict(actionRatio: number | null, overall: number | null): OwnershipVerdict {
  const ratio = actionRatio ?? overall;
  if (ratio === null) return "unclear";
  if (ratio >= 0.7) return "strong";
  if (ratio >= 0.4) return "mixed";
  return "weak";
}

const HYPOTHETICAL = /\bI (would|'d|’d) (first |then )?(speak|talk|ask|try|make|do|go|start|set|schedule|escalate|follow|work|meet|arrange)\b/gi;

export function analyze(answer: string, length: LengthOptions = DEFAULT_LENGTH): Analysis {
  const counts = countTokens(answer);
  const sentences = labelSentences(splitSentences(answer));

  const parts = Object.fromEntries(
    STAR_PARTS.map((part) => {
      const own = sentences.filter((s) => s.part === part);
      const cueStrength = own.reduce((sum, s) => sum + cueScores(s.text)[part], 0);
      const analysis: PartAnalysis = {
        present: own.length > 0 && cueStrength >= 1,
        sentences: own.map((s) => s.text),
        words: own.reduce((sum, s) => sum + countTokens(s.text).words, 0),
        cueStrength,
      };
      return [part, analysis];
    }),
  ) as Record<StarPart, PartAnalysis>;

  const actionTokens = parts.action.sentences.flatMap(tokenize);
  const actionI = actionTokens.filter(isFirstPersonSingular).length;
  const actionWe = actionTokens.filter(isFirstPersonPlural).length;
  const actionRatio = iRatio(actionI, actionWe);
  const overallRatio = iRatio(counts.iCount, counts.weCount);
  const seconds = speakingSeconds(counts.words, length.wordsPerMinute);
  const resultNumbers = parts.result.sentences.flatMap((s) => countTokens(s).numbers);

  return {
    words: counts.words,
    sentences,
    iCount: counts.iCount,
    weCount: counts.weCount,
    iRatio: overallRatio,
    actionIRatio: actionRatio,
    weSentences: parts.action.sentences.filter(hasWe),
    ownershipVerdict: ownershipVerdict(actionRatio, overallRatio),
    speakingSeconds: seconds,
    wordsPerMinute: length.wordsPerMinute,
    targetSeconds: { min: length.minSeconds, max: length.maxSeconds },
    lengthVerdict: lengthVerdict(seconds, length),
    numbers: counts.numbers,
    resultNumbers,
    hypothetical: (answer.match(HYPOTHETICAL)?.length ?? 0) >= 2,
    parts,
  };
}
