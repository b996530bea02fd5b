/**
 * Turns an answer plus its Feedback into runs of text for the highlighted view: each sentence with its
 * STAR part, evidence quotes marked, and every first-person plural token in the Action part marked;
 * for a spoken answer also its filler words and, as empty marker runs, its long pauses.
 * Pure data; the JSX renders it, so the answer is always escaped, never parsed as HTML.
 */
import type { Feedback } from "../core/feedback.js";
import type { StarPart } from "../core/star-parts.js";
import { isFirstPersonPlural, stripToken } from "../core/tokens.js";

export interface Run {
  text: string;
  evidence: boolean;
  we: boolean;
  filler: boolean;
  /** A marker with no text: a silence of this many seconds falls here. */
  pause?: number;
}

/** What a spoken answer adds to the view: filler ranges and where long pauses fall. */
export interface SpokenMarks {
  fillers: ReadonlyArray<{ start: number; end: number }>;
  pauses: ReadonlyArray<{ offset: number; seconds: number }>;
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

/** A pause's position, moved into a sentence: one that falls between sentences goes to the end of the one before. */
function pauseIndex(offset: number, segments: Feedback["segments"]): number {
  const inside = segments.find((s) => s.start < offset && offset <= s.end);
  if (inside) return offset;
  const before = segments.filter((s) => s.end <= offset).at(-1);
  return before ? before.end : (segments[0]?.start ?? 0);
}

export function highlightAnswer(answer: string, segments: Feedback["segments"], quotes: readonly string[], spoken: SpokenMarks | null = null): Piece[] {
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

  const filler = new Uint8Array(answer.length);
  for (const f of spoken?.fillers ?? []) filler.fill(1, f.start, f.end);
  const pauses = new Map<number, number>();
  for (const p of spoken?.pauses ?? []) {
    const at = pauseIndex(p.offset, segments);
    pauses.set(at, Math.max(pauses.get(at) ?? 0, p.seconds));
  }

  const pieces: Piece[] = [];
  let cursor = 0;
  for (const seg of [...segments].sort((a, b) => a.start - b.start)) {
    if (seg.start < cursor || seg.end > answer.length) continue; // defensive: overlapping or stale ranges
    if (seg.start > cursor) pieces.push({ kind: "gap", text: answer.slice(cursor, seg.start) });
    const runs: Run[] = [];
    const marker = (i: number) => {
      const seconds = pauses.get(i);
      if (seconds !== undefined) runs.push({ text: "", evidence: false, we: false, filler: false, pause: seconds });
    };
    for (let i = seg.start; i < seg.end; i++) {
      if (i > seg.start) marker(i);
      const last = runs[runs.length - 1];
      const ev = evidence[i] === 1;
      const w = we[i] === 1;
      const f = filler[i] === 1;
      if (last && last.pause === undefined && last.evidence === ev && last.we === w && last.filler === f) last.text += answer[i];
      else runs.push({ text: answer[i]!, evidence: ev, we: w, filler: f });
    }
    marker(seg.end);
    pieces.push({ kind: "sentence", part: seg.part, runs });
    cursor = seg.end;
  }
  if (cursor < answer.length) pieces.push({ kind: "gap", text: answer.slice(cursor) });
  return pieces;
}
