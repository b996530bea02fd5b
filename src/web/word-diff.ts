/**
 * A word-level diff between original sentences and their rewrite, for the side-by-side view: the
 * longest common subsequence of words (compared without case and edge punctuation). A [placeholder]
 * is one piece of its own and never matches the original.
 */
import { PLACEHOLDER } from "../core/rewrite.js";
import { stripToken } from "../core/tokens.js";

export interface DiffPiece {
  text: string;
  kind: "same" | "changed" | "placeholder";
}

const PIECE = new RegExp(`\\s*(?:${PLACEHOLDER.source}|\\S+)`, "gu");
const ONLY_PLACEHOLDER = new RegExp(`^\\s*${PLACEHOLDER.source}$`, "u");

/** Words (and whole placeholders) with the whitespace before each kept, so pieces join back to the text. */
function pieces(text: string): Array<{ text: string; key: string; placeholder: boolean }> {
  return [...text.matchAll(PIECE)].map((m) => ({ text: m[0], key: stripToken(m[0].trim()).toLowerCase(), placeholder: ONLY_PLACEHOLDER.test(m[0]) }));
}

/** The two sides of the diff: `before` marks words the rewrite dropped, `after` words it added. */
export function wordDiff(beforeText: string, afterText: string): { before: DiffPiece[]; after: DiffPiece[] } {
  const a = pieces(beforeText);
  const b = pieces(afterText);
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = !b[j]!.placeholder && a[i]!.key === b[j]!.key ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const before: DiffPiece[] = [];
  const after: DiffPiece[] = [];
  const push = (list: DiffPiece[], text: string, kind: DiffPiece["kind"]) => {
    const last = list[list.length - 1];
    if (last && last.kind === kind && kind !== "placeholder") last.text += text;
    else list.push({ text, kind });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && !b[j]!.placeholder && a[i]!.key === b[j]!.key) {
      push(before, a[i++]!.text, "same");
      push(after, b[j++]!.text, "same");
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      push(after, b[j]!.text, b[j]!.placeholder ? "placeholder" : "changed");
      j++;
    } else {
      push(before, a[i++]!.text, "changed");
    }
  }
  return { before, after };
}
