/**
 * Deterministic analysis of one answer: every figure that can be counted is computed here, and these
 * figures are authoritative (the model is told them as facts and never asked to count).
 */
import { countTokens, iRatio, type TokenCounts } from "./tokens.js";
import { splitSentences } from "./sentences.js";
import { labelSentences, STAR_PARTS, type LabelledSentence, type StarPart } from "./star-split.js";

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

function ownershipVerdict(actionRatio: number | null, overall: number | null): OwnershipVerdict {
  const ratio = actionRatio ?? overall;
  if (ratio === null) return "unclear";
  if (ratio >= 0.7) return "strong";
  if (ratio >= 0.4) return "mixed";
  return "weak";
}

export function analyze(answer: string, length: LengthOptions = DEFAULT_LENGTH): Analysis {
  const sentences = labelSentences(splitSentences(answer));
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
      const cueStrength = own.reduce((total, s) => total + s.cues[part], 0);
      const analysis: PartAnalysis = {
        present: own.length > 0 && cueStrength >= 1,
        sentences: own.map((s) => s.text),
        words: sum(own, "words"),
        cueStrength,
      };
      return [part, analysis];
    }),
  ) as Record<StarPart, PartAnalysis>;

  const actionRatio = iRatio(sum(byPart.action, "iCount"), sum(byPart.action, "weCount"));
  const overallRatio = iRatio(counts.iCount, counts.weCount);
  const seconds = speakingSeconds(counts.words, length.wordsPerMinute);
  const hypotheticalSentences = sentences.filter((s) => s.hypothetical).length;
  const resultNumbers = byPart.result.flatMap((s) => sentenceCounts.get(s)!.numbers);

  return {
    words: counts.words,
    sentences,
    iCount: counts.iCount,
    weCount: counts.weCount,
    iRatio: overallRatio,
    actionIRatio: actionRatio,
    weSentences: byPart.action.filter((s) => sentenceCounts.get(s)!.weCount > 0).map((s) => s.text),
    ownershipVerdict: ownershipVerdict(actionRatio, overallRatio),
    speakingSeconds: seconds,
    wordsPerMinute: length.wordsPerMinute,
    targetSeconds: { min: length.minSeconds, max: length.maxSeconds },
    lengthVerdict: lengthVerdict(seconds, length),
    numbers: counts.numbers,
    resultNumbers,
    // Two or more "I would …" sentences that outweigh the real steps (or stand in for them).
    hypothetical: hypotheticalSentences >= 2 && (!parts.action.present || hypotheticalSentences * 2 >= sentences.length),
    parts,
  };
}
