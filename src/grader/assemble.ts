/** Turns the analysis plus a part grading (model or rule-based) into contract Feedback. */
import type { Analysis } from "../core/analyze.js";
import type { Feedback, ModelGrade, Part } from "../core/feedback.js";
import type { Principle } from "../core/principles.js";
import { band, groundQuotes, overallScore, quoteGrounder } from "../core/score.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import type { Spread } from "../core/aggregate.js";
import type { ScoreDimension } from "../core/star-parts.js";
import { computedRedFlags, mergeRedFlags, type BarRaiser, type ModelBarRaiser } from "../core/bar-raiser.js";
import { rankImprovements } from "./improvements.js";

export interface AssembleInput {
  /** Per-score min/max across self-consistency samples (only when samples > 1). */
  spread?: Record<ScoreDimension, Spread>;
  id: string;
  createdAt: string;
  storyId: string;
  answer: string;
  question: string | null;
  principle: Principle;
  analysis: Analysis;
  grade: ModelGrade;
  /** Sentence labels of the grader that named no sentence of the answer. */
  ignoredLabels?: number;
  meta: Omit<Feedback["meta"], "droppedQuotes" | "ignoredLabels">;
}

/** The Feedback fields computed by code alone, available before any model output (the web page streams them first). */
export function computedFigures(a: Analysis): Pick<Feedback, "ownership" | "length" | "metrics" | "segments"> {
  return {
    ownership: {
      iCount: a.iCount,
      weCount: a.weCount,
      iRatio: a.iRatio,
      actionIRatio: a.actionIRatio,
      weSentences: a.weSentences,
      verdict: a.ownershipVerdict,
    },
    length: {
      words: a.words,
      sentences: a.sentences.length,
      speakingSeconds: a.speakingSeconds,
      wordsPerMinute: a.wordsPerMinute,
      targetSeconds: a.targetSeconds,
      verdict: a.lengthVerdict,
    },
    metrics: { numbers: a.numbers, quantifiedResult: a.quantifiedResult, quantities: a.quantities, hypothetical: a.hypothetical },
    segments: a.sentences.map((s) => ({ start: s.start, end: s.end, part: s.part })),
  };
}

export function assembleFeedback(input: AssembleInput): Feedback {
  const { analysis: a, grade, answer } = input;
  const figures = computedFigures(a);
  let droppedQuotes = 0;
  const grounder = quoteGrounder(answer);
  const ground = (quotes: string[]) => {
    const g = grounder(quotes);
    droppedQuotes += g.dropped;
    return g.kept;
  };

  const star = Object.fromEntries(
    STAR_PARTS.map((part) => {
      const g = grade[part];
      // A part is present exactly when a sentence carries its label, whatever the grader's flag says.
      const present = a.parts[part].present;
      // When the grader's flag disagrees with the labels, its words about the part would contradict the card.
      const agrees = present === g.present;
      const feedback = agrees ? g.feedback : present ? `The answer's ${part} sentences are marked in the answer.` : `No ${part} part was found in this answer.`;
      const graded: Part = {
        present,
        score: present ? Math.max(1, g.score) : 0,
        evidence: present ? ground(g.evidence) : [],
        feedback,
        fix: g.fix,
        ...(input.spread ? { spread: input.spread[part] } : {}),
      };
      return [part, graded];
    }),
  ) as Record<StarPart, Part>;

  const fit = {
    score: grade.principleFit.score,
    rationale: grade.principleFit.rationale,
    evidence: ground(grade.principleFit.evidence),
    betterFits: grade.principleFit.betterFits.filter((id) => id !== input.principle.id),
    ...(input.spread ? { spread: input.spread.principleFit } : {}),
  };
  const score = overallScore({
    situation: star.situation.score,
    task: star.task.score,
    action: star.action.score,
    result: star.result.score,
    principleFit: fit.score,
  });
  return {
    id: input.id,
    createdAt: input.createdAt,
    principle: { id: input.principle.id, name: input.principle.name },
    question: input.question,
    answer,
    storyId: input.storyId,
    overall: { score, band: band(score) },
    star,
    ownership: figures.ownership,
    length: figures.length,
    principleFit: fit,
    metrics: figures.metrics,
    improvements: rankImprovements(a, star, grade),
    followUps: grade.followUps,
    segments: figures.segments,
    meta: { ...input.meta, droppedQuotes, ...(input.ignoredLabels ? { ignoredLabels: input.ignoredLabels } : {}) },
  };
}

/**
 * The bar-raiser section: code-computed red flags first, then the model's, whose quotes must occur
 * in the answer (an invented quote is removed and counted like any other).
 */
export function assembleBarRaiser(feedback: Feedback, analysis: Analysis, model: ModelBarRaiser): { barRaiser: BarRaiser; droppedQuotes: number } {
  let droppedQuotes = 0;
  const modelFlags = model.redFlags.map((flag) => {
    if (flag.quote === null) return { ...flag, source: "model" as const };
    const { kept, dropped } = groundQuotes(feedback.answer, [flag.quote]);
    droppedQuotes += dropped;
    return { ...flag, quote: kept[0] ?? null, source: "model" as const };
  });
  const redFlags = mergeRedFlags(computedRedFlags(analysis, feedback.principleFit.betterFits), modelFlags);
  return { barRaiser: { ...model, redFlags }, droppedQuotes };
}
