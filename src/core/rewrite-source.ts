/**
 * The original answer as a rewrite works from it: the grading's own sentences (its `segments`, so a
 * rewrite sentence's `from` indices point at the sentences the result page shows), each tagged and
 * labelled with the STAR part the grading gave it.
 */
import type { Feedback } from "./feedback.js";
import { labelSentences, parseAnswer, type LabelledSentence, type StarPart } from "./star-split.js";
import { splitSentences, type Sentence } from "./sentences.js";

export interface RewriteSource {
  answer: string;
  /** Index i is the grading's segment i. */
  sentences: LabelledSentence[];
}

export function rewriteSource(feedback: Pick<Feedback, "answer" | "segments">): RewriteSource {
  const { answer } = feedback;
  const segments = feedback.segments?.length ? feedback.segments : null;
  const sentences: Sentence[] = segments
    ? segments.map((s) => ({ text: answer.slice(s.start, s.end), start: s.start, end: s.end }))
    : splitSentences(answer);
  // Labelled again for the per-sentence probabilities; the part shown on the result page wins.
  const labelled = labelSentences(parseAnswer(answer, sentences).sentences);
  if (segments) {
    labelled.forEach((s, i) => {
      const part = segments[i]!.part;
      s.part = part;
      s.label = part ?? "other";
    });
  }
  return { answer, sentences: labelled };
}

/** Words that give a reason for a step, or weigh it against another. */
const REASON = ["because", "since", "why", "reason", "therefore", "so", "so that", "in order to", "instead of", "rather than", "to avoid", "to make sure"];

export function givesReason(s: LabelledSentence): boolean {
  const words = ` ${s.tokens.map((t) => t.lower).join(" ")} `;
  return REASON.some((w) => words.includes(` ${w} `));
}

/** What the story lacks that the rubric wants, found by code; both rewriters fill these gaps. */
export interface StoryGaps {
  task: boolean;
  action: boolean;
  /** Actions are told, but none gives a reason for a decision. */
  reason: boolean;
  /** The result is missing or states no measure. */
  measure: boolean;
  /** Action sentences whose acting subject is "we". */
  weActions: number[];
  /** Sentences labelled as no STAR part. */
  other: number[];
  situationSentences: number;
}

export function storyGaps(source: RewriteSource, quantifiedResult: boolean): StoryGaps {
  const indices = (part: StarPart | null) => source.sentences.flatMap((s, i) => (s.part === part ? [i] : []));
  const actions = indices("action");
  return {
    task: indices("task").length === 0,
    action: actions.length === 0,
    reason: actions.length > 0 && !actions.some((i) => givesReason(source.sentences[i]!)),
    measure: !quantifiedResult,
    weActions: actions.filter((i) => source.sentences[i]!.facts.weActs),
    other: indices(null),
    situationSentences: indices("situation").length,
  };
}
