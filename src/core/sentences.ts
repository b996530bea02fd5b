/**
 * Sentence splitting with character offsets, so callers can quote and highlight the original text.
 * A sentence ends at . ! ? … (plus closing quotes/brackets) before whitespace and a non-lower-case
 * character, or at a line break. Common abbreviations and initials ("e.g.", "U.S.", "Dr.") do not end one.
 * A long run-on without punctuation (a transcript, a chat-style answer) is cut where a discourse
 * marker opens a new clause ("… and then I …", "… so we …").
 */

export interface Sentence {
  text: string;
  start: number; // offset of the first character in the answer
  end: number; // offset just past the last character
}

const ABBREVIATIONS = new Set([
  "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "co",
  "corp", "dept", "approx", "no", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
  "sept", "oct", "nov", "dec", "a.m", "p.m", "ph.d", "u.s", "u.k", "e.u",
]);

const LIST_MARKER = /^[-*•]?\s*(\d{1,2}|[a-z])[.)]$/iu;

// Terminal punctuation, optional closers, then whitespace.
const BOUNDARY = /[.!?…]+["'”’)\]]*(?=\s)/gu;

function endsWithAbbreviation(before: string): boolean {
  const lastWord = before.slice(Math.max(before.lastIndexOf(" "), before.lastIndexOf("\t")) + 1).toLowerCase().replace(/^["'“‘(\[]+/u, "");
  const bare = lastWord.replace(/\.+$/u, "");
  if (ABBREVIATIONS.has(bare)) return true;
  // Single initials such as "J." or "A.B."
  return /^(\p{L}\.)*\p{L}$/u.test(bare) && bare.length <= 3 && bare !== "i";
}

function pushOne(out: Sentence[], text: string, start: number, end: number): void {
  const slice = text.slice(start, end);
  const lead = slice.length - slice.trimStart().length;
  const trimmed = slice.trim();
  if (trimmed) out.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
}

/** A run-on this long (spoken answers, chat-style writing) is cut at its discourse markers. */
const RUN_ON_WORDS = 30;
const MIN_PIECE_WORDS = 6;
// "… and then I moved …", "… so we …", "… first i asked …": a marker that opens a new clause.
const CLAUSE_START =
  /[\s,;]+(?=(?:and then|and so|but then|so|then|but|first|after that|in the end|eventually|finally|anyway|and now|which meant)\s+(?:i|we|he|she|they|it|the|our|my|his|her|their|this|that|nobody|everyone|someone|no one|when|after|by)\b)/giu;

const wordCount = (text: string) => text.split(/\s+/u).filter(Boolean).length;

function pushTrimmed(out: Sentence[], text: string, start: number, end: number): void {
  const slice = text.slice(start, end);
  if (wordCount(slice) < RUN_ON_WORDS) return pushOne(out, text, start, end);
  let from = 0;
  for (const m of slice.matchAll(CLAUSE_START)) {
    const cut = m.index + m[0].length;
    if (wordCount(slice.slice(from, m.index)) < MIN_PIECE_WORDS || wordCount(slice.slice(cut)) < MIN_PIECE_WORDS) continue;
    pushOne(out, text, start + from, start + m.index + (m[0].match(/^[,;]/u) ? 1 : 0));
    from = cut;
  }
  pushOne(out, text, start + from, end);
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  // Line breaks always end a sentence (bullets, paragraphs).
  const lineBreak = /\r?\n/gu;
  let lineStart = 0;
  const lines: Array<[number, number]> = [];
  for (const m of text.matchAll(lineBreak)) {
    lines.push([lineStart, m.index]);
    lineStart = m.index + m[0].length;
  }
  lines.push([lineStart, text.length]);

  for (const [from, to] of lines) {
    const line = text.slice(from, to);
    let sentenceStart = 0;
    for (const m of line.matchAll(BOUNDARY)) {
      const cut = m.index + m[0].length;
      const next = line.slice(cut).trimStart()[0];
      if (next !== undefined && /\p{Ll}/u.test(next)) continue;
      if (m[0].startsWith(".") && m[0].length === 1 && endsWithAbbreviation(line.slice(sentenceStart, m.index + 1))) continue;
      // A list marker ("1.", "b)") opens its item rather than ending a sentence.
      if (LIST_MARKER.test(line.slice(sentenceStart, cut).trim())) continue;
      pushTrimmed(out, text, from + sentenceStart, from + cut);
      sentenceStart = cut;
    }
    pushTrimmed(out, text, from + sentenceStart, to);
  }
  return out;
}
