/**
 * The features the STAR sentence classifier reads, as strings: lemmas and lemma bigrams, how the
 * sentence opens, grammar (subject, tense, modality, passive), amounts and entities, and where the
 * sentence sits in the answer. The same function feeds training (src/train) and analysis.
 */
import type { SentenceFacts } from "./grammar.js";
import type { NlpToken } from "./nlp.js";

export interface FeatureInput {
  tokens: readonly NlpToken[];
  facts: SentenceFacts;
  quantities: number;
  entityTypes: readonly string[];
  index: number; // sentence position in the answer
  count: number; // sentences in the answer
}

function lengthBin(words: number): string {
  if (words <= 6) return "s";
  if (words <= 12) return "m";
  if (words <= 22) return "l";
  return "xl";
}

function lemmaOf(t: NlpToken): string {
  return t.pos === "NUM" ? "#num" : t.lemma;
}

export function sentenceFeatures(input: FeatureInput): string[] {
  const { tokens, facts, index, count } = input;
  const words = tokens.filter((t) => t.pos !== "PUNCT" && t.pos !== "SPACE" && t.pos !== "SYM");
  const out: string[] = [];
  let prev = "^";
  for (const t of words) {
    const lemma = lemmaOf(t);
    out.push(`w=${lemma}`, `b=${prev}_${lemma}`);
    prev = lemma;
  }
  out.push(`b=${prev}_$`);
  // Openings carry much of the label: "Finally, …", "My job was …", "Last year …".
  const open = words.slice(0, 3).map(lemmaOf);
  if (open[0]) out.push(`f1=${open[0]}`);
  if (open[1]) out.push(`f2=${open[0]}_${open[1]}`);
  if (open[2]) out.push(`f3=${open.join("_")}`);
  out.push(`p3=${words.slice(0, 3).map((t) => t.pos).join("_")}`);
  for (const s of facts.subjects) out.push(`subj=${s}`);
  if (facts.iPast) out.push("g=iPast");
  if (facts.weActs) out.push("g=weActs");
  out.push(facts.past ? "g=past" : "g=nopast");
  if (facts.unreal) out.push("g=unreal");
  if (facts.habitual) out.push("g=habitual");
  if (facts.presentStep) out.push("g=presentStep");
  if (facts.conditional) out.push("g=if");
  if (facts.passive) out.push("g=passive");
  if (facts.unreal && !facts.past) out.push("g=unrealOnly");
  // No verb but "be"/"have": a state ("It was a stressful week"), not a step.
  const verbs = words.filter((t) => t.pos === "VERB");
  if (!verbs.some((t) => t.lemma !== "be" && t.lemma !== "have")) out.push("g=stateOnly");
  if (input.quantities > 0) out.push("q=any", `q=${Math.min(input.quantities, 3)}`);
  for (const e of input.entityTypes) out.push(`e=${e}`);
  // Position: first, last, and the quarter of the answer.
  if (index === 0) out.push("at=first");
  if (index === count - 1) out.push("at=last");
  if (index === 1) out.push("at=second");
  if (index === count - 2 && count > 2) out.push("at=penultimate");
  out.push(`at=q${count === 1 ? 0 : Math.min(3, Math.floor((index / (count - 1)) * 4))}`);
  out.push(`len=${lengthBin(words.length)}`);
  out.push("bias");
  return out;
}
