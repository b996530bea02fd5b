/**
 * Heuristic split of an answer's sentences into Situation / Task / Action / Result.
 * Each sentence gets a cue score per part (phrases, tense, first-person past-tense steps, outcome
 * words, numbers; hypothetical "I would …" sentences are penalised) plus a small position prior; the labelling that maximises the total while keeping the
 * STAR order (S ≤ T ≤ A ≤ R) is found by dynamic programming. A part with no sentence is absent.
 */
import type { Sentence } from "./sentences.js";

export const STAR_PARTS = ["situation", "task", "action", "result"] as const;
export type StarPart = (typeof STAR_PARTS)[number];

interface Cue {
  pattern: RegExp;
  weight: number;
}

// Past-tense verbs that narrate a step: regular -ed forms are matched by shape (minus STATIVE),
// irregular ones are listed. Telling the story in the past is what separates a real example from
// a hypothetical "I would …" answer.
const IRREGULAR_PAST =
  "began|bought|brought|built|caught|chose|cut|dealt|drew|drove|dug|fed|found|gave|got|held|hung|kept(?! [a-z]+ing)|laid|led|left|made|met|paid|put|ran|rang|read|rebuilt|rewrote|sat|saw|sent|set|shut|sought|spent|split|spoke|stood|struck|taught|told|took|tore|went|won|wrote";
// -ed forms that describe a state, a wish or a perception rather than a step taken.
const STATIVE =
  "agreed|assumed|believed|cared|decided|disagreed|enjoyed|expected|felt|hoped|joined|learned|learnt|liked|loved|needed|noticed|owned|realised|realized|remembered|seemed|used|wanted|wondered|worked|worried";
const PAST_STEP = `(?!(?:${STATIVE})\\b)(?:[a-z]+ed|${IRREGULAR_PAST})\\b`;
const ADVERB = "(?: (?:also|then|first|personally|immediately|quickly|later|eventually|finally|actually|simply|myself|[a-z]+ly))?";
// Who the story is about at the start of a sentence, for role and context descriptions.
const ORG = "(?:a|an|the|my|our|one|this)";

const cues: Record<StarPart, Cue[]> = {
  situation: [
    { pattern: /\b(in my (previous|last|current|first|old|second) (role|job|position|team|company)|at my (previous|last|current|old|first|second) (job|company|role|workplace|employer)|when I (was|joined|worked|became|started)|while (I was )?working)\b/i, weight: 3 },
    { pattern: /\b(back in|in (19|20)\d\d|last (year|spring|summer|autumn|fall|winter|quarter|month)|(a few|two|three|several|some) (years|months|weeks) ago|a couple of (years|months) ago|at the time|one (night|day|morning|evening|weekend))\b/i, weight: 2 },
    // A role or employer introduced: "I was a site manager", "I work as", "I ran a hotel in …"
    { pattern: /\b(I was (a|an|the) |I('m| am) (a|an) |I worked (as|at|for|on)|I work (as|at|for|on)|as (a|an|the) [a-z]+ (engineer|manager|lead|analyst|developer|designer|intern|architect|owner))/i, weight: 2 },
    { pattern: new RegExp(`^(so,? )?(I|we) (managed|ran|led|coordinated|supervised|run|manage|lead|teach|taught|worked|work)\\b[^,;]*\\b(at|for|in|on) ${ORG} `, "i"), weight: 3 },
    { pattern: new RegExp(`^(so,? )?(at|during|on) ${ORG} `, "i"), weight: 2 },
    { pattern: /\bas (a|an) [a-z]+( [a-z]+)? (in|at|for|on|with) (a|an|the|my|our)\b|^(this|it) was (my|during|when|back|at|in|a few|last)\b/i, weight: 2 },
    // Background told as an ongoing or habitual state: "were being dumped", "kept reporting", "had stopped"
    { pattern: /\b(was|were) (being )?[a-z]+ing\b|\b(kept|started|began) [a-z]+ing\b|\b(had|have) (been|stopped|started|grown|become)\b|\bused to\b|\bthere (was|were|had been)\b/i, weight: 1.5 },
    { pattern: new RegExp(`^${ORG}( [a-z-]+){1,3} (was|were|had|showed|kept)\\b`, "i"), weight: 1.5 },
    { pattern: /^we (were|had)\b/i, weight: 1.5 },
    { pattern: /\b(problem|issue|challenge|situation|context|background|crisis|outage|complain(ed|ts?)|struggling)\b/i, weight: 1 },
  ],
  task: [
    { pattern: /\b(my (task|goal|job|role|responsibility|mandate|mission|objective|assignment|target|aim) (was|is|for)|I was (tasked|asked|responsible|accountable|assigned|expected|given|in charge)|I (needed|had) to|it was (on me|up to me|my (job|problem|call|responsibility))|(the|our) (goal|task|objective|target|aim) was|(asked|told|gave|wanted) me (to|my|the goal)|made it my (goal|job|priority))\b/i, weight: 3.5 },
    { pattern: /\b(part of|core of|within) my (job|role|remit|responsibilit(y|ies))\b|\bmy (job|role|remit|responsibility) (to|is to|was to)\b/i, weight: 2.5 },
    { pattern: /\bI wanted (to|[a-z]+( [a-z]+)? to)\b/i, weight: 2.5 },
    { pattern: /\b(we|the team) (needed|had) to\b/i, weight: 2 },
    { pattern: /\b(needed to|had to|goal|target|deadline|objective|required|responsible for|so that we could|in order to)\b/i, weight: 1.2 },
    { pattern: /\bI (aimed|set out|decided) to\b/i, weight: 1 },
  ],
  action: [
    { pattern: new RegExp(`\\bI${ADVERB} ${PAST_STEP}`, "i"), weight: 3 },
    { pattern: new RegExp(`\\b(we|they|the team)${ADVERB} ${PAST_STEP}`, "i"), weight: 1.5 },
    { pattern: new RegExp(`\\bI\\b[^.;]*, (and )?(then )?${PAST_STEP}`, "i"), weight: 2 },
    { pattern: /^(first|then|next|second|third|finally|to (do|fix|solve|address) (this|that|it)|instead)\b/i, weight: 1 },
  ],
  result: [
    { pattern: /\b(as a result|in the end|ultimately|eventually|the (result|outcome|impact) (was|is)|this (led|resulted) (to|in)|consequently|by the (end|time|\w+ (week|month|quarter|year))|after (that|(about |almost |nearly |only )?(a|one|two|three|four|five|six|\d+|a few|several) (days?|weeks?|months?|quarters?|years?))|within (a|two|three|four|six|\d+) (days?|weeks?|months?)|over the next (year|quarter|\w+ (months|weeks|quarters)))\b/i, weight: 2.5 },
    { pattern: /\b(reduced|increased|improved|saved|grew|rose|fell|raised|lowered|decreased|doubled|tripled|halved|boosted|dropped|shipped|delivered|launched|won|earned|achieved|exceeded|recovered|retained|renewed|stopped|signed|stayed|went (up|down|back|live|out|from)|got better|higher|lower|faster|fewer|adopted|rolled out)|\b(finished|ended|closed) (the \w+ )?(at|with|on)\b/i, weight: 1.5 },
    // A vague outcome is still an outcome (the rubric scores it 1): "it went well", "things got better".
    { pattern: /\b(it|this|that|things|everything|the (project|launch|change|release)) (was|went|worked|turned out|got) (out )?(great|well|fine|a success|successful|better)\b/i, weight: 1.5 },
    // The state after the story: "a week later", "… since", "we now offer", "compared with".
    { pattern: /\b(a|one|two|three|four|six|\d+|a few|several) (days?|weeks?|months?|years?) later\b|\b(ever )?since[.!]?$|\bevery (year|month|week) since\b|\bnow (?!that\b)[a-z]+s?\b(?!,)|\bcompared (with|to)\b|\b(passed|succeeded|hit) (its|their|our|the|every|all)\b/i, weight: 1.5 },
    { pattern: /\d+(\.\d+)?\s?(%|percent|x\b|times|k\b|m\b|million)|[$€£]\s?\d|\bfrom \S+ to \S+/i, weight: 1.5 },
    { pattern: /\b(learned|lesson|since then|since we|today|(is|are|was) (still|now)|now (we|I|the|uses?|is)|going forward|promoted|promotion|award|recogni[sz]ed|praised|feedback (was|from)|the next (week|month|day|quarter)|worked (for|well|fine))\b/i, weight: 1.5 },
  ],
};

// A hypothetical ("I would …", "If I …", "I'd …") describes no real step, context or outcome.
// "could" is left out: "I could write my own queries" reports a past ability.
// "I'd" before a past participle is "I had" ("I'd been to …"), not "I would".
const HYPOTHETICAL = /\b(I|we) (would|will|might|should)\b|\b(I|we)['’]d\b(?! (been|had|already|never|just|ever|done|seen|gone|heard|told|spent|[a-z]+ed)\b)|^if (I|we)\b/i;
/** Whether a sentence describes what the speaker would do rather than what happened. */
export function isHypothetical(sentence: string): boolean {
  return HYPOTHETICAL.test(sentence);
}
const HYPOTHETICAL_PENALTY: Record<StarPart, number> = { situation: 2, task: 0, action: 4, result: 2 };

/** Where each part tends to sit, as a fraction of the answer. */
const CANONICAL_POSITION: Record<StarPart, number> = { situation: 0.05, task: 0.25, action: 0.55, result: 0.92 };
const POSITION_WEIGHT = 1.2;

export function cueScores(sentence: string): Record<StarPart, number> {
  const scores = { situation: 0, task: 0, action: 0, result: 0 };
  for (const part of STAR_PARTS) {
    for (const cue of cues[part]) if (cue.pattern.test(sentence)) scores[part] += cue.weight;
  }
  if (isHypothetical(sentence)) for (const part of STAR_PARTS) scores[part] -= HYPOTHETICAL_PENALTY[part];
  return scores;
}

export interface LabelledSentence extends Sentence {
  part: StarPart;
  /** The sentence's cue score per part (computed once here; analyze reuses it). */
  cues: Record<StarPart, number>;
  hypothetical: boolean;
}

/** Label every sentence with one STAR part, keeping the parts in order. */
export function labelSentences(sentences: readonly Sentence[]): LabelledSentence[] {
  const n = sentences.length;
  if (n === 0) return [];
  const k = STAR_PARTS.length;
  const cueList = sentences.map((s) => cueScores(s.text));
  const local = sentences.map((_, i) => {
    const cue = cueList[i]!;
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
  return sentences.map((s, i) => ({ ...s, part: STAR_PARTS[labels[i]!]!, cues: cueList[i]!, hypothetical: isHypothetical(s.text) }));
}
