/**
 * Heuristic split of an answer's sentences into Situation / Task / Action / Result.
 * Each sentence gets a cue score per part (phrases, tense, first-person action verbs, outcome words,
 * numbers) plus a small position prior; the labelling that maximises the total while keeping the
 * STAR order (S ≤ T ≤ A ≤ R) is found by dynamic programming. A part with no sentence is absent.
 */
import type { Sentence } from "./sentences.js";

export const STAR_PARTS = ["situation", "task", "action", "result"] as const;
export type StarPart = (typeof STAR_PARTS)[number];

interface Cue {
  pattern: RegExp;
  weight: number;
}

const ACTION_VERBS =
  "analy[sz]ed|approached|asked|assigned|automated|booked|brought|built|called|championed|chose|coached|collected|compared|convinced|coordinated|created|decided|defined|delegated|designed|documented|drafted|drove|escalated|established|evaluated|explained|facilitated|fixed|focused|gathered|hired|identified|implemented|insisted|interviewed|introduced|investigated|launched|led|listened|made|mapped|measured|mentored|met|migrated|negotiated|onboarded|organi[sz]ed|paired|persuaded|pitched|planned|presented|prioriti[sz]ed|proposed|prototyped|pushed|ran|reached|rebuilt|recommended|redesigned|refactored|reviewed|rewrote|scheduled|set|showed|simplified|spoke|split|started|suggested|talked|taught|tested|took|tracked|trained|traced|volunteered|wrote";

const cues: Record<StarPart, Cue[]> = {
  situation: [
    { pattern: /\b(in my (previous|last|current|first) (role|job|position|team|company)|at my (previous|last|current) (job|company|role)|when I (was|joined|worked)|while (I was )?working)\b/i, weight: 3 },
    { pattern: /\b(back in|in (19|20)\d\d|last (year|quarter)|a few (years|months) ago|at the time)\b/i, weight: 2 },
    { pattern: /\b(was|were) (working|running|building|facing|using|struggling|losing|growing)\b/i, weight: 1.5 },
    { pattern: /\b(our|the) (team|company|product|customers?|service|system|startup|organi[sz]ation|client) (was|were|had)\b/i, weight: 1.5 },
    { pattern: /\b(problem|issue|challenge|situation|context|background|crisis|outage|complaints?)\b/i, weight: 1 },
    { pattern: /\b(I was (a|an|the)|I worked as|as (a|an|the) [a-z]+ (engineer|manager|lead|analyst|developer|designer|intern))\b/i, weight: 2 },
  ],
  task: [
    { pattern: /\b(my (task|goal|job|role|responsibility|mandate|mission|objective|assignment) (was|is)|I was (tasked|asked|responsible|assigned|expected|given)|I (needed|had) to|it was (up to me|my job)|the (goal|task|objective|target) was)\b/i, weight: 3.5 },
    { pattern: /\b(needed to|had to|goal|target|deadline|objective|required|responsible for|so that we could|in order to)\b/i, weight: 1.2 },
    { pattern: /\bI (wanted|aimed|set out|decided) to\b/i, weight: 1 },
  ],
  action: [
    { pattern: new RegExp(`\\b(I|so I|then I|first,? I|next,? I|finally,? I)( also| then| personally| immediately| quickly)? (${ACTION_VERBS})\\b`, "i"), weight: 3 },
    { pattern: new RegExp(`\\b(we|they|the team)( also| then)? (${ACTION_VERBS})\\b`, "i"), weight: 1.5 },
    { pattern: /^(first|then|next|after that|afterwards|second|third|finally|to (do|fix|solve|address) (this|that|it))\b/i, weight: 1.5 },
    { pattern: /\bI (would|will|could|might)\b/i, weight: 0.5 },
  ],
  result: [
    { pattern: /\b(as a result|in the end|ultimately|eventually|the (result|outcome|impact) (was|is)|this (led|resulted) (to|in)|consequently|by the end)\b/i, weight: 3.5 },
    { pattern: /\b(reduced|increased|improved|saved|cut|grew|raised|lowered|decreased|doubled|tripled|halved|boosted|dropped|shipped|delivered|launched on time|won|earned|achieved|exceeded|recovered|retained)\b/i, weight: 1.5 },
    { pattern: /\d+(\.\d+)?\s?(%|percent|x\b|times|hours?|days?|weeks?|months?|k\b|m\b|million|users|customers|ms)|[$€£]\s?\d/i, weight: 1.5 },
    { pattern: /\b(learned|lesson|since then|today|now (we|I|the)|going forward|promoted|promotion|award|recogni[sz]ed|praised|feedback (was|from))\b/i, weight: 1.5 },
  ],
};

/** Where each part tends to sit, as a fraction of the answer. */
const CANONICAL_POSITION: Record<StarPart, number> = { situation: 0.05, task: 0.25, action: 0.55, result: 0.92 };
const POSITION_WEIGHT = 1.2;

export function cueScores(sentence: string): Record<StarPart, number> {
  const scores = { situation: 0, task: 0, action: 0, result: 0 };
  for (const part of STAR_PARTS) {
    for (const cue of cues[part]) if (cue.pattern.test(sentence)) scores[part] += cue.weight;
  }
  return scores;
}

export interface LabelledSentence extends Sentence {
  part: StarPart;
}

/** Label every sentence with one STAR part, keeping the parts in order. */
export function labelSentences(sentences: readonly Sentence[]): LabelledSentence[] {
  const n = sentences.length;
  if (n === 0) return [];
  const k = STAR_PARTS.length;
  const local = sentences.map((s, i) => {
    const cue = cueScores(s.text);
    const pos = n === 1 ? 0.5 : i / (n - 1);
    return STAR_PARTS.map((p) => cue[p] - POSITION_WEIGHT * Math.abs(pos - CANONICAL_POSITION[p]));
  });
  // best[i][j]: best total for sentences 0..i with sentence i labelled j; order non-decreasing.
  const best: number[][] = [];
  const from: number[][] = [];
  for (let i = 0; i < n; i++) {
    best.push(new Array<number>(k).fill(-Infinity));
    from.push(new Array<number>(k).fill(0));
    for (let j = 0; j < k; j++) {
      const own = local[i]![j]!;
      if (i === 0) {
        best[i]![j] = own;
        continue;
      }
      for (let prev = 0; prev <= j; prev++) {
        const total = best[i - 1]![prev]! + own;
        if (total > best[i]![j]!) {
          best[i]![j] = total;
          from[i]![j] = prev;
        }
      }
    }
  }
  let j = best[n - 1]!.indexOf(Math.max(...best[n - 1]!));
  const labels = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    labels[i] = j;
    j = from[i]![j]!;
  }
  return sentences.map((s, i) => ({ ...s, part: STAR_PARTS[labels[i]!]! }));
}
