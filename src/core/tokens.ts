/**
 * Token-level counting rules, exactly as fixed in the contract (docs/CONTRACT.md, "Counting"):
 * split on Unicode whitespace, strip leading/trailing punctuation, then classify.
 */

// Quotes (straight and curly), brackets, sentence punctuation and dashes.
const EDGE_PUNCTUATION = `'"‘’‚‛“”„‟«»‹›()[]{}<>.,;:!?…‐‑‒–—―-`;
const EDGE = new Set([...EDGE_PUNCTUATION].map((ch) => ch.charCodeAt(0)));
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const DIGIT = /\p{Nd}/u;

export const FIRST_PERSON_SINGULAR: ReadonlySet<string> = new Set([
  "i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll",
]);
export const FIRST_PERSON_PLURAL: ReadonlySet<string> = new Set([
  "we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll",
]);

/** Strip the contract's edge punctuation from one whitespace-delimited token. */
export function stripToken(raw: string): string {
  // A char-code scan: all edge characters are in the BMP, and this runs for every token.
  let start = 0;
  let end = raw.length;
  while (start < end && EDGE.has(raw.charCodeAt(start))) start++;
  while (end > start && EDGE.has(raw.charCodeAt(end - 1))) end--;
  return start === 0 && end === raw.length ? raw : raw.slice(start, end);
}

/** Exactly the characters JavaScript's \s matches (Unicode White_Space plus BOM). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0x85) return false;
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whitespace-split, punctuation-stripped tokens; empty strings are dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const boundary = i === text.length || isSpace(text.charCodeAt(i));
    if (boundary) {
      if (start >= 0) {
        const token = stripToken(text.slice(start, i));
        if (token) out.push(token);
        start = -1;
      }
    } else if (start < 0) start = i;
  }
  return out;
}

/** ASCII fast paths (the common case); any non-ASCII character defers to the Unicode regex. */
export function isWord(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
    if (c > 127) return LETTER_OR_DIGIT.test(token);
  }
  return false;
}

export function isNumber(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
    if (c > 127) return DIGIT.test(token);
  }
  return false;
}

const LONGEST_PRONOUN = 9; // "ourselves"

function pronounKey(token: string): string {
  if (token.length > LONGEST_PRONOUN) return "";
  const lower = token.toLowerCase();
  return lower.includes("’") ? lower.replaceAll("’", "'") : lower;
}

export function isFirstPersonSingular(token: string): boolean {
  return FIRST_PERSON_SINGULAR.has(pronounKey(token));
}

/** "US" written exactly so is the country, not the pronoun. */
export function isFirstPersonPlural(token: string): boolean {
  return token !== "US" && FIRST_PERSON_PLURAL.has(pronounKey(token));
}

export interface TokenCounts {
  words: number;
  iCount: number;
  weCount: number;
  numbers: string[];
}

export function countTokens(text: string): TokenCounts {
  const counts: TokenCounts = { words: 0, iCount: 0, weCount: 0, numbers: [] };
  for (const token of tokenize(text)) {
    if (isWord(token)) counts.words++;
    const key = pronounKey(token);
    if (FIRST_PERSON_SINGULAR.has(key)) counts.iCount++;
    else if (token !== "US" && FIRST_PERSON_PLURAL.has(key)) counts.weCount++;
    if (isNumber(token)) counts.numbers.push(token);
  }
  return counts;
}

// A letter or digit that is visible: default-ignorable code points such as the Hangul fillers are
// letters to Unicode but render as nothing.
const VISIBLE_LETTER_OR_DIGIT = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}]/u;

/**
 * Whether the text has at least one word a reader can see: false for whitespace, punctuation,
 * emoji, control characters (NUL) and invisible ones (zero-width spaces and joiners, BOM, bidi marks).
 */
export function hasVisibleWord(text: string): boolean {
  return VISIBLE_LETTER_OR_DIGIT.test(text);
}

/** I / (I + we); null when neither occurs. */
export function iRatio(iCount: number, weCount: number): number | null {
  const total = iCount + weCount;
  return total === 0 ? null : iCount / total;
}
