/**
 * Amounts as written, in digits or words: "35%", "$10M", "six hours", "a third", "fourteen",
 * "doubled". Built on wink-nlp's entities (CARDINAL, DURATION, PERCENT, MONEY, fractions) plus the
 * fraction and multiplier words its recogniser leaves out. Dates and clock times are not amounts.
 */
import type { NlpDoc, NlpToken } from "./nlp.js";
import { stripToken } from "./tokens.js";

export interface Quantity {
  text: string;
  start: number;
  end: number;
}

const AMOUNT_TYPES = new Set(["CARDINAL", "DURATION", "PERCENT", "MONEY"]);
const FRACTIONS = new Set(["half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"]);
const COUNTERS = new Set(["a", "an", "one", "two", "three", "four", "nine"]);
/** Words that state a measured change on their own. */
const MULTIPLIERS = new Set(["doubled", "tripled", "trebled", "quadrupled", "halved", "twice", "threefold", "tenfold", "double", "triple"]);
/** "one" used as a pronoun or in a time phrase is not an amount. */
const NOT_AFTER_ONE = new Set(["of", "another", "day", "morning", "afternoon", "evening", "night", "time", "point", "weekend"]);

function isSpaceChar(ch: string | undefined): boolean {
  return ch === undefined || /\s/u.test(ch);
}

/** Widen a span to whole whitespace-delimited words, then strip their edge punctuation ("(35%)." → "35%"). */
function asWritten(text: string, start: number, end: number): Quantity | null {
  let s = start;
  let e = end;
  while (s > 0 && !isSpaceChar(text[s - 1])) s--;
  while (e < text.length && !isSpaceChar(text[e])) e++;
  const raw = text.slice(s, e);
  const stripped = stripToken(raw);
  if (!stripped) return null;
  const lead = raw.indexOf(stripped);
  return { text: stripped, start: s + lead, end: s + lead + stripped.length };
}

function isFractionAt(tokens: readonly NlpToken[], i: number): boolean {
  const t = tokens[i]!;
  if (!FRACTIONS.has(t.lower)) return false;
  const prev = tokens[i - 1];
  if (t.lower === "half" || t.lower === "halves") return prev !== undefined && /^(by|in|a|about|over|than|almost|nearly|the|to|one)$/.test(prev.lower);
  if (!prev || !(COUNTERS.has(prev.lower) || prev.pos === "NUM")) return false;
  // "within a quarter" is a period of time, not a share.
  if (t.lower.startsWith("quarter")) return /^(by|of)$/.test(tokens[i + 1]?.lower ?? "") || /^(by|about|over|than|almost|nearly)$/.test(tokens[i - 2]?.lower ?? "");
  return true;
}

/** The amounts in `text`, in order, each as written. */
export function findQuantities(text: string, doc: NlpDoc): Quantity[] {
  const { tokens } = doc;
  const spans: Array<[number, number]> = []; // token index ranges, inclusive
  const taken = new Uint8Array(tokens.length);
  const add = (first: number, last: number) => {
    for (let k = first; k <= last; k++) if (taken[k]) return;
    taken.fill(1, first, last + 1);
    spans.push([first, last]);
  };
  for (let i = 0; i < tokens.length; i++) {
    if (isFractionAt(tokens, i)) add(tokens[i]!.lower.startsWith("hal") ? i : i - 1, i);
    else if (MULTIPLIERS.has(tokens[i]!.lower)) add(i, i);
  }
  for (const e of doc.entities) {
    if (!AMOUNT_TYPES.has(e.type)) continue;
    // An amount needs a number in it ("peak hours" is tagged DURATION too).
    if (!tokens.slice(e.first, e.last + 1).some((t) => t.pos === "NUM" || /\d/.test(t.text))) continue;
    const first = tokens[e.first]!;
    if (first.lower === "one" && e.first === e.last && NOT_AFTER_ONE.has(tokens[e.last + 1]?.lower ?? "")) continue;
    // "One day I …" opens a story; "in one day" is an amount.
    if (e.type === "DURATION" && first.lower === "one" && (e.first === 0 || tokens[e.first - 1]!.pos === "PUNCT" || tokens[e.first - 1]!.pos === "SPACE")) continue;
    add(e.first, e.last);
  }
  // Digits the recogniser did not cover (years and clock times excepted).
  const dated = new Uint8Array(tokens.length);
  for (const e of doc.entities) if (e.type === "DATE" || e.type === "TIME" || e.type === "ORDINAL") dated.fill(1, e.first, e.last + 1);
  for (let i = 0; i < tokens.length; i++) {
    if (!taken[i] && !dated[i] && /\d/.test(tokens[i]!.text)) add(i, i);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const out: Quantity[] = [];
  for (const [first, last] of spans) {
    const q = asWritten(text, tokens[first]!.start, tokens[last]!.end);
    if (q && !out.some((o) => o.start === q.start)) out.push(q);
  }
  return out;
}
