/**
 * Turns an answer plus its Feedback into runs of text for the highlighted view: each sentence with its
 * STAR part, evidence quotes marked, and every first-person plural token in the Action part marked.
 * Pure data; the JSX renders it, so the answer is always escaped, never parsed as HTML.
 */
import type { Feedback } from "../core/feedback.js";
import type { StarPart } from "../core/star-split.js";
import { isFirstPersonPlural, stripToken } from "../core/tokens.js";

export interface Run {
  text: string;
  evidence: boolean;
  we: boolean;
}

/** `part` is null for a sentence that is no STAR part (meta talk, an opinion, a hypothetical). */
export type Piece = { kind: "gap"; text: string } | { kind: "sentence"; part: StarPart | null; runs: Run[] };

const QUOTE_CLASSES: Record<string, string> = {
  "'": "['‘’]",
  "‘": "['‘’]",
  "’": "['‘’]",
  '"': '["“”]',
  "“": '["“”]',
  "”": '["“”]',
};

/** A regex that finds a quote in the answer the way groundQuotes matched it (whitespace folded, quote styles unified). */
function quotePattern(quote: string): RegExp | null {
  const core = quote.trim().replace(/^["'“”‘’]|["'“”‘’]$/g, "").replace(/[.…]+$/u, "").trim();
  if (!core) return null;
  const source = [...core]
    .map((ch) => (/\s/u.test(ch) ? "\\s+" : QUOTE_CLASSES[ch] ?? ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("")
    .replace(/(\\s\+)+/g, "\\s+");
  return new RegExp(source, "gu");
}

export function evidenceQuotes(feedback: Pick<Feedback, "star" | "principleFit">): string[] {
  return [...Object.values(feedback.star).flatMap((p) => p.evidence), ...feedback.principleFit.evidence];
}

export function highlightAnswer(answer: string, segments: Feedback["segments"], quotes: readonly string[]): Piece[] {
  const evidence = new Uint8Array(answer.length);
  for (const quote of quotes) {
    const pattern = quotePattern(quote);
    if (!pattern) continue;
    for (const m of answer.matchAll(pattern)) evidence.fill(1, m.index, m.index + m[0].length);
  }

  const we = new Uint8Array(answer.length);
  for (const seg of segments) {
    if (seg.part !== "action") continue;
    const text = answer.slice(seg.start, seg.end);
    for (const m of text.matchAll(/\S+/gu)) {
      const token = stripToken(m[0]);
      if (!token || !isFirstPersonPlural(token)) continue;
      const from = seg.start + m.index + m[0].indexOf(token);
      we.fill(1, from, from + token.length);
    }
  }

  const pieces: Piece[] = [];
  let cursor = 0;
  for (const seg of [...segments].sort((a, b) => a.start - b.start)) {
    if (seg.start < cursor || seg.end > answer.length) continue; // defensive: overlapping or stale ranges
    if (seg.start > cursor) pieces.push({ kind: "gap", text: answer.slice(cursor, seg.start) });
    const runs: Run[] = [];
    for (let i = seg.start; i < seg.end; i++) {
      const last = runs[runs.length - 1];
      const ev = evidence[i] === 1;
      const w = we[i] === 1;
      if (last && last.evidence === ev && last.we === w) last.text += answer[i];
      else runs.push({ text: answer[i]!, evidence: ev, we: w });
    }
    pieces.push({ kind: "sentence", part: seg.part, runs });
    cursor = seg.end;
  }
  if (cursor < answer.length) pieces.push({ kind: "gap", text: answer.slice(cursor) });
  return pieces;
}
