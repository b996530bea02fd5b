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
  /** A share, money or a multiplier ("35%", "$10M", "a third", "doubled"): a measure on its own. */
  measure: boolean;
  /** A time marker rather than an amount ("three years later", "after six months"). */
  timeMarker: boolean;
}

const AMOUNT_TYPES = new Set(["CARDINAL", "DURATION", "PERCENT", "MONEY"]);
const FRACTIONS = new Set(["half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "tenth", "tenths"]);
const COUNTERS = new Set(["a", "an", "one", "two", "three", "four", "nine"]);
/** Words that state a measured change on their own. */
const MULTIPLIERS = new Set(["doubled", "tripled", "trebled", "quadrupled", "halved", "twice", "threefold", "tenfold", "double", "triple"]);
/** "one" used as a pronoun or in a time phrase is not an amount. */
const NOT_AFTER_ONE = new Set(["of", "another", "day", "morning", "afternoon", "evening", "night", "time", "point", "weekend"]);

function isSpaceChar(ch: string | undefined): boolean {
  return ch === undefined || ch === " " || ch === "\n" || ch === "\t" || ch === "\r" || (ch > "~" && /\s/u.test(ch));
}

/** Widen a span to whole whitespace-delimited words, then strip their edge punctuation ("(35%)." → "35%"). */
function asWritten(text: string, start: number, end: number): Pick<Quantity, "text" | "start" | "end"> | null {
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
  const spans: Array<[number, number, boolean]> = []; // token index ranges (inclusive), measure
  const taken = new Uint8Array(tokens.length);
  const add = (first: number, last: number, measure = false) => {
    for (let k = first; k <= last; k++) if (taken[k]) return;
    taken.fill(1, first, last + 1);
    spans.push([first, last, measure]);
  };
  for (let i = 0; i < tokens.length; i++) {
    if (isFractionAt(tokens, i)) add(tokens[i]!.lower.startsWith("hal") ? i : i - 1, i, true);
    else if (MULTIPLIERS.has(tokens[i]!.lower)) add(i, i, true);
  }
  for (const e of doc.entities) {
    if (!AMOUNT_TYPES.has(e.type)) continue;
    // An amount needs a number in it ("peak hours" is tagged DURATION too).
    if (!tokens.slice(e.first, e.last + 1).some((t) => t.pos === "NUM" || /\d/.test(t.text))) continue;
    const first = tokens[e.first]!;
    if (first.lower === "one" && e.first === e.last && NOT_AFTER_ONE.has(tokens[e.last + 1]?.lower ?? "")) continue;
    // "One day I …" opens a story; "in one day" is an amount.
    if (e.type === "DURATION" && first.lower === "one" && (e.first === 0 || tokens[e.first - 1]!.pos === "PUNCT" || tokens[e.first - 1]!.pos === "SPACE")) continue;
    add(e.first, e.last, e.type === "PERCENT" || e.type === "MONEY");
  }
  // Digits the recogniser did not cover (years and clock times excepted).
  const dated = new Uint8Array(tokens.length);
  for (const e of doc.entities) if (e.type === "DATE" || e.type === "TIME" || e.type === "ORDINAL") dated.fill(1, e.first, e.last + 1);
  for (let i = 0; i < tokens.length; i++) {
    if (!taken[i] && !dated[i] && /\d/.test(tokens[i]!.text)) add(i, i, /\d(x|%)|[$€£]|\dk\b|\dm\b/i.test(tokens[i]!.text));
  }
  spans.sort((a, b) => a[0] - b[0]);
  const out: Quantity[] = [];
  for (const [first, last, measure] of spans) {
    const q = asWritten(text, tokens[first]!.start, tokens[last]!.end);
    if (!q || out.some((o) => o.start === q.start)) continue;
    // A number word inside a compound is no amount ("number-one", "double-counted"), unlike "two-year".
    if (first === last && !/\d/.test(q.text) && q.text.length > tokens[first]!.text.length && !UNITS_OF_TIME.test(q.text.split("-").at(-1)!.toLowerCase())) continue;
    const before = tokens[first - 1]?.lower ?? "";
    const after = tokens[last + 1]?.lower ?? "";
    const timeMarker = TIME_AFTER.has(after) || (TIME_BEFORE.has(before) && !measure && tokens.slice(first, last + 1).some((t) => UNITS_OF_TIME.test(t.lower)));
    out.push({ ...q, measure: measure || /[%$€£]/u.test(q.text), timeMarker });
  }
  return out;
}

const TIME_AFTER = new Set(["later", "ago", "earlier", "before", "after", "on", "in"]);
const TIME_BEFORE = new Set(["after", "for", "within", "over", "in", "during", "next", "last", "every", "each"]);
const UNITS_OF_TIME = /^(second|minute|hour|day|week|fortnight|month|quarter|year|shift|night)s?$/;
/** Words that state a change or a comparison: "fell", "from … to", "fewer", "than", "saved". */
const CHANGE = new Set([
  "reduce", "increase", "cut", "save", "grow", "rise", "fall", "drop", "double", "halve", "improve", "lower", "raise", "shrink",
  "decrease", "climb", "jump", "slash", "gain", "lose", "recover", "more", "less", "fewer", "than", "from", "under", "over",
  "up", "down", "reach", "hit", "exceed", "beat", "only", "zero", "no", "per", "every", "each", "faster", "quicker", "shorter",
]);

/**
 * Whether a sentence states a measured outcome: a share, money or multiplier, or an amount next to
 * a word of change or comparison ("went from six hours to under one", "twelve new customers signed").
 * Time markers ("three years later") and a lone "one" are not measures.
 */
export function statesMeasure(tokens: readonly NlpToken[], quantities: readonly Quantity[]): boolean {
  if (quantities.some((q) => q.measure)) return true;
  const amounts = quantities.filter((q) => !q.timeMarker && !/^(one|a|an)$/i.test(q.text));
  if (!amounts.length) return false;
  return tokens.some((t) => CHANGE.has(t.lemma) || CHANGE.has(t.lower)) || amounts.some((q) => /\d/.test(q.text));
}
