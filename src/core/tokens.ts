/**
 * Token-level counting rules, exactly as fixed in the contract (shared/contract.md):
 * split on Unicode whitespace, strip leading/trailing punctuation, then classify.
 */

// Quotes (straight and curly), brackets, sentence punctuation and dashes.
const EDGE_PUNCTUATION = `'"‘’‚‛“”„‟«»‹›()[]{}<>.,;:!?…‐‑‒–—―-`;
const EDGE_CLASS = EDGE_PUNCTUATION.replace(/[\]\\^-]/g, (ch) => `\\${ch}`);
const LEADING = new RegExp(`^[${EDGE_CLASS}]+`, "u");
const TRAILING = new RegExp(`[${EDGE_CLASS}]+$`, "u");
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
  return raw.replace(LEADING, "").replace(TRAILING, "");
}

/** Whitespace-split, punctuation-stripped tokens; empty strings are dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\s+/u)) {
    const token = stripToken(raw);
    if (token) out.push(token);
  }
  return out;
}

export const isWord = (token: string): boolean => LETTER_OR_DIGIT.test(token);
export const isNumber = (token: string): boolean => DIGIT.test(token);

function pronounKey(token: string): string {
  return token.toLowerCase().replace(/’/g, "'");
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
    if (isFirstPersonSingular(token)) counts.iCount++;
    else if (isFirstPersonPlural(token)) counts.weCount++;
    if (isNumber(token)) counts.numbers.push(token);
  }
  return counts;
}

/** I / (I + we); null when neither occurs. */
export function iRatio(iCount: number, weCount: number): number | null {
  const total = iCount + weCount;
  return total === 0 ? null : iCount / total;
}
