/**
 * Grammatical facts about one sentence, read from its tagged tokens (src/core/nlp.ts): who the
 * subjects are, the tense and modality of the verbs, whether "we" is an acting subject, and whether
 * the sentence tells a specific past event or a hypothetical / habitual one.
 */
import type { NlpToken } from "./nlp.js";

export type VerbForm = "past" | "present" | "base" | "gerund" | "modal";

const MODALS = new Set(["would", "will", "'ll", "’ll", "wo", "might", "should", "shall", "may", "must", "can", "ca", "could"]);
/** Modals that put a step in an unreal or future frame ("could" reports past ability, so it is not one). */
const UNREAL = new Set(["would", "will", "'ll", "’ll", "wo", "might", "should", "shall"]);
const PAST_AUX = new Set(["was", "were", "had", "did", "'d", "’d"]);
const PRESENT_AUX = new Set(["is", "are", "am", "'m", "’m", "'re", "’re", "'s", "’s", "has", "does", "do", "have", "'ve", "’ve"]);
const HABITUAL = new Set(["usually", "always", "typically", "generally", "normally", "often", "tend", "tends", "whenever", "sometimes", "never"]);
const SUBORDINATORS = new Set(["if", "when", "because", "after", "before", "while", "once", "since", "as", "until", "that", "whether", "so", "although", "though", "unless", "whenever", "who", "which", "where"]);
const SUBJECT_PRONOUNS = new Set(["i", "we", "he", "she", "they", "you", "it"]);
const SKIP_TO_VERB = new Set(["ADV", "PART", "AUX"]);

function isVerb(t: NlpToken): boolean {
  return t.pos === "VERB" || t.pos === "AUX";
}

/** "'d" is "had" before a past participle ("we'd tested"), otherwise "would". */
function contractedD(tokens: readonly NlpToken[], i: number): "had" | "would" {
  const next = tokens[i + 1];
  if (next && next.pos === "VERB" && next.lower !== next.lemma && !next.lower.endsWith("ing")) return "had";
  if (next && (next.lower === "been" || next.lower === "already" || next.lower === "never" || next.lower === "just")) return "had";
  return "would";
}

/** The tense/modality of the verb token at `i`. */
export function verbForm(tokens: readonly NlpToken[], i: number): VerbForm {
  const t = tokens[i]!;
  const w = t.lower;
  if (w === "'d" || w === "’d") return contractedD(tokens, i) === "had" ? "past" : "modal";
  if (MODALS.has(w)) return "modal";
  if (PAST_AUX.has(w)) return "past";
  if (PRESENT_AUX.has(w)) return "present";
  if (w.endsWith("ing")) return "gerund";
  // A verb the tagger did not know: stories are told in the past, and "-s" marks the present.
  if (t.retagged) return w.endsWith("s") && !w.endsWith("ss") ? "present" : "past";
  if (w === t.lemma) return "base";
  if (w === `${t.lemma}s` || w === `${t.lemma}es` || (w.endsWith("ies") && t.lemma.endsWith("y"))) return "present";
  return "past";
}

export interface SentenceFacts {
  /** Subject pronouns that act (a verb follows), lower case: "i", "we", "they", … */
  subjects: Set<string>;
  /** "we" is the acting subject of a main clause (not "our", "us", not "…that we …" under an "I" clause). */
  weActs: boolean;
  /** "I" + a past-tense verb: a step the speaker took. */
  iPast: boolean;
  /** A past-tense verb outside a modal frame: the sentence tells something that happened. */
  past: boolean;
  /** "I would …", "we'll …", "you should …": an unreal or future frame. */
  unreal: boolean;
  /** "Usually I …", "I always …": habitual. */
  habitual: boolean;
  /** Present-tense first-person step ("I start by …"), not a state. */
  presentStep: boolean;
  /** Starts with "if". */
  conditional: boolean;
  /** A passive with "was/were" ("the issue was solved"). */
  passive: boolean;
}

/** The index of the verb a subject at `i` governs, skipping adverbs, particles and auxiliaries; -1 if none. */
function governedVerb(tokens: readonly NlpToken[], i: number): number {
  for (let j = i + 1; j < tokens.length && j <= i + 4; j++) {
    const t = tokens[j]!;
    if (t.pos === "VERB") return j;
    if (t.pos === "AUX") {
      const next = tokens[j + 1];
      // A bare auxiliary is the main verb ("we were late", "I had a plan").
      if (!next || !(SKIP_TO_VERB.has(next.pos) || next.pos === "VERB")) return j;
      continue;
    }
    if (!SKIP_TO_VERB.has(t.pos)) return -1;
  }
  return -1;
}

export function sentenceFacts(tokens: readonly NlpToken[]): SentenceFacts {
  const facts: SentenceFacts = {
    subjects: new Set(),
    weActs: false,
    iPast: false,
    past: false,
    unreal: false,
    habitual: false,
    presentStep: false,
    conditional: false,
    passive: false,
  };
  const words = tokens.filter((t) => t.pos !== "PUNCT" && t.pos !== "SPACE" && t.pos !== "SYM");
  if (words[0]?.lower === "if") facts.conditional = true;
  let modalBefore = -10;
  let clauseHasI = false;
  let subordinate = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.lower;
    // A new main clause: ", and", ";", "then", "but".
    if (t.pos === "PUNCT" && (w === ";" || w === ":")) {
      clauseHasI = false;
      subordinate = false;
    }
    if (t.pos === "CCONJ" || w === "then") subordinate = false;
    if (SUBORDINATORS.has(w) && (t.pos === "SCONJ" || t.pos === "ADP" || t.pos === "PRON" || t.pos === "DET" || w === "when" || w === "if")) subordinate = true;
    if (HABITUAL.has(w)) facts.habitual = true;
    if (isVerb(t)) {
      const form = verbForm(tokens, i);
      if (form === "modal") {
        if (UNREAL.has(w) || w === "'d" || w === "’d") modalBefore = i;
      } else if (form === "past" && i - modalBefore > 3) {
        facts.past = true;
        if ((w === "was" || w === "were") && tokens[i + 1]?.pos === "VERB" && verbForm(tokens, i + 1) === "past") facts.passive = true;
      }
    }
    if (t.pos === "PRON" && SUBJECT_PRONOUNS.has(w)) {
      const v = governedVerb(tokens, i);
      if (v < 0) continue;
      facts.subjects.add(w);
      // The verb's form, or the auxiliary's right after the subject ("I would call", "we had called").
      let unreal = false;
      let past = false;
      let present = false;
      for (let j = i + 1; j <= v; j++) {
        const f = verbForm(tokens, j);
        if (!isVerb(tokens[j]!)) continue;
        if (f === "modal" && (UNREAL.has(tokens[j]!.lower) || tokens[j]!.lower.endsWith("d"))) unreal = true;
        else if (f === "past") past = true;
        else if (f === "present" || f === "base") present = true;
        break;
      }
      if (unreal && (w === "i" || w === "we" || w === "you")) facts.unreal = true;
      if (w === "i") {
        if (past && !unreal) facts.iPast = true;
        if (present && !unreal && tokens[v]!.pos === "VERB" && tokens[v]!.lemma !== "be" && tokens[v]!.lemma !== "have") facts.presentStep = true;
        if (!subordinate) clauseHasI = true;
      }
      if (w === "we" && !unreal && !(subordinate && clauseHasI)) facts.weActs = true;
    }
  }
  // "I read 50 tickets, found three causes": a verb whose past looks like its base ("read", "put",
  // "cut", "set") is past when the sentence is told in the past.
  if (facts.subjects.has("i") && facts.past && !facts.unreal) {
    facts.iPast = true;
    facts.presentStep = false;
  }
  return facts;
}
