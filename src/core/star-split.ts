/**
 * Labels every sentence of an answer situation / task / action / result / other with the trained
 * sequence model (src/core/star-model.ts, weights in data/star-model.json). A STAR part is present
 * exactly when some sentence carries its label, so the highlighted answer and the part cards agree.
 */
import modelJson from "../../data/star-model.json" with { type: "json" };
import { sentenceFacts, type SentenceFacts } from "./grammar.js";
import { parse, type NlpToken } from "./nlp.js";
import { findQuantities, type Quantity } from "./quantities.js";
import { sentenceFeatures } from "./star-features.js";
import { loadStarModel, SENTENCE_LABELS, type SentenceLabel, type StarModel, type StarModelJson } from "./star-model.js";
import { splitSentences, type Sentence } from "./sentences.js";

import type { StarPart } from "./star-parts.js";
export { STAR_PARTS, type StarPart } from "./star-parts.js";
export { SENTENCE_LABELS, type SentenceLabel };

export interface ParsedSentence extends Sentence {
  tokens: NlpToken[];
  facts: SentenceFacts;
  quantities: Quantity[];
  entityTypes: string[];
}

export interface LabelledSentence extends ParsedSentence {
  label: SentenceLabel;
  /** The STAR part, or null for "other" (meta talk, opinions, hypotheticals). */
  part: StarPart | null;
  /** The classifier's probability of each label for this sentence alone. */
  probs: Record<SentenceLabel, number>;
  /** Tells what the speaker would or usually does, not a past event. */
  hypothetical: boolean;
}

export interface ParsedAnswer {
  sentences: ParsedSentence[];
  quantities: Quantity[];
}

/** Split, tag and measure an answer's sentences (one NLP pass over the whole text). */
export function parseAnswer(answer: string, sentences: readonly Sentence[] = splitSentences(answer)): ParsedAnswer {
  const doc = parse(answer);
  const quantities = findQuantities(answer, doc);
  const tokenSentence = new Int32Array(doc.tokens.length).fill(-1);
  const out: ParsedSentence[] = sentences.map((s) => ({ ...s, tokens: [], facts: sentenceFacts([]), quantities: [], entityTypes: [] }));
  let si = 0;
  doc.tokens.forEach((t, ti) => {
    while (si < out.length && t.start >= out[si]!.end) si++;
    const s = out[si];
    if (s && t.start >= s.start) {
      s.tokens.push(t);
      tokenSentence[ti] = si;
    }
  });
  for (const s of out) s.facts = sentenceFacts(s.tokens);
  for (const e of doc.entities) {
    const s = out[tokenSentence[e.first] ?? -1];
    if (s && !s.entityTypes.includes(e.type)) s.entityTypes.push(e.type);
  }
  let qi = 0;
  for (const q of quantities) {
    while (qi < out.length && q.start >= out[qi]!.end) qi++;
    out[qi]?.quantities.push(q);
  }
  return { sentences: out, quantities };
}

/** Features that describe a neighbouring sentence (prefixed when copied to this one). */
const CONTEXT = /^(f1|g|subj|at)=/;

export function featuresOf(sentences: readonly ParsedSentence[]): string[][] {
  const own = sentences.map((s, index) =>
    sentenceFeatures({ tokens: s.tokens, facts: s.facts, quantities: s.quantities.length, entityTypes: s.entityTypes, index, count: sentences.length }),
  );
  // The neighbours' openings and grammar help tell a goal from its context, or a step from its outcome.
  const context = own.map((list) => list.filter((f) => CONTEXT.test(f)));
  return own.map((list, i) => {
    for (const f of context[i - 1] ?? []) list.push(`prev:${f}`);
    for (const f of context[i + 1] ?? []) list.push(`next:${f}`);
    return list;
  });
}

export const DEFAULT_STAR_MODEL: StarModel = loadStarModel(modelJson as StarModelJson);

/**
 * A sentence told as a hypothetical or a habit, with no past event in it; or one whose "I"/"we" acts
 * only in an unreal frame ("I would make sure the risks were written down": the past verb is inside
 * what would happen).
 */
export function isHypotheticalSentence(f: SentenceFacts): boolean {
  return (!f.past && (f.unreal || f.habitual || f.conditional || f.presentStep)) || (f.unreal && !f.iPast && !f.weActs);
}

/** Label every sentence, decoding the whole sequence at once. */
export function labelSentences(sentences: readonly ParsedSentence[], model: StarModel = DEFAULT_STAR_MODEL): LabelledSentence[] {
  const emissions = featuresOf(sentences).map((f) => model.logProbs(f));
  const labels = model.decode(emissions);
  return sentences.map((s, i) => {
    const label = SENTENCE_LABELS[labels[i]!]!;
    const probs = Object.fromEntries(SENTENCE_LABELS.map((l, j) => [l, Math.exp(emissions[i]![j]!)])) as Record<SentenceLabel, number>;
    return { ...s, label, part: label === "other" ? null : label, probs, hypothetical: isHypotheticalSentence(s.facts) };
  });
}
