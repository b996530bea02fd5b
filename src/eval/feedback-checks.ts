/**
 * Checks that the feedback is right in itself, whatever the labels say, measured over a set of
 * graded answers:
 * - a STAR card never contradicts the highlighting (a highlighted part whose card says it is
 *   missing, or a card that says a part is there when no sentence carries it);
 * - follow-up questions are about the answer: few of them are the same text on a third of the answers;
 * - an improvement list never gives the same advice twice (two items with one concern);
 * - an improvement list has at most MAX_IMPROVEMENTS items.
 * Pure: it reads Feedback objects, so it runs on any grader's output (offline rules or a model).
 */
import type { Feedback } from "../core/feedback.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import { concernOf, MAX_IMPROVEMENTS } from "../grader/improvements.js";

/** The fields of a Feedback the checks read. */
export type CheckedFeedback = Pick<Feedback, "star" | "segments" | "improvements" | "followUps">;

export interface GradedAnswer {
  id: string;
  feedback: CheckedFeedback;
}

/** The wording the cards use for a part with no sentence (src/grader/offline.ts, src/grader/assemble.ts). */
const NONE_FOUND = /\bno \w+ part was found\b/i;

export const FEEDBACK_GOALS = {
  contradictions: 0,
  /** Share of all follow-ups asked whose exact text is asked on a third of the answers or more. */
  repeatedFollowUpShare: 0.1,
  repeatedConcerns: 0,
  overLimit: 0,
} as const;

export interface Contradiction {
  id: string;
  part: StarPart;
  /** true: the part is highlighted but its card says it is missing; false: the reverse. */
  highlighted: boolean;
  card: string;
}

export interface QuestionCount {
  text: string;
  /** Answers this exact question was asked on. */
  answers: number;
}

export interface FeedbackChecks {
  answers: number;
  contradictions: { count: number; pass: boolean; cases: Contradiction[] };
  repeatedFollowUps: {
    /** Follow-up questions asked, over all answers. */
    asked: number;
    /** Of those, how many have a text asked on at least `minAnswers` answers. */
    repeated: number;
    share: number | null;
    /** A third of the answers, and at least 2: a question asked once is never "the same text". */
    minAnswers: number;
    pass: boolean;
    /** The texts asked on at least `minAnswers` answers, most frequent first. */
    questions: QuestionCount[];
    mostCommon: QuestionCount | null;
  };
  repeatedConcerns: { count: number; pass: boolean; cases: Array<{ id: string; concerns: string[] }> };
  overLimit: { limit: number; count: number; pass: boolean; cases: Array<{ id: string; improvements: number }> };
}

/** The parts whose card and highlighting disagree in one feedback. */
export function cardContradictions(id: string, f: CheckedFeedback): Contradiction[] {
  const out: Contradiction[] = [];
  for (const part of STAR_PARTS) {
    const card = f.star[part];
    const highlighted = f.segments.some((s) => s.part === part);
    // The card shows "missing" when its flag is off or its text says so; it must say so exactly when nothing is highlighted.
    const saysMissing = !card.present || NONE_FOUND.test(card.feedback);
    if (highlighted === saysMissing) out.push({ id, part, highlighted, card: card.feedback });
  }
  return out;
}

/** The concerns an improvement list names more than once. */
export function repeatedConcerns(improvements: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const concern of improvements.map(concernOf)) (seen.has(concern) ? twice : seen).add(concern);
  return [...twice];
}

export function feedbackChecks(graded: readonly GradedAnswer[]): FeedbackChecks {
  const contradictions = graded.flatMap(({ id, feedback }) => cardContradictions(id, feedback));

  // Each question counts once per answer it is asked on.
  const onAnswers = new Map<string, number>();
  for (const { feedback } of graded) for (const q of new Set(feedback.followUps)) onAnswers.set(q, (onAnswers.get(q) ?? 0) + 1);
  const minAnswers = Math.max(2, Math.ceil(graded.length / 3));
  const byFrequency = [...onAnswers].map(([text, answers]) => ({ text, answers })).sort((a, b) => b.answers - a.answers || a.text.localeCompare(b.text));
  const questions = byFrequency.filter((q) => q.answers >= minAnswers);
  const common = new Set(questions.map((q) => q.text));
  const asked = graded.reduce((n, { feedback }) => n + feedback.followUps.length, 0);
  const repeated = graded.reduce((n, { feedback }) => n + feedback.followUps.filter((q) => common.has(q)).length, 0);
  const share = asked ? repeated / asked : null;

  const concerns = graded.map(({ id, feedback }) => ({ id, concerns: repeatedConcerns(feedback.improvements) })).filter((c) => c.concerns.length);
  const over = graded.filter(({ feedback }) => feedback.improvements.length > MAX_IMPROVEMENTS).map(({ id, feedback }) => ({ id, improvements: feedback.improvements.length }));

  return {
    answers: graded.length,
    contradictions: { count: contradictions.length, pass: contradictions.length <= FEEDBACK_GOALS.contradictions, cases: contradictions },
    repeatedFollowUps: {
      asked,
      repeated,
      share,
      minAnswers,
      pass: (share ?? 0) <= FEEDBACK_GOALS.repeatedFollowUpShare,
      questions,
      mostCommon: byFrequency[0] ?? null,
    },
    repeatedConcerns: { count: concerns.length, pass: concerns.length <= FEEDBACK_GOALS.repeatedConcerns, cases: concerns },
    overLimit: { limit: MAX_IMPROVEMENTS, count: over.length, pass: over.length <= FEEDBACK_GOALS.overLimit, cases: over },
  };
}

const CASES_SHOWN = 5;
const verdict = (pass: boolean) => (pass ? "met" : "NOT MET");
const quote = (text: string, max = 90) => `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;

/** The "Feedback checks" block of the eval report: each figure next to its goal. */
export function formatFeedbackChecks(c: FeedbackChecks): string {
  const out = [`Feedback checks (${c.answers} answers)`];
  const line = (label: string, result: string, goal: string, status: string) => out.push(`${label.padEnd(46)} ${result.padEnd(16)} ${goal.padEnd(6)} ${status}`.trimEnd());
  const row = (label: string, result: string, goal: string, pass: boolean) => line(label, result, goal, verdict(pass));
  line("check", "result", "goal", "");
  const more = (shown: number, total: number) => {
    if (total > shown) out.push(`  … and ${total - shown} more`);
  };

  const g = FEEDBACK_GOALS;
  row("card contradicts the highlighting", String(c.contradictions.count), String(g.contradictions), c.contradictions.pass);
  for (const x of c.contradictions.cases.slice(0, CASES_SHOWN)) {
    out.push(`  ${x.id} ${x.part}: ${x.highlighted ? "highlighted, card says missing" : "not highlighted, card says present"} ${quote(x.card, 60)}`);
  }
  more(CASES_SHOWN, c.contradictions.count);

  const f = c.repeatedFollowUps;
  const share = f.share === null ? "—" : `${(f.share * 100).toFixed(1)}% (${f.repeated}/${f.asked})`;
  row(`follow-ups asked on ≥ ${f.minAnswers} answers (a third)`, share, `≤ ${g.repeatedFollowUpShare * 100}%`, f.pass);
  if (f.mostCommon?.answers === 1) out.push("  every question is asked on one answer only");
  else if (f.mostCommon) out.push(`  most common, on ${f.mostCommon.answers} of ${c.answers} answers: ${quote(f.mostCommon.text)}`);
  const others = f.questions.filter((q) => q !== f.mostCommon);
  for (const q of others.slice(0, CASES_SHOWN)) out.push(`  also on ${q.answers} answers: ${quote(q.text)}`);
  more(CASES_SHOWN, others.length);

  row("improvement lists repeating a concern", String(c.repeatedConcerns.count), String(g.repeatedConcerns), c.repeatedConcerns.pass);
  for (const x of c.repeatedConcerns.cases.slice(0, CASES_SHOWN)) out.push(`  ${x.id}: ${x.concerns.join(", ")} twice`);
  more(CASES_SHOWN, c.repeatedConcerns.count);

  row(`improvement lists over ${c.overLimit.limit} items`, String(c.overLimit.count), String(g.overLimit), c.overLimit.pass);
  for (const x of c.overLimit.cases.slice(0, CASES_SHOWN)) out.push(`  ${x.id}: ${x.improvements} improvements`);
  more(CASES_SHOWN, c.overLimit.count);
  return out.join("\n");
}
