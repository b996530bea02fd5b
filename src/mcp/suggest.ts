/** Which bank question suggest_question offers: a random one, or a fixed one for a given seed. */
import { sha256Hex } from "../core/hash.js";
import type { BankQuestion } from "../core/questions.js";

/**
 * A seed always picks the same question from the same list (hashed, so seeds 1, 2, 3 do not walk
 * the bank in order); without one the pick is random. Undefined only for an empty list.
 */
export function pickQuestion(candidates: readonly BankQuestion[], seed?: number): BankQuestion | undefined {
  if (!candidates.length) return undefined;
  const index = seed === undefined ? Math.floor(Math.random() * candidates.length) : Number.parseInt(sha256Hex(String(seed)).slice(0, 8), 16) % candidates.length;
  return candidates[index];
}
