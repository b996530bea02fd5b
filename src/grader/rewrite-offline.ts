/**
 * The rule-based rewrite: the candidate's own sentences, restructured by their trained STAR labels.
 * Situation cut to its two strongest sentences, the task, the actions (an acting "we" becomes
 * "I [did what exactly?] when we …"), then the result; sentences that are no STAR part are left out,
 * and bracketed placeholders mark what the rubric wants and the story lacks. No word is invented:
 * every sentence is the candidate's own, or a placeholder.
 */
import { GAPS, type ProposedSentence } from "../core/rewrite.js";
import { askForOwnStep } from "../core/rewrite-guard.js";
import { storyGaps } from "../core/rewrite-source.js";
import type { LabelledSentence, StarPart } from "../core/star-split.js";
import { countTokens } from "../core/tokens.js";
import { targetWords, type RewriteProposal, type RewriteRequest, type Rewriter } from "./rewriter.js";

export const OFFLINE_REWRITE_VERSION = "rewrite-offline-1";
export const OFFLINE_REWRITE_NOTICE =
  "Offline rewrite: your own sentences, put in Situation–Task–Action–Result order by rules, with [brackets] where the story needs your input. Set OPENAI_API_KEY for a rewrite written by a language model (checked for inventions the same way).";

const SITUATION_SENTENCES = 2;

interface Picked {
  index: number;
  sentence: LabelledSentence;
  text: string;
}

const words = (text: string) => countTokens(text).words;

/** The `n` sentences the labeller is surest belong to `part`, kept in the answer's order. */
function strongest(list: readonly Picked[], part: StarPart, n: number): Picked[] {
  const keep = new Set([...list].sort((a, b) => b.sentence.probs[part] - a.sentence.probs[part]).slice(0, n));
  return list.filter((p) => keep.has(p));
}

/**
 * Leave out the weakest sentences until the rewrite fits the time target: extra actions first (two
 * stay), then extra task and result sentences (one of each stays; a measured result is preferred),
 * then the second situation sentence. Returns how many were left out.
 */
function fitToTarget(parts: Record<StarPart, Picked[]>, limit: number, extraWords: number): number {
  let left = 0;
  const total = () => extraWords + Object.values(parts).flat().reduce((n, p) => n + words(p.text), 0);
  const trim = (part: StarPart, keep: number, weight: (p: Picked) => number) => {
    while (total() > limit && parts[part].length > keep) {
      const weakest = [...parts[part]].sort((a, b) => weight(a) - weight(b))[0]!;
      parts[part] = parts[part].filter((p) => p !== weakest);
      left++;
    }
  };
  trim("action", 2, (p) => p.sentence.probs.action);
  trim("task", 1, (p) => p.sentence.probs.task);
  trim("result", 1, (p) => (p.sentence.quantities.length ? 1 : 0) + p.sentence.probs.result);
  trim("situation", 1, (p) => p.sentence.probs.situation);
  return left;
}

export function proposeOfflineRewrite(request: Pick<RewriteRequest, "source" | "length" | "feedback">): RewriteProposal {
  const picked: Record<StarPart, Picked[]> = { situation: [], task: [], action: [], result: [] };
  request.source.sentences.forEach((sentence, index) => {
    // Meta talk and opinions are no part of the story; a stray "." or "—" is no sentence.
    if (!sentence.part || !/[\p{L}\p{N}]/u.test(sentence.text)) return;
    const text = sentence.part === "action" ? askForOwnStep(sentence) : sentence.text;
    picked[sentence.part].push({ index, sentence, text });
  });
  picked.situation = strongest(picked.situation, "situation", SITUATION_SENTENCES);

  const gaps = storyGaps(request.source, request.feedback.metrics.quantifiedResult);
  const gapWords = [gaps.task && GAPS.task, gaps.action && GAPS.action, gaps.reason && GAPS.reason, gaps.measure && GAPS.measure]
    .reduce((n, gap) => n + (gap ? words(gap) : 0), 0);
  const left = fitToTarget(picked, targetWords(request.length), gapWords);

  const out: ProposedSentence[] = [];
  const add = (part: StarPart, list: Picked[]) => list.forEach((p) => out.push({ text: p.text, part, from: [p.index] }));
  const gap = (part: StarPart, text: string) => out.push({ text, part, from: [] });

  add("situation", picked.situation);
  if (gaps.task) gap("task", GAPS.task);
  else add("task", picked.task);
  if (gaps.action) gap("action", GAPS.action);
  else {
    add("action", picked.action.slice(0, 1));
    if (gaps.reason) gap("action", GAPS.reason);
    add("action", picked.action.slice(1));
  }
  add("result", picked.result);
  if (gaps.measure) gap("result", GAPS.measure);

  const notes: string[] = [];
  if (left) notes.push(`${left} sentence${left === 1 ? "" : "s"} left out to fit the ${Math.round(request.length.maxSeconds / 60)}-minute target.`);
  return { sentences: out, usage: null, notes };
}

export function createOfflineRewriter(notice: string = OFFLINE_REWRITE_NOTICE): Rewriter {
  return {
    mode: "offline",
    model: null,
    promptVersion: OFFLINE_REWRITE_VERSION,
    notice,
    propose: async (request) => proposeOfflineRewrite(request),
  };
}
