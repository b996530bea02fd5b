/** The 16 Leadership Principles (data/principles.json) and lookup by id or loose name. */
import data from "../../data/principles.json" with { type: "json" };

export interface Principle {
  id: string;
  name: string;
  summary: string;
  description: string;
  strongSignals: string[];
  weakSignals: string[];
  keywords: string[];
}

export const PRINCIPLES: readonly Principle[] = data;
export const PRINCIPLE_IDS = PRINCIPLES.map((p) => p.id) as [string, ...string[]];

/** Lower-case, drop punctuation and separators: "Have Backbone; Disagree & Commit" ~ "have-backbone-disagree-and-commit". */
function looseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, "")
    .replace(/&/g, "and")
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

const byKey = new Map<string, Principle>();
for (const p of PRINCIPLES) {
  byKey.set(looseKey(p.id), p);
  byKey.set(looseKey(p.name), p);
}

export function findPrinciple(idOrName: string): Principle | undefined {
  return byKey.get(looseKey(idOrName));
}

/** Levenshtein distance (insertions, deletions, substitutions), for near-miss names. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The principle a misspelt or shortened name most likely means ("customer-obsesion", "Ownershp",
 * "dive", "backbone"), for a "did you mean" hint; undefined when nothing is close. Close means: the
 * only principle whose id or name starts with it (4 letters or more) or contains it (5 or more), or
 * within a quarter of its letters (at least 2) of an id or name.
 */
export function closestPrinciple(text: string): Principle | undefined {
  const key = looseKey(text);
  if (!key) return undefined;
  // A word of the name: the one principle whose id or name starts with it, or else contains it.
  for (const matches of [(k: string) => k.startsWith(key), (k: string) => key.length >= 5 && k.includes(key)]) {
    const found = new Set(key.length >= 4 ? [...byKey].filter(([k]) => matches(k)).map(([, p]) => p) : []);
    if (found.size === 1) return [...found][0];
  }
  let best: { p: Principle; d: number } | undefined;
  for (const [k, p] of byKey) {
    const d = editDistance(key, k);
    if (!best || d < best.d) best = { p, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? best.p : undefined;
}

export function principleById(id: string): Principle {
  const p = findPrinciple(id);
  if (!p) throw new Error(`unknown principle id ${id}`);
  return p;
}
