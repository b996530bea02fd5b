/**
 * How a spoken answer was delivered, computed by code from the recording's real length and the
 * transcript's word timings: pace, filler words, long silences. The spoken length replaces the
 * words-per-minute estimate in the analysis, so the length verdict judges what was really said.
 */
import { z } from "zod";
import { lengthVerdict, type Analysis, type LengthOptions } from "./analyze.js";
import { stripToken } from "./tokens.js";

/** A silence between two words longer than this is worth pointing out (seconds). */
export const LONG_PAUSE_SECONDS = 2.5;
const MAX_FILLER_EXAMPLES = 5;
/** How far ahead (in tokens) a timed word is looked for in the transcript. */
const ALIGN_WINDOW = 6;

export const DeliverySchema = z
  .object({
    durationSeconds: z.number().describe("Length of the recording, read from the audio file itself"),
    wordsPerMinute: z.number().int().describe("Words of the transcript per minute of recording"),
    fillers: z.object({
      count: z.number().int(),
      perMinute: z.number(),
      examples: z.array(z.string()).describe("The filler words and phrases used, most frequent first"),
    }),
    longPauses: z
      .array(
        z.object({
          at: z.number().describe("Seconds into the recording where the silence starts"),
          seconds: z.number().describe("Length of the silence"),
          offset: z.number().int().describe("Character offset in `answer` where the silence falls (after the word before it)"),
        }),
      )
      .describe(`Silences over ${LONG_PAUSE_SECONDS} s between words; empty when the transcription gave no word timings`),
  })
  .meta({ id: "Delivery" });

export type Delivery = z.infer<typeof DeliverySchema>;

export interface TimedWord {
  text: string;
  start: number;
  end: number;
}

export interface TextRange {
  start: number;
  end: number;
}

export interface Filler extends TextRange {
  /** The filler as a lower-case phrase: "um", "you know", "like". */
  phrase: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

// --- Fillers ---------------------------------------------------------------------------------

interface Token extends TextRange {
  word: string; // lower case, letters/digits/apostrophes only
  /** Punctuation (or the start of the text) right before the token. */
  breakBefore: boolean;
  /** Punctuation (or the end of the text) right after the token. */
  breakAfter: boolean;
}

function wordTokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}’']+/gu)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = text.slice(0, start).trimEnd();
    const after = text.slice(end).trimStart();
    out.push({
      start,
      end,
      word: m[0].toLowerCase().replaceAll("’", "'"),
      breakBefore: before === "" || /[,;:.!?…—–-]$/u.test(before),
      breakAfter: after === "" || /^[,;:.!?…—–-]/u.test(after),
    });
  }
  return out;
}

/** Hesitation sounds: never words, always fillers. */
const HESITATIONS = new Set(["um", "umm", "uhm", "uh", "uhh", "er", "erm", "hmm", "mm"]);
/** After one of these, "sort of"/"kind of" names a kind of thing ("a sort of cache"), not a hedge. */
const DETERMINERS = new Set(["a", "an", "the", "this", "that", "these", "those", "what", "which", "any", "some", "every", "each", "no", "one", "same", "my", "our", "your", "his", "her", "their", "its", "all"]);
/** After one of these, "like" is a verb or a comparison: "I like", "looks like", "just like". */
const LIKE_NOT_FILLER_AFTER = new Set([
  "i", "you", "we", "they", "he", "she", "it", "people", "who", "would", "wouldn't", "'d", "i'd", "we'd", "you'd", "they'd", "do", "don't", "did", "didn't",
  "does", "doesn't", "to", "not", "really", "also", "might", "may", "will", "won't", "can", "could", "should",
  "look", "looks", "looked", "looking", "seem", "seems", "seemed", "feel", "feels", "felt", "feeling", "sound", "sounds", "sounded",
  "something", "anything", "nothing", "things", "more", "less", "much", "just", "exactly", "very", "unlike", "likes",
]);
/** "was like", "I'm like": a quotative or hedging "like" follows a form of "be". */
const BE_FORMS = new Set(["was", "were", "is", "am", "are", "be", "been", "being", "i'm", "he's", "she's", "it's", "we're", "they're", "you're", "that's"]);
/** What a comparison "like" takes as its object ("like a maze", "like that"). */
const OBJECT_STARTS = new Set([...DETERMINERS, "it", "him", "her", "them", "me", "us", "you", "someone", "something", "nothing", "everything", "anyone", "before"]);
const SUBJECTS = new Set(["i", "we", "they", "he", "she", "it", "you", "there", "our", "my", "nobody", "everyone"]);
const CONJUNCTIONS = new Set(["and", "but", "so", "or", "then"]);
const QUANTITY = /^(\d[\d.,]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|half|twice|dozen|dozens|hundreds|thousands)$/;
/** What "you know" introduces when it is a real verb: "you know the system", "you know what happened". */
const KNOW_OBJECTS = new Set([...OBJECT_STARTS, "what", "how", "why", "where", "when", "who", "whether", "if", "about", "the"]);

function isLikeFiller(tokens: readonly Token[], i: number): boolean {
  const [prev, like, next, after] = [tokens[i - 1], tokens[i]!, tokens[i + 1], tokens[i + 2]];
  if (like.breakBefore && like.breakAfter) return true; // ", like,"
  if (prev && !like.breakBefore && LIKE_NOT_FILLER_AFTER.has(prev.word)) return false;
  if (!next || like.breakAfter) return true; // "Like, we had…", "… or like."
  // Approximation: "like 20 tickets", "like two weeks", "like a hundred people".
  if (QUANTITY.test(next.word) || (["a", "an"].includes(next.word) && after && QUANTITY.test(after.word))) return true;
  if (prev && !like.breakBefore && BE_FORMS.has(prev.word)) return !OBJECT_STARTS.has(next.word); // "was like really slow", not "was like a maze"
  // At a clause start ("so like we", ", like they"): a filler when a clause follows.
  const clauseStart = like.breakBefore || (prev !== undefined && CONJUNCTIONS.has(prev.word));
  return clauseStart && SUBJECTS.has(next.word);
}

/** Filler words and phrases in a transcript, in order, with their character ranges. */
export function findFillers(text: string): Filler[] {
  const tokens = wordTokens(text);
  const out: Filler[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const phrase = (n: number, name: string) => {
      out.push({ start: t.start, end: tokens[i + n - 1]!.end, phrase: name });
      i += n - 1;
    };
    if (HESITATIONS.has(t.word)) {
      out.push({ start: t.start, end: t.end, phrase: t.word });
    } else if (t.word === "you" && next?.word === "know" && !t.breakAfter) {
      const after = tokens[i + 2];
      // A filler when set off by punctuation or followed by nothing it could govern.
      if (next.breakAfter || !after || (t.breakBefore && !KNOW_OBJECTS.has(after.word))) phrase(2, "you know");
    } else if ((t.word === "sort" || t.word === "kind") && next?.word === "of" && !t.breakAfter) {
      if (!prev || t.breakBefore || !DETERMINERS.has(prev.word)) phrase(2, `${t.word} of`);
    } else if (t.word === "like" && isLikeFiller(tokens, i)) {
      out.push({ start: t.start, end: t.end, phrase: "like" });
    }
  }
  return out;
}

/** The distinct fillers, most frequent first (ties: first used first). */
function fillerExamples(fillers: Filler[]): string[] {
  const counts = new Map<string, number>();
  for (const f of fillers) counts.set(f.phrase, (counts.get(f.phrase) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_FILLER_EXAMPLES).map(([phrase]) => phrase);
}

// --- Pauses ----------------------------------------------------------------------------------

const normalise = (word: string) => word.toLowerCase().replaceAll("’", "'").replace(/[^\p{L}\p{N}']+/gu, "");

/**
 * Where each timed word ends in the transcript text. The timings come as a word list whose
 * spelling mostly matches the text; a word not found in the next few tokens ("ok" for "okay",
 * "follow" + "up" for "follow-up") is placed on the token expected next without consuming it, so
 * the words after it find their own tokens again.
 */
export function alignWords(text: string, words: readonly TimedWord[]): number[] {
  // A token ends where the contract's token does: trailing punctuation is not part of the word.
  const tokens = [...text.matchAll(/\S+/gu)].map((m) => {
    const word = stripToken(m[0]) || m[0];
    return { key: normalise(m[0]), end: m.index + m[0].indexOf(word) + word.length };
  });
  if (!tokens.length) return words.map(() => 0);
  const ends: number[] = [];
  let next = 0;
  for (const word of words) {
    const key = normalise(word.text);
    let found = -1;
    for (let j = next; key && j < Math.min(tokens.length, next + ALIGN_WINDOW); j++) {
      if (tokens[j]!.key === key) {
        found = j;
        break;
      }
    }
    ends.push(tokens[found >= 0 ? found : Math.min(next, tokens.length - 1)]!.end);
    if (found >= 0) next = found + 1;
  }
  return ends;
}

export function findLongPauses(text: string, words: readonly TimedWord[], threshold = LONG_PAUSE_SECONDS): Delivery["longPauses"] {
  const ends = alignWords(text, words);
  const out: Delivery["longPauses"] = [];
  for (let i = 1; i < words.length; i++) {
    const gap = words[i]!.start - words[i - 1]!.end;
    if (gap > threshold) out.push({ at: round1(words[i - 1]!.end), seconds: round1(gap), offset: ends[i - 1]! });
  }
  return out;
}

// --- Delivery --------------------------------------------------------------------------------

export function measureDelivery(input: { transcript: string; words: number; durationSeconds: number; timedWords: readonly TimedWord[] | null }): Delivery {
  const minutes = input.durationSeconds / 60;
  const fillers = findFillers(input.transcript);
  return {
    durationSeconds: round1(input.durationSeconds),
    wordsPerMinute: minutes > 0 ? Math.round(input.words / minutes) : 0,
    fillers: {
      count: fillers.length,
      perMinute: minutes > 0 ? round1(fillers.length / minutes) : 0,
      examples: fillerExamples(fillers),
    },
    longPauses: input.timedWords ? findLongPauses(input.transcript, input.timedWords) : [],
  };
}

/**
 * The analysis of a spoken answer: speaking time is the recording's real length and the rate is
 * the speaker's own, so the length verdict (and everything that quotes it) judges the recording.
 */
export function withSpokenLength(analysis: Analysis, delivery: Delivery, length: LengthOptions): Analysis {
  const seconds = Math.round(delivery.durationSeconds);
  return { ...analysis, speakingSeconds: seconds, wordsPerMinute: delivery.wordsPerMinute, lengthVerdict: lengthVerdict(seconds, length) };
}
