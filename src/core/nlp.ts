/**
 * English NLP under the analysis: tokens with part of speech, lemma and character offsets, and the
 * amounts wink-nlp's entity recogniser finds ("a third", "six hours", "35%"). wink-nlp and its lite
 * English model ship inside their npm packages, so nothing is fetched at run time and the same code
 * runs on Node and on Workers. The model is loaded once, on first use (about half a second).
 */
import winkNLP, { type PartOfSpeech, type WinkMethods } from "wink-nlp";
import model from "wink-eng-lite-web-model";

export interface NlpToken {
  text: string; // as written
  lower: string; // wink's normal form (lower case, curly quotes folded)
  lemma: string;
  pos: PartOfSpeech;
  start: number; // offsets into the analysed text
  end: number;
  /** Set when the tagger missed a verb right after a subject pronoun ("I rewrote the script"). */
  retagged?: boolean;
}

export interface NlpEntity {
  type: string; // CARDINAL, ORDINAL, DURATION, PERCENT, MONEY, DATE, TIME, …
  first: number; // token indices, inclusive
  last: number;
}

export interface NlpDoc {
  tokens: NlpToken[];
  entities: NlpEntity[];
}

let instance: WinkMethods | null = null;

function nlp(): WinkMethods {
  // Only the annotators the analysis reads: part of speech and entities (sentence boundaries come
  // from the project's own splitter, which keeps character offsets).
  instance ??= winkNLP(model, ["pos", "ner"]);
  return instance;
}

/** Tokens (with offsets) and entities of `text`. */
export function parse(text: string): NlpDoc {
  const w = nlp();
  const its = w.its;
  const doc = w.readDoc(text);
  // wink's typings do not accept every `its` helper in out(); the helpers themselves are documented.
  const tokens = doc.tokens();
  const column = <T>(helper: unknown) => (tokens.out as (f: unknown) => T[])(helper);
  const values = column<string>(its.value);
  const lemmas = column<string>(its.lemma);
  const pos = column<PartOfSpeech>(its.pos);
  const out: NlpToken[] = new Array(values.length);
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    // wink keeps every token's text as written, in order, so a forward search finds each one.
    let at = text.indexOf(value, cursor);
    // Only whitespace may lie between two tokens; anything else means wink changed the text.
    if (at > cursor + 1 && /\S/u.test(text.slice(cursor, at))) at = -1;
    const start = at < 0 ? cursor : at;
    const end = at < 0 ? cursor : at + value.length;
    cursor = end;
    // wink's normal form, without its extra pass: lower case with curly apostrophes folded.
    const lower = value.toLowerCase();
    out[i] = { text: value, lower: lower.includes("’") ? lower.replaceAll("’", "'") : lower, lemma: lemmas[i]!, pos: pos[i]!, start, end };
  }
  retagVerbsAfterSubjects(out);
  const found = doc.entities();
  const spans = (found.out as (f: unknown) => Array<[number, number]>)(its.span);
  const types = (found.out as (f: unknown) => string[])(its.type);
  const entities: NlpEntity[] = spans.map(([first, last], i) => ({ type: types[i]!, first, last }));
  return { tokens: out, entities };
}

const NOMINATIVE = new Set(["i", "we", "they", "he", "she"]);
const RETAGGABLE = new Set<PartOfSpeech>(["NOUN", "ADJ", "PROPN", "X"]);

/**
 * The lite model tags verbs it does not know as nouns ("I rewrote the script", "we upskilled them").
 * A lower-case word straight after "I"/"we"/"they"/"he"/"she" is a verb in English, so it is re-tagged.
 */
function retagVerbsAfterSubjects(tokens: NlpToken[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const next = tokens[i + 1]!;
    if (tokens[i]!.pos !== "PRON" || !NOMINATIVE.has(tokens[i]!.lower) || !RETAGGABLE.has(next.pos) || !/^[a-z]+$/.test(next.text)) continue;
    next.pos = "VERB";
    next.retagged = true;
  }
}

let lexiconDoc: ReturnType<WinkMethods["readDoc"]> | null = null;

/** Whether `word` (lower case) is in the model's English lexicon: an ordinary word, not a name it has never seen. */
export function inLexicon(word: string): boolean {
  lexiconDoc ??= nlp().readDoc("");
  return !lexiconDoc.isOOV(word);
}

/** Load the model now (servers call this at start so the first request does not pay for it). */
export function warmUp(): void {
  nlp();
}
