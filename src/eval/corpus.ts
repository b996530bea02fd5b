/**
 * The sentence-labelled STAR corpus format (data/star-corpus/*.jsonl): an answer given as its
 * sentences, each with a label, joined by `sep`. Corpus sentences are aligned to the project's own
 * sentence splitter by character offsets: a split sentence takes the label of the corpus sentence it
 * overlaps most, so training and evaluation see exactly the sentences the analysis sees.
 */
import { z } from "zod";
import { splitSentences, type Sentence } from "../core/sentences.js";
import { SENTENCE_LABELS, type SentenceLabel } from "../core/star-model.js";

export const CorpusSentencesSchema = z.array(z.tuple([z.enum(SENTENCE_LABELS), z.string()])).min(1);

export interface LabelledRange {
  start: number;
  end: number;
  label: SentenceLabel;
}

/** The answer text and each corpus sentence's character range in it. */
export function joinCorpusSentences(sentences: ReadonlyArray<readonly [SentenceLabel, string]>, sep: string): { answer: string; ranges: LabelledRange[] } {
  const ranges: LabelledRange[] = [];
  let answer = "";
  sentences.forEach(([label, text], i) => {
    if (i > 0) answer += sep;
    ranges.push({ start: answer.length, end: answer.length + text.length, label });
    answer += text;
  });
  return { answer, ranges };
}

/** Each split sentence's label: the labelled range it overlaps most (ties: the earlier range). */
export function alignLabels(split: readonly Sentence[], ranges: readonly LabelledRange[]): SentenceLabel[] {
  return split.map((s) => {
    let best: SentenceLabel = "other";
    let bestOverlap = 0;
    for (const r of ranges) {
      const overlap = Math.min(s.end, r.end) - Math.max(s.start, r.start);
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        best = r.label;
      }
    }
    return best;
  });
}

export interface AlignedAnswer {
  answer: string;
  sentences: Sentence[];
  labels: SentenceLabel[];
}

export function alignCorpusAnswer(sentences: ReadonlyArray<readonly [SentenceLabel, string]>, sep: string): AlignedAnswer {
  const { answer, ranges } = joinCorpusSentences(sentences, sep);
  const split = splitSentences(answer);
  return { answer, sentences: split, labels: alignLabels(split, ranges) };
}
