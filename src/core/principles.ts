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

export function principleById(id: string): Principle {
  const p = findPrinciple(id);
  if (!p) throw new Error(`unknown principle id ${id}`);
  return p;
}
