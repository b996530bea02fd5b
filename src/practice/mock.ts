/**
 * A mock interview, as the real loop runs it: questions drawn from the bank across different
 * principles, two minutes per answer, one drill-down follow-up each, and a debrief with a
 * bar-raiser-style signal per principle. No I/O here: the service (mocks.ts) stores the document.
 */
import { hireSignalFromBand, HIRE_SIGNALS } from "../core/bar-raiser.js";
import type { Delivery } from "../core/delivery.js";
import type { Feedback } from "../core/feedback.js";
import type { FollowUpResult } from "../core/followup.js";
import { PRINCIPLES, principleById } from "../core/principles.js";
import { questionsFor } from "../core/questions.js";
import { STAR_PARTS, type StarPart } from "../core/star-split.js";
import { clock } from "../core/clock.js";
import { duplicatePairs } from "./bank.js";

export const ANSWER_SECONDS = 120;
export const DEFAULT_MOCK_QUESTIONS = 4;
export const MAX_MOCK_QUESTIONS = 8;

export const MOCK_ROLES = ["tpm", "software-engineer", "product-manager", "general"] as const;
export type MockRole = (typeof MOCK_ROLES)[number];

/** The principles each role's loop leans on (general: all 16), most asked first. */
export const ROLE_PRINCIPLES: Record<MockRole, { name: string; principles: readonly string[] }> = {
  tpm: {
    name: "Technical program manager",
    principles: ["deliver-results", "ownership", "earn-trust", "have-backbone-disagree-and-commit", "dive-deep", "bias-for-action", "think-big", "insist-on-the-highest-standards"],
  },
  "software-engineer": {
    name: "Software engineer",
    principles: ["customer-obsession", "ownership", "dive-deep", "invent-and-simplify", "bias-for-action", "deliver-results", "insist-on-the-highest-standards", "learn-and-be-curious"],
  },
  "product-manager": {
    name: "Product manager",
    principles: ["customer-obsession", "think-big", "are-right-a-lot", "invent-and-simplify", "earn-trust", "have-backbone-disagree-and-commit", "deliver-results", "frugality"],
  },
  general: { name: "General", principles: PRINCIPLES.map((p) => p.id) },
};

export interface MockQuestion {
  index: number;
  questionId: string;
  text: string;
  principle: { id: string; name: string };
}

export interface MockFollowUp {
  question: string;
  askedAt: string;
  drillId: string | null;
  score: number | null;
  consistent: boolean | null;
  elapsedSeconds: number | null;
  /** The candidate moved on without answering it. */
  skipped: boolean;
}

export interface MockAnswer {
  index: number;
  gradingId: string;
  storyId: string;
  score: number;
  elapsedSeconds: number;
  /** How the time was measured: the page's timer, the server's clock between question and answer, or a spoken answer's recording. */
  timing: MockTiming;
  overrun: boolean;
  followUp: MockFollowUp | null;
}

export const MOCK_TIMINGS = ["reported", "server", "audio"] as const;
export type MockTiming = (typeof MOCK_TIMINGS)[number];

export type HireSignal = (typeof HIRE_SIGNALS)[number];

export interface Debrief {
  principles: Array<{ index: number; principle: { id: string; name: string }; signal: HireSignal; score: number; reasons: string[]; gradingId: string }>;
  unanswered: number[];
  /** `delivery`: a spoken answer's figures (its length from the audio, pace, fillers, pauses); null for a typed one. */
  time: Array<{ index: number; elapsedSeconds: number; targetSeconds: number; overrun: boolean; followUpSeconds: number | null; delivery: Delivery | null }>;
  stories: Array<{ index: number; storyId: string }>;
  storyWarnings: Array<{ indexes: [number, number]; similarity: number; message: string }>;
  practiseNext: string[];
}

export interface MockDoc {
  role: MockRole | null;
  principles: string[];
  questions: MockQuestion[];
  /** When each question was put to the candidate (server clock); null until then. */
  askedAt: Array<string | null>;
  answers: MockAnswer[];
  finishedAt: string | null;
  debrief: Debrief | null;
}

/**
 * Questions across different principles: the pool's principles in a random order, one bank question
 * each (a principle comes round again only when there are more questions than principles).
 */
export function drawQuestions(pool: readonly string[], count: number, random: () => number): MockQuestion[] {
  const shuffled = shuffle([...new Set(pool)], random);
  const chosen = new Set<string>();
  const questions: MockQuestion[] = [];
  for (let round = 0; questions.length < count && round < count; round++) {
    for (const id of shuffled) {
      if (questions.length >= count) break;
      const candidates = questionsFor(id).filter((q) => !chosen.has(q.id));
      if (!candidates.length) continue;
      const q = candidates[Math.floor(random() * candidates.length)]!;
      chosen.add(q.id);
      questions.push({ index: questions.length, questionId: q.id, text: q.text, principle: { id, name: principleById(id).name } });
    }
  }
  return questions;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The follow-up waiting for an answer: the newest answer's, unless answered or skipped. */
export function pendingFollowUp(doc: MockDoc): MockAnswer | null {
  const last = doc.answers[doc.answers.length - 1];
  return last?.followUp && !last.followUp.drillId && !last.followUp.skipped ? last : null;
}

/** The question waiting for an answer: the first unanswered one; null when all are answered. */
export function currentIndex(doc: MockDoc): number | null {
  return doc.answers.length < doc.questions.length ? doc.answers.length : null;
}

export function secondsBetween(from: string, to: Date): number {
  return Math.max(0, Math.round((to.getTime() - Date.parse(from)) / 1000));
}

const lower = (s: HireSignal): HireSignal => HIRE_SIGNALS[Math.max(0, HIRE_SIGNALS.indexOf(s) - 1)]!;

const PART_NAMES: Record<StarPart, string> = { situation: "Situation", task: "Task", action: "Action", result: "Result" };

/** The debrief: a signal with reasons per principle, time per answer, stories used, what to practise next. */
export function debrief(doc: MockDoc, gradings: ReadonlyMap<string, Feedback>, drills: ReadonlyMap<string, FollowUpResult>): Debrief {
  const principles: Debrief["principles"] = [];
  for (const a of doc.answers) {
    const f = gradings.get(a.gradingId);
    const q = doc.questions[a.index]!;
    if (!f) continue;
    const drill = a.followUp?.drillId ? drills.get(a.followUp.drillId) : undefined;
    let signal: HireSignal = f.barRaiser?.hireSignal ?? hireSignalFromBand(f.overall.band);
    const reasons = [...(f.barRaiser?.reasons.slice(0, 3) ?? [`Overall ${f.overall.score}/100 (${f.overall.band}).`])];
    if (drill && (!drill.consistent || drill.score <= 1)) {
      signal = lower(signal);
      reasons.push(drill.consistent ? `The follow-up (“${drill.question}”) scored ${drill.score}/4: the story did not hold up when drilled.` : `The follow-up contradicted the story: ${drill.contradictions[0]?.explanation ?? "a fact changed"}`);
    } else if (drill) reasons.push(`The follow-up held up (${drill.score}/4).`);
    else reasons.push("The follow-up was not answered.");
    if (a.overrun) reasons.push(`The answer took ${clock(a.elapsedSeconds)}, over the ${clock(ANSWER_SECONDS)} an interviewer allows.`);
    principles.push({ index: a.index, principle: q.principle, signal, score: f.overall.score, reasons, gradingId: a.gradingId });
  }
  const answered = new Set(doc.answers.map((a) => a.index));
  const unanswered = doc.questions.map((q) => q.index).filter((i) => !answered.has(i));

  const time = doc.answers.map((a) => ({
    index: a.index,
    elapsedSeconds: a.elapsedSeconds,
    targetSeconds: ANSWER_SECONDS,
    overrun: a.overrun,
    followUpSeconds: a.followUp?.elapsedSeconds ?? null,
    delivery: gradings.get(a.gradingId)?.delivery ?? null,
  }));

  const texts = doc.answers.map((a) => ({ id: String(a.index), text: gradings.get(a.gradingId)?.answer ?? "" }));
  const storyWarnings = duplicatePairs(texts).map((p) => {
    const [i, j] = [Number(p.a), Number(p.b)].sort((x, y) => x - y) as [number, number];
    return {
      indexes: [i, j] as [number, number],
      similarity: p.similarity,
      message: `Answers ${i + 1} and ${j + 1} tell the same story (similarity ${p.similarity.toFixed(2)}; shared: ${p.shared.slice(0, 4).join(", ")}). In a loop, each interviewer should hear a different story.`,
    };
  });

  return { principles, unanswered, time, stories: doc.answers.map((a) => ({ index: a.index, storyId: a.storyId })), storyWarnings, practiseNext: practiseNext(doc, principles, gradings, drills, storyWarnings.length > 0) };
}

/** Three things, most valuable first: the weakest principle, the weakest STAR part, then timing, follow-ups, reuse or ownership. */
function practiseNext(doc: MockDoc, principles: Debrief["principles"], gradings: ReadonlyMap<string, Feedback>, drills: ReadonlyMap<string, FollowUpResult>, reused: boolean): string[] {
  const out: string[] = [];
  const feedbacks = doc.answers.flatMap((a) => gradings.get(a.gradingId) ?? []);
  const weakest = [...principles].sort((a, b) => HIRE_SIGNALS.indexOf(a.signal) - HIRE_SIGNALS.indexOf(b.signal) || a.score - b.score)[0];
  if (weakest) {
    const fix = gradings.get(weakest.gradingId)?.improvements[0];
    out.push(`${weakest.principle.name} (${weakest.signal.replace("_", " ")}): rework that story${fix ? ` — ${fix}` : "."}`);
  }
  if (feedbacks.length) {
    const avg = (p: StarPart) => feedbacks.reduce((n, f) => n + f.star[p].score, 0) / feedbacks.length;
    const part = [...STAR_PARTS].sort((a, b) => avg(a) - avg(b))[0]!;
    if (avg(part) < 3.5) {
      const fix = feedbacks.map((f) => f.star[part].fix).find(Boolean);
      out.push(`The ${PART_NAMES[part]} part (average ${avg(part).toFixed(1)}/4 across your answers)${fix ? `: ${fix}` : "."}`);
    }
  }
  const overruns = doc.answers.filter((a) => a.overrun);
  if (overruns.length) out.push(`Timing: ${overruns.length} of ${doc.answers.length} answers ran over 2:00 (${overruns.map((a) => clock(a.elapsedSeconds)).join(", ")}). Practise a 90-second version of each story.`);
  const shaky = doc.answers.flatMap((a) => (a.followUp?.drillId ? (drills.get(a.followUp.drillId) ?? []) : [])).filter((d) => !d.consistent || d.score <= 1);
  if (shaky.length) out.push(`Follow-ups: ${shaky.length} did not hold up. Before the interview, write down each story's numbers, your role and who did what, and keep to them.`);
  const unanswered = doc.answers.filter((a) => !a.followUp?.drillId).length;
  if (unanswered) out.push(`Answer the drill-down follow-ups too (${unanswered} skipped): interviewers always dig in.`);
  if (reused) out.push("Use a different story for each question: build your bank on the Stories page until every principle has two.");
  const we = feedbacks.filter((f) => f.ownership.verdict === "weak" || f.ownership.verdict === "mixed").length;
  if (we) out.push(`Ownership: ${we} answer${we > 1 ? "s" : ""} hid your part behind “we”. Say what you did, with “I”.`);
  return out.slice(0, 3);
}
