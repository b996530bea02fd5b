/**
 * How an Analysis crosses a thread boundary cheaply. Structured clone copies every object one by
 * one, and the tokens of every sentence (text, lemma, part of speech, offsets: about 85 % of the
 * bytes) made deserialising a 300-word answer's Analysis cost a third of the analysis itself on
 * the receiving thread. Here the tokens travel as one Int32Array of cells plus a table of the
 * distinct strings, and are rebuilt as plain objects on arrival; the rest of the Analysis is
 * cloned as it is.
 */
import type { Analysis } from "../core/analyze.js";
import type { NlpToken } from "../core/nlp.js";
import type { LabelledSentence } from "../core/star-split.js";

/** The string fields of a token, each sent as an index into the message's string table. */
const STRING_FIELDS = ["text", "lower", "lemma", "pos"] as const;
/** The integer fields, sent as they are. */
const INT_FIELDS = ["start", "end"] as const;
/** The optional flag: -1 absent, 0 false, 1 true. */
const FLAG_FIELD = "retagged";
const CELLS = STRING_FIELDS.length + INT_FIELDS.length + 1;

// A field added to NlpToken must be added here too, or it would be lost on the way: this line
// stops the type check until it is.
type Unsent = Exclude<keyof NlpToken, (typeof STRING_FIELDS)[number] | (typeof INT_FIELDS)[number] | typeof FLAG_FIELD>;
const everyFieldSent: [Unsent] extends [never] ? true : Unsent = true;
void everyFieldSent;

/** A sentence on the wire: its tokens replaced by their count (the key keeps its place). */
type WireSentence = Omit<LabelledSentence, "tokens"> & { tokens: number };

export interface WireAnalysis {
  analysis: Omit<Analysis, "sentences"> & { sentences: WireSentence[] };
  strings: string[];
  /** CELLS integers per token, sentence after sentence. */
  cells: Int32Array<ArrayBuffer>;
}

export function encodeAnalysis(a: Analysis): WireAnalysis {
  const index = new Map<string, number>();
  const strings: string[] = [];
  const intern = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const count = a.sentences.reduce((n, s) => n + s.tokens.length, 0);
  const cells = new Int32Array(count * CELLS);
  let at = 0;
  for (const s of a.sentences) {
    for (const t of s.tokens) {
      for (const f of STRING_FIELDS) cells[at++] = intern(t[f]);
      for (const f of INT_FIELDS) cells[at++] = t[f];
      cells[at++] = t[FLAG_FIELD] === undefined ? -1 : t[FLAG_FIELD] ? 1 : 0;
    }
  }
  const sentences = a.sentences.map((s) => ({ ...s, tokens: s.tokens.length }));
  return { analysis: { ...a, sentences }, strings, cells };
}

/** The Analysis back, equal to the one encoded; `wire` is taken over (its sentences become the result's). */
export function decodeAnalysis(wire: WireAnalysis): Analysis {
  const { strings, cells } = wire;
  let at = 0;
  for (const s of wire.analysis.sentences) {
    const tokens: NlpToken[] = new Array(s.tokens);
    for (let i = 0; i < tokens.length; i++, at += CELLS) {
      // An object literal in NlpToken's own key order (one hidden class, several times faster to
      // build than keys added by name in a loop).
      const token: NlpToken = {
        text: strings[cells[at]!]!,
        lower: strings[cells[at + 1]!]!,
        lemma: strings[cells[at + 2]!]!,
        pos: strings[cells[at + 3]!] as NlpToken["pos"],
        start: cells[at + 4]!,
        end: cells[at + 5]!,
      };
      const flag = cells[at + 6]!;
      if (flag >= 0) token.retagged = flag === 1;
      tokens[i] = token;
    }
    (s as unknown as LabelledSentence).tokens = tokens;
  }
  return wire.analysis as unknown as Analysis;
}
