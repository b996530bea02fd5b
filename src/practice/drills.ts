/**
 * Follow-up drills: after a grading, answer one of its follow-up questions; the answer is judged
 * (model or rules), its quotes grounded, its consistency with the story checked by code and, in
 * LLM mode, by the model; the drill is stored under the grading.
 */
import { findContradictions } from "../core/consistency.js";
import type { Feedback } from "../core/feedback.js";
import {
  analyzeFollowUp,
  contradictionFromCode,
  followUpFigures,
  followUpScore,
  MAX_FOLLOW_UP_ANSWER_CHARS,
  type FollowUpResult,
} from "../core/followup.js";
import { principleById } from "../core/principles.js";
import { quoteGrounder } from "../core/score.js";
import { offlineFollowUp } from "../grader/followup.js";
import type { Grader } from "../grader/types.js";
import { InputError, MAX_QUESTION_CHARS } from "../grading.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";

export interface DrillDeps {
  store: Store;
  stories: StoryStore;
  grader: Grader;
  wordsPerMinute: number;
  now?: () => Date;
  newId?: () => string;
}

export interface DrillInput {
  question: string;
  answer: string;
  /** Seconds the candidate took, from the page's timer (0–3600). */
  elapsedSeconds?: number | null;
}

export const MAX_ELAPSED_SECONDS = 3_600;

export function gradingNotFound(id: string): InputError {
  return new InputError("not_found", `No grading with id "${id.slice(0, 100)}".`, 404);
}

export function validateElapsed(elapsed: number | null | undefined): number | null {
  if (elapsed === undefined || elapsed === null) return null;
  if (!Number.isFinite(elapsed) || elapsed < 0 || elapsed > MAX_ELAPSED_SECONDS) {
    throw new InputError("invalid_elapsed", `elapsedSeconds must be a number of seconds from 0 to ${MAX_ELAPSED_SECONDS}.`);
  }
  return Math.round(elapsed);
}

function validateDrill(input: DrillInput): { question: string; answer: string; elapsed: number | null } {
  const question = input.question.trim();
  if (!question) throw new InputError("question_empty", "The follow-up question is empty: pick one of the grading's follow-ups.");
  if (question.length > MAX_QUESTION_CHARS) throw new InputError("question_too_long", `The question has ${question.length} characters; the limit is ${MAX_QUESTION_CHARS}.`);
  const answer = input.answer;
  if (!answer.trim()) throw new InputError("answer_empty", "The follow-up answer is empty: say (or type) what you would answer.");
  if (answer.length > MAX_FOLLOW_UP_ANSWER_CHARS) {
    throw new InputError("answer_too_long", `The follow-up answer has ${answer.length} characters; the limit is ${MAX_FOLLOW_UP_ANSWER_CHARS} (a follow-up answer takes 30–60 seconds).`, 413);
  }
  return { question, answer, elapsed: validateElapsed(input.elapsedSeconds) };
}

/** Judge a follow-up answer against the story graded in `story`; nothing is stored. */
export async function judgeDrill(deps: Pick<DrillDeps, "grader" | "wordsPerMinute">, story: Feedback, question: string, answer: string, elapsed: number | null) {
  const analysis = analyzeFollowUp(answer, deps.wordsPerMinute);
  const computed = findContradictions(story.answer, answer);
  const principle = principleById(story.principle.id);
  const request = { story, principle, question, answer, analysis, computed };
  const outcome = await (deps.grader.followUp ?? offlineFollowUp)(request);
  const j = outcome.judgement;
  let dropped = 0;
  const inAnswer = quoteGrounder(answer);
  const inStory = quoteGrounder(story.answer);
  const evidence = inAnswer(j.evidence);
  dropped += evidence.dropped;
  // A model contradiction counts only when both of its quotes are real; code's come first (exact).
  const modelConflicts = j.contradictions.flatMap((c) => {
    const a = inAnswer([c.followUpQuote]);
    const s = inStory([c.storyQuote]);
    dropped += a.dropped + s.dropped;
    return a.kept[0] && s.kept[0] ? [{ kind: "other" as const, original: s.kept[0], followUp: a.kept[0], explanation: c.explanation, source: "model" as const }] : [];
  });
  const contradictions = [...computed.map(contradictionFromCode), ...modelConflicts.filter((m) => !computed.some((c) => c.followUp === m.followUp))];
  const consistent = contradictions.length === 0;
  return {
    score: followUpScore({ specificity: j.specificity, answersQuestion: j.answersQuestion, consistent }),
    specificity: j.specificity,
    feedback: [j.feedback, j.answersQuestion ? "" : j.answersQuestionReason].filter(Boolean).join(" "),
    answersQuestion: j.answersQuestion,
    consistent,
    contradictions,
    evidence: evidence.kept,
    ...followUpFigures(analysis, elapsed),
    meta: { mode: deps.grader.followUp ? ("llm" as const) : ("offline" as const), model: deps.grader.followUp ? deps.grader.model : null, promptVersion: outcome.promptVersion, usage: outcome.usage, droppedQuotes: dropped },
  };
}

/** Check a drill request without judging it: valid input for a grading that exists. */
export async function requireGrading(deps: Pick<DrillDeps, "store">, gradingId: string, input: DrillInput): Promise<Feedback> {
  validateDrill(input);
  const story = await deps.store.getGrading(gradingId);
  if (!story) throw gradingNotFound(gradingId);
  return story;
}

/** POST /v1/gradings/:id/followups: judge, store under the grading, mark the story practised. */
export async function answerFollowUp(deps: DrillDeps, gradingId: string, input: DrillInput): Promise<FollowUpResult> {
  const { question, answer, elapsed } = validateDrill(input);
  const story = await requireGrading(deps, gradingId, input);
  const judged = await judgeDrill(deps, story, question, answer, elapsed);
  const result: FollowUpResult = {
    id: (deps.newId ?? (() => crypto.randomUUID()))(),
    gradingId,
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
    question,
    answer,
    ...judged,
  };
  await deps.stories.saveDrill({ id: result.id, gradingId, createdAt: result.createdAt, question, answer, result });
  await deps.stories.touch(story.storyId, result.createdAt);
  return result;
}

export async function listDrills(deps: Pick<DrillDeps, "store" | "stories">, gradingId: string): Promise<FollowUpResult[]> {
  if (!(await deps.store.getGrading(gradingId))) throw gradingNotFound(gradingId);
  return (await deps.stories.drills<FollowUpResult>(gradingId)).map((d) => d.result);
}
