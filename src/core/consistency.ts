/**
 * Is a follow-up answer consistent with the story it follows? By code (on the analysis's quantities
 * and part-of-speech tags), the facts that can be compared exactly: an amount of the same thing stated with another number ("6 engineers" then
 * "10 engineers"), another role ("the tech lead" then "the engineering manager"), another employer
 * ("at Acme" then "at Globex"). Conservative on purpose: a quantity the story states with two
 * different values already (before and after) is not compared, since the follow-up may mean either.
 */
import { parse } from "./nlp.js";
import { findQuantities } from "./quantities.js";
import { splitSentences } from "./sentences.js";

export interface Contradiction {
  kind: "quantity" | "role" | "employer" | "other";
  /** The sentence of the story that states the fact. */
  original: string;
  /** The sentence of the follow-up answer that states it differently. */
  followUp: string;
  explanation: string;
}

interface Fact {
  kind: "quantity" | "role" | "employer";
  key: string;
  value: string;
  shown: string;
  sentence: string;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, dozen: 12,
};

function numericValue(token: string): number | null {
  const lower = token.toLowerCase();
  if (lower in NUMBER_WORDS) return NUMBER_WORDS[lower]!;
  const m = /^[$€£]?(\d+(?:[.,]\d+)*)(k|m|bn|b)?$/i.exec(token);
  if (!m) return null;
  const n = Number(m[1]!.replace(/,/g, ""));
  const scale = { k: 1e3, m: 1e6, b: 1e9, bn: 1e9 }[(m[2] ?? "").toLowerCase() as "k" | "m" | "b" | "bn"] ?? 1;
  return Number.isFinite(n) ? n * scale : null;
}

/**
 * Amounts of a thing: the analysis's quantities (digits or words, dates and time markers left out)
 * with the noun they count — inside the amount ("six hours") or just after it ("6 engineers").
 * Shares and multipliers ("35%", "3x") compare different things too often to be checked by code.
 */
function quantityFacts(sentence: string): Fact[] {
  const doc = parse(sentence);
  return findQuantities(sentence, doc).flatMap((q) => {
    if (q.timeMarker || /%|\dx\b|percent/i.test(q.text)) return [];
    const inside = doc.tokens.filter((t) => t.start >= q.start && t.end <= q.end);
    const value = inside.map((t) => numericValue(t.text)).find((v) => v !== null);
    const last = doc.tokens.indexOf(inside[inside.length - 1]!);
    if (value === undefined || last < 0) return [];
    const unit = inside.slice(1).find((t) => t.pos === "NOUN") ?? doc.tokens.slice(last + 1, last + 3).find((t) => t.pos === "NOUN");
    if (!unit) return [];
    const key = `${/^[$€£]/.test(q.text) ? "money:" : ""}${unit.lemma.toLowerCase()}`;
    return [{ kind: "quantity" as const, key, value: String(value), shown: inside.includes(unit) ? q.text : `${q.text} ${unit.text}`, sentence }];
  });
}

const ROLE_NOUNS = "lead|manager|engineer|developer|designer|analyst|director|architect|pm|tpm|intern|scientist|owner|consultant|head|vp|cto|ceo|founder|coordinator|specialist|administrator|recruiter|researcher|supervisor";
const ROLE = new RegExp(`\\b(?:i was|i am|i'm|as|my role as|working as|hired as|promoted to)\\s+(?:the|a|an|our|their)\\s+((?:[a-z-]+\\s+){0,2}?(?:${ROLE_NOUNS}))\\b`, "giu");
const EMPLOYER = /\b(?:role|job|position|worked|working|work|joined|internship|I was|I was working)\s+(?:at|for|with)\s+([A-Z][\w&-]+(?:\s+[A-Z][\w&-]+)?)/gu;

function namedFacts(sentence: string): Fact[] {
  const facts: Fact[] = [];
  for (const m of sentence.matchAll(ROLE)) {
    const role = m[1]!.toLowerCase().replace(/\s+/g, " ");
    facts.push({ kind: "role", key: "role", value: role, shown: role, sentence });
  }
  for (const m of sentence.matchAll(EMPLOYER)) facts.push({ kind: "employer", key: "employer", value: m[1]!, shown: m[1]!, sentence });
  return facts;
}

function facts(text: string): Fact[] {
  return splitSentences(text).flatMap((s) => [...quantityFacts(s.text), ...namedFacts(s.text)]);
}

/** Facts of the follow-up that state the same thing as the story with another value. */
export function findContradictions(story: string, followUp: string): Contradiction[] {
  const byKey = new Map<string, Fact[]>();
  for (const f of facts(story)) {
    const list = byKey.get(`${f.kind}:${f.key}`) ?? [];
    list.push(f);
    byKey.set(`${f.kind}:${f.key}`, list);
  }
  const found: Contradiction[] = [];
  const seen = new Set<string>();
  for (const f of facts(followUp)) {
    const known = byKey.get(`${f.kind}:${f.key}`);
    if (!known) continue;
    const values = new Set(known.map((k) => k.value.toLowerCase()));
    // Only a fact the story states once, with one value, can be contradicted.
    if (values.size !== 1 || values.has(f.value.toLowerCase())) continue;
    const original = known[0]!;
    const id = `${f.kind}:${f.key}:${f.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const explanation =
      f.kind === "quantity"
        ? `The story says “${original.shown}”, the follow-up “${f.shown}”.`
        : f.kind === "role"
          ? `The story gives your role as “${original.shown}”, the follow-up as “${f.shown}”.`
          : `The story places you at ${original.shown}, the follow-up at ${f.shown}.`;
    found.push({ kind: f.kind, original: original.sentence, followUp: f.sentence, explanation: `${explanation} An interviewer will ask which is true.` });
  }
  return found;
}
