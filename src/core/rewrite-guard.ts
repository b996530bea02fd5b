/**
 * The invention check: a proposed rewrite (from the model or the rules) keeps only what the original
 * answer supports. For every proposed sentence, with its bracketed placeholders blanked out:
 * - every name (a token tagged PROPN, an e-mail, URL, @mention or #hashtag) must occur in the answer,
 *   or the sentence is dropped;
 * - its content words must come from the original sentences it cites in `from`; a wrong citation is
 *   corrected (the one to three sentences that do carry them), and a sentence no sentence of the
 *   answer carries is dropped;
 * - "I" may not take over a step the cited sentences give to "we": such a sentence is replaced by the
 *   cited sentences with a placeholder for the candidate's own part;
 * - every amount (findQuantities) and every token with a digit must occur in the answer, or it
 *   becomes a placeholder.
 * What is left can be shown: nothing in it that is not bracketed is new.
 */
import { sentenceFacts } from "./grammar.js";
import { inLexicon, parse, type NlpToken } from "./nlp.js";
import { findQuantities } from "./quantities.js";
import { GAPS, maskPlaceholders, placeholdersIn, type ProposedSentence, type RejectReason, type RewriteSentence } from "./rewrite.js";
import type { RewriteSource } from "./rewrite-source.js";
import type { ParsedSentence } from "./star-split.js";
import { FIRST_PERSON_SINGULAR, stripToken } from "./tokens.js";

export interface GuardOutcome {
  sentences: RewriteSentence[];
  placeholders: string[];
  dropped: number;
  droppedReasons: RejectReason[];
  /** The dropped sentences themselves, for logs and tests; never shown as part of the rewrite. */
  rejected: Array<{ text: string; reason: RejectReason }>;
  figuresReplaced: number;
  ownershipReplaced: number;
}

/** Share of a sentence's content words that must come from the sentences it cites. */
export const MIN_SUPPORT = 0.6;
/** A rewritten sentence may merge at most this many original sentences when its citation is corrected. */
export const MAX_SOURCES = 3;

// ---------------------------------------------------------------------------------------------
// Text occurrence

/** Lower case, compatibility forms, straight quotes, single spaces: how two texts are compared. */
export function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[‘’‛′]/gu, "'")
    .replace(/[“”„‟″]/gu, '"')
    .replace(/\s+/gu, " ")
    .trim();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

const DIGIT = /\p{N}/u;

/**
 * Whether the text continues a word across index `i` (the character just outside a match): a letter
 * or digit, or a decimal point or thousands comma between digits ("0.5", "1,200").
 */
function continuesWord(text: string, i: number, step: 1 | -1): boolean {
  const ch = text[i];
  if (ch === undefined) return false;
  if (WORD_CHAR.test(ch)) return true;
  return (ch === "." || ch === ",") && DIGIT.test(text[i + step] ?? "") && DIGIT.test(text[i - step] ?? "");
}

/** Whether `needle` occurs in the folded `haystack` as whole words ("3" is not in "300", "5" not in "0.5%"). */
export function occursIn(foldedHaystack: string, needle: string): boolean {
  const n = fold(needle);
  if (!n) return true;
  const startsWord = WORD_CHAR.test(n[0]!);
  const endsWord = WORD_CHAR.test(n[n.length - 1]!);
  for (let at = foldedHaystack.indexOf(n); at >= 0; at = foldedHaystack.indexOf(n, at + 1)) {
    const end = at + n.length;
    if ((!startsWord || !continuesWord(foldedHaystack, at - 1, -1)) && (!endsWord || !continuesWord(foldedHaystack, end, 1))) return true;
  }
  return false;
}

/** "about 40%" restates "40%": a hedge in front of an amount adds no figure. */
const HEDGE = /^(?:about|around|roughly|approximately|nearly|almost|over|under|more than|less than|fewer than|up to|at least|just|only|some|by)\s+/iu;

const NUMBER_WORDS = [
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
  "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
];
const TENS = ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const NUMBER_WORD = new RegExp(`(?<![\\p{L}\\p{N}])(${[...NUMBER_WORDS, ...TENS].join("|")})(?![\\p{L}\\p{N}])`, "gu");
const numberValue = (word: string) => String(NUMBER_WORDS.includes(word) ? NUMBER_WORDS.indexOf(word) : (TENS.indexOf(word) + 3) * 10);

/** Folded, with number words as digits: "five weeks" and "5 weeks" are the same figure. */
export function foldFigures(text: string): string {
  return fold(text).replace(NUMBER_WORD, numberValue);
}

function figureSupported(figuresAnswer: string, figure: string): boolean {
  return occursIn(figuresAnswer, foldFigures(figure)) || occursIn(figuresAnswer, foldFigures(figure.replace(HEDGE, "")));
}

// ---------------------------------------------------------------------------------------------
// Names

const NAME_ENTITIES = new Set(["EMAIL", "URL", "MENTION", "HASHTAG"]);

/** The whitespace-delimited word around a character range. */
function wordAround(text: string, start: number, end: number): string {
  let s = start;
  let e = end;
  while (s > 0 && !/\s/u.test(text[s - 1]!)) s--;
  while (e < text.length && !/\s/u.test(text[e]!)) e++;
  return text.slice(s, e);
}

export interface Name {
  /** The token as tagged ("Acme" in "Acme's"). */
  text: string;
  /** The whole written word around it, edge punctuation stripped ("BA$" when the tagger split off "B"). */
  word: string;
}

/**
 * Names in a parsed sentence: proper nouns by the tagger and identifier-like entities. The tagger
 * reads any capitalised first word as a proper noun ("Latency fell …"), so a first word counts as a
 * name only when it is no ordinary English word ("Priya", "Kubernetes"); a first word that is both
 * ("Grace", "Bob") is left to the content check.
 */
export function namesIn(text: string, doc: ReturnType<typeof parse>): Name[] {
  const { tokens } = doc;
  const out: Name[] = [];
  let first = true;
  for (const t of tokens) {
    if (t.pos === "PUNCT" || t.pos === "SPACE" || t.pos === "SYM") continue;
    const initial = first;
    first = false;
    if (t.pos !== "PROPN" || !/\p{L}/u.test(t.text)) continue;
    if (initial && inLexicon(t.lower)) continue;
    const word = wordAround(text, t.start, t.end);
    // "M" in "$2M", "Q3": part of a figure, which the figure check covers.
    if (/\d/u.test(word)) continue;
    out.push({ text: t.text, word: stripToken(word) });
  }
  for (const e of doc.entities) {
    if (!NAME_ENTITIES.has(e.type)) continue;
    const entity = text.slice(tokens[e.first]!.start, tokens[e.last]!.end);
    out.push({ text: entity, word: entity });
  }
  return out;
}

/** A name is in the answer when the tagged token or the written word around it is. */
const nameInAnswer = (foldedAnswer: string, name: Name) => occursIn(foldedAnswer, name.text) || occursIn(foldedAnswer, name.word);

// ---------------------------------------------------------------------------------------------
// Content support

// Figures are left to the figure check: an invented number becomes a placeholder, not a reason to drop.
const CONTENT_POS = new Set(["NOUN", "VERB", "ADJ", "PROPN"]);
const LIGHT_VERBS = new Set(["be", "have", "do", "will", "would", "can", "could", "should", "may", "might", "must", "shall"]);
/** Words a coach adds to frame the story; they state no fact about it. */
const FRAMING = new Set(["goal", "task", "job", "role", "responsible", "responsibility", "result", "outcome", "aim", "objective", "decide", "step", "own"]);

/** One spelling for "-ise/-ize" and "-yse/-yze" words, so "analysed" matches "analyzed". */
function wordKey(word: string): string {
  return word.replace(/([iy])s(e|ed|es|ing|ation|ations)$/u, "$1z$2");
}

/**
 * The content words of a sentence, each as the forms it may be found under (lemma and surface form:
 * the tagger may read a word differently in a sentence of its own than inside the answer).
 */
function contentWords(tokens: readonly NlpToken[]): string[][] {
  const out = new Map<string, string[]>();
  for (const t of tokens) {
    if (!CONTENT_POS.has(t.pos) || LIGHT_VERBS.has(t.lemma) || !/\p{L}/u.test(t.text) || /\d/u.test(t.text)) continue;
    const lemma = wordKey(t.lemma);
    if (!out.has(lemma)) out.set(lemma, [lemma, wordKey(t.lower)]);
  }
  return [...out.values()];
}

/** Every form a source sentence's words may be restated in: lemma and surface form. */
function sourceWords(s: ParsedSentence): Set<string> {
  const out = new Set<string>();
  for (const t of s.tokens) {
    out.add(wordKey(t.lemma));
    out.add(wordKey(t.lower));
  }
  return out;
}

const framing = (word: readonly string[]) => word.some((w) => FRAMING.has(w));
const carriedBy = (word: readonly string[], set: ReadonlySet<string>) => word.some((w) => set.has(w));

function support(words: readonly string[][], sources: ReadonlyArray<ReadonlySet<string>>): number {
  if (!words.length) return 1;
  const carried = words.filter((w) => framing(w) || sources.some((s) => carriedBy(w, s))).length;
  return carried / words.length;
}

/**
 * The sentences that carry `words`: the cited ones if they do, else the fewest (up to MAX_SOURCES)
 * chosen greedily from the whole answer; null when no such set reaches MIN_SUPPORT.
 */
function cite(words: readonly string[][], cited: readonly number[], all: ReadonlyArray<Set<string>>): number[] | null {
  if (cited.length && support(words, cited.map((i) => all[i]!)) >= MIN_SUPPORT) return [...cited];
  const picked: number[] = [];
  let uncovered = words.filter((w) => !framing(w));
  while (picked.length < MAX_SOURCES && uncovered.length) {
    let best = -1;
    let bestCount = 0;
    all.forEach((set, i) => {
      if (picked.includes(i)) return;
      const count = uncovered.filter((w) => carriedBy(w, set)).length;
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    });
    if (best < 0) break;
    picked.push(best);
    uncovered = uncovered.filter((w) => !carriedBy(w, all[best]!));
    if (support(words, picked.map((i) => all[i]!)) >= MIN_SUPPORT) return picked.sort((a, b) => a - b);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Ownership

/**
 * The sentence with its acting "we" turned into a question about the speaker's own part:
 * "We shipped it behind a flag." → "I [did what exactly?] when we shipped it behind a flag."
 * Sentences where "we" does not act are returned as they are.
 */
export function askForOwnStep(s: ParsedSentence): string {
  if (!s.facts.weActs) return s.text;
  const tokens = s.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.lower !== "we" || t.pos !== "PRON") continue;
    let j = i + 1;
    while (tokens[j] && (tokens[j]!.pos === "ADV" || tokens[j]!.pos === "PART")) j++;
    if (!tokens[j] || (tokens[j]!.pos !== "VERB" && tokens[j]!.pos !== "AUX")) continue;
    const at = t.start - s.start;
    return `${s.text.slice(0, at)}I ${GAPS.ownStep} when we${s.text.slice(at + t.text.length)}`;
  }
  return s.text;
}

const saysI = (s: ParsedSentence) => s.tokens.some((t) => FIRST_PERSON_SINGULAR.has(t.lower.replace("’", "'")));

// ---------------------------------------------------------------------------------------------
// Figures

/** Character ranges of amounts and digit tokens in `masked` that the answer does not contain. */
function unsupportedFigures(masked: string, doc: ReturnType<typeof parse>, figuresAnswer: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const q of findQuantities(masked, doc)) if (!figureSupported(figuresAnswer, q.text)) spans.push([q.start, q.end]);
  // The contract's digit rule too: dates, times and versions are figures as well.
  for (const m of masked.matchAll(/\S+/gu)) {
    const word = stripToken(m[0]);
    if (!/\d/u.test(word) || occursIn(figuresAnswer, word)) continue;
    const start = m.index + m[0].indexOf(word);
    spans.push([start, start + word.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

// ---------------------------------------------------------------------------------------------

const tidy = (text: string) => text.replace(/\s+/gu, " ").trim();

/** Check every proposed sentence against the original answer; see the module comment for the rules. */
export function guardRewrite(source: RewriteSource, proposed: readonly ProposedSentence[]): GuardOutcome {
  const foldedAnswer = fold(source.answer);
  const figuresAnswer = foldFigures(source.answer);
  const sourceSets = source.sentences.map(sourceWords);
  const out: GuardOutcome = { sentences: [], placeholders: [], dropped: 0, droppedReasons: [], rejected: [], figuresReplaced: 0, ownershipReplaced: 0 };
  const reject = (text: string, reason: RejectReason) => {
    out.dropped++;
    out.droppedReasons.push(reason);
    out.rejected.push({ text, reason });
  };

  for (const p of proposed) {
    let text = tidy(p.text);
    const masked = maskPlaceholders(text);
    if (!/[\p{L}\p{N}]/u.test(text)) {
      reject(text, "empty");
      continue;
    }
    const doc = parse(masked);
    if (namesIn(masked, doc).some((name) => !nameInAnswer(foldedAnswer, name))) {
      reject(text, "invented_name");
      continue;
    }
    const words = contentWords(doc.tokens);
    const cited = [...new Set(p.from)].filter((i) => Number.isInteger(i) && i >= 0 && i < source.sentences.length).sort((a, b) => a - b);
    // A sentence with no content word (a placeholder, "I would do it again.") states no fact to check.
    let from = cited;
    if (words.length) {
      const found = cite(words, cited, sourceSets);
      if (!found) {
        reject(text, "unsupported");
        continue;
      }
      from = found;
    }
    const sources = from.map((i) => source.sentences[i]!);
    if (sentenceFacts(doc.tokens).subjects.has("i") && !sources.some(saysI) && sources.some((s) => s.facts.weActs)) {
      // The answer says "we" did this: the rewrite may not quietly make it "I".
      text = sources.map(askForOwnStep).join(" ");
      out.ownershipReplaced++;
    } else {
      const spans = unsupportedFigures(masked, doc, figuresAnswer);
      for (const [start, end] of spans.reverse()) text = `${text.slice(0, start)}${GAPS.figure}${text.slice(end)}`;
      out.figuresReplaced += spans.length;
    }
    out.sentences.push({ text, part: p.part, from });
  }
  out.placeholders = [...new Set(out.sentences.flatMap((s) => placeholdersIn(s.text)))];
  return out;
}
