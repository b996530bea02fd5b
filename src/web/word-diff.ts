/**
 * A word-level diff between two versions of an answer: the longest common subsequence of their
 * words, so the page can show what was cut and what was added. Whitespace is not compared.
 */
export type DiffOp = { op: "same" | "added" | "removed"; text: string };

/** Above this many word pairs (about 2,000 × 2,000 words) the table would cost too much memory. */
export const MAX_DIFF_CELLS = 4_000_000;

export function diffWords(before: string, after: string): DiffOp[] | null {
  const a = before.split(/\s+/u).filter(Boolean);
  const b = after.split(/\s+/u).filter(Boolean);
  const n = a.length;
  const m = b.length;
  if ((n + 1) * (m + 1) > MAX_DIFF_CELLS) return null;
  // lcs[i][j]: the common subsequence length of a[i..] and b[j..], in one flat table.
  const lcs = new Uint16Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)]! + 1 : Math.max(lcs[at(i + 1, j)]!, lcs[at(i, j + 1)]!);
    }
  }
  const ops: DiffOp[] = [];
  const push = (op: DiffOp["op"], word: string) => {
    const last = ops[ops.length - 1];
    if (last?.op === op) last.text += ` ${word}`;
    else ops.push({ op, text: word });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push("same", a[i]!);
      i++;
      j++;
    } else if (lcs[at(i + 1, j)]! >= lcs[at(i, j + 1)]!) push("removed", a[i++]!);
    else push("added", b[j++]!);
  }
  while (i < n) push("removed", a[i++]!);
  while (j < m) push("added", b[j++]!);
  return ops;
}
