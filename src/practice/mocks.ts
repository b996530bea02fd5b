/**
 * Mock interviews as a use case: start one, answer each question (graded in bar-raiser mode as a
 * new story), answer its drill-down follow-up, finish with a debrief. Times come from the page's
 * timer when it reports them, else from the server's clock (injected, so tests simulate time).
 */
import type { Delivery } from "../core/delivery.js";
import type { Feedback } from "../core/feedback.js";
import type { FollowUpResult } from "../core/followup.js";
import { findPrinciple, PRINCIPLE_IDS } from "../core/principles.js";
import { InputError, type GradingService } from "../grading.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";
import { answerFollowUp, validateElapsed } from "./drills.js";
import {
  ANSWER_SECONDS,
  currentIndex,
  pendingFollowUp,
  debrief,
  DEFAULT_MOCK_QUESTIONS,
  drawQuestions,
  MAX_MOCK_QUESTIONS,
  MOCK_ROLES,
  ROLE_PRINCIPLES,
  secondsBetween,
  type MockDoc,
  type MockRole,
} from "./mock.js";

export interface MockDeps {
  store: Store;
  stories: StoryStore;
  grading: GradingService;
  now?: () => Date;
  newId?: () => string;
  random?: () => number;
}

export type MockStatus = "in_progress" | "finished";

export interface Mock extends MockDoc {
  id: string;
  createdAt: string;
  updatedAt: string;
  status: MockStatus;
  /** The question waiting for an answer; null when all are answered. */
  current: number | null;
  /** The question whose follow-up waits for an answer (or a skip); null when none. */
  pendingFollowUp: number | null;
  answerSeconds: number;
}

export interface MockSettings {
  role?: MockRole | null;
  principles?: string[] | null;
  count?: number | null;
}

const mockNotFound = (id: string) => new InputError("mock_not_found", `No mock interview with id "${id.slice(0, 100)}".`, 404);
const conflict = (code: string, message: string) => new InputError(code, message, 409);

function toMock(r: { id: string; createdAt: string; updatedAt: string; status: string; doc: MockDoc }): Mock {
  const finished = r.status === "finished";
  return {
    id: r.id,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    status: r.status as MockStatus,
    ...r.doc,
    current: finished ? null : currentIndex(r.doc),
    pendingFollowUp: finished ? null : (pendingFollowUp(r.doc)?.index ?? null),
    answerSeconds: ANSWER_SECONDS,
  };
}

export function createMockService(deps: MockDeps) {
  const now = () => deps.now?.() ?? new Date();
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const random = deps.random ?? Math.random;

  async function load(id: string): Promise<Mock> {
    const r = await deps.stories.mock<MockDoc>(id);
    if (!r) throw mockNotFound(id);
    return toMock(r);
  }

  async function save(m: Mock, status: MockStatus = m.status): Promise<Mock> {
    const { id, createdAt, status: _s, current: _c, pendingFollowUp: _p, answerSeconds: _a, updatedAt: _u, ...doc } = m;
    const updatedAt = now().toISOString();
    await deps.stories.saveMock<MockDoc>({ id, createdAt, updatedAt, status, doc });
    return toMock({ id, createdAt, updatedAt, status, doc });
  }

  function open(m: Mock): Mock {
    if (m.status === "finished") throw conflict("mock_finished", "This mock interview is finished; start a new one.");
    return m;
  }

  /**
   * The mock is open and `index` is the question being asked: checked before a spoken answer is
   * transcribed, so a wrong request costs nothing.
   */
  async function requireCurrent(id: string, index: number): Promise<Mock> {
    const m = open(await load(id));
    if (m.current === null) throw conflict("mock_complete", "Every question is answered: finish the mock interview to see the debrief.");
    if (index !== m.current) throw conflict("mock_out_of_order", `Question ${index + 1} is not the one being asked; answer question ${m.current + 1}.`);
    return m;
  }

  return {
    async start(settings: MockSettings): Promise<Mock> {
      const count = settings.count ?? DEFAULT_MOCK_QUESTIONS;
      if (!Number.isInteger(count) || count < 1 || count > MAX_MOCK_QUESTIONS) {
        throw new InputError("invalid_count", `count must be a whole number from 1 to ${MAX_MOCK_QUESTIONS}; got ${String(count).slice(0, 20)}.`);
      }
      let pool: string[];
      if (settings.principles?.length) {
        const unknown = settings.principles.filter((p) => findPrinciple(p)?.id !== p);
        if (unknown.length) throw new InputError("unknown_principle", `Unknown principle id ${unknown.slice(0, 3).map((u) => `"${u.slice(0, 60)}"`).join(", ")}. Use one of: ${PRINCIPLE_IDS.join(", ")}.`);
        pool = settings.principles;
      } else {
        const role = settings.role ?? "general";
        if (!MOCK_ROLES.includes(role)) throw new InputError("unknown_role", `Unknown role "${String(role).slice(0, 60)}". Use one of: ${MOCK_ROLES.join(", ")}.`);
        pool = [...ROLE_PRINCIPLES[role].principles];
      }
      const questions = drawQuestions(pool, count, random);
      const at = now().toISOString();
      const doc: MockDoc = {
        role: settings.principles?.length ? null : (settings.role ?? "general"),
        principles: [...new Set(questions.map((q) => q.principle.id))],
        questions,
        askedAt: questions.map((_, i) => (i === 0 ? at : null)),
        answers: [],
        finishedAt: null,
        debrief: null,
      };
      return save({ id: newId(), createdAt: at, updatedAt: at, status: "in_progress", current: 0, pendingFollowUp: null, answerSeconds: ANSWER_SECONDS, ...doc });
    },

    get: load,

    list: (limit = 20) => deps.stories.mocks(limit),

    requireCurrent,

    /**
     * Answer the current question; it is graded (bar-raiser mode) as a new story and its follow-up is
     * put. A spoken answer brings its delivery: its time is the recording's length.
     */
    async answer(id: string, input: { index: number; answer: string; elapsedSeconds?: number | null; delivery?: Delivery | null }): Promise<Mock> {
      const elapsed = input.delivery ? Math.round(input.delivery.durationSeconds) : validateElapsed(input.elapsedSeconds);
      const m = await requireCurrent(id, input.index);
      const q = m.questions[input.index]!;
      const feedback = await deps.grading.grade({ answer: input.answer, principle: q.principle.id, question: q.text, mode: "bar-raiser", ...(input.delivery ? { delivery: input.delivery } : {}) });
      const at = now();
      const seconds = elapsed ?? secondsBetween(m.askedAt[q.index] ?? m.createdAt, at);
      const followUpQuestion = feedback.barRaiser?.followUps[0] ?? feedback.followUps[0] ?? null;
      m.answers.push({
        index: q.index,
        gradingId: feedback.id,
        storyId: feedback.storyId,
        score: feedback.overall.score,
        elapsedSeconds: seconds,
        timing: input.delivery ? "audio" : elapsed === null ? "server" : "reported",
        overrun: seconds > ANSWER_SECONDS,
        followUp: followUpQuestion ? { question: followUpQuestion, askedAt: at.toISOString(), drillId: null, score: null, consistent: null, elapsedSeconds: null, skipped: false } : null,
      });
      // The next question is asked once this follow-up is answered (or skipped, from now).
      if (q.index + 1 < m.questions.length) m.askedAt[q.index + 1] = at.toISOString();
      return save(m);
    },

    /** Answer the drill-down follow-up of question `index` (judged and stored like any drill). */
    async followUp(id: string, index: number, input: { answer: string; elapsedSeconds?: number | null }): Promise<Mock> {
      const m = open(await load(id));
      const elapsed = validateElapsed(input.elapsedSeconds);
      const a = m.answers.find((x) => x.index === index);
      if (!a) throw conflict("mock_out_of_order", `Question ${index + 1} has no answer yet; answer it before its follow-up.`);
      if (!a.followUp) throw conflict("mock_no_follow_up", `Question ${index + 1} has no follow-up question.`);
      if (a.followUp.drillId || a.followUp.skipped) throw conflict("mock_follow_up_answered", `The follow-up of question ${index + 1} is already answered or skipped.`);
      const drill = await answerFollowUp({ ...deps, grader: deps.grading.grader, wordsPerMinute: deps.grading.length.wordsPerMinute }, a.gradingId, {
        question: a.followUp.question,
        answer: input.answer,
        elapsedSeconds: elapsed ?? secondsBetween(a.followUp.askedAt, now()),
      });
      a.followUp = { ...a.followUp, drillId: drill.id, score: drill.score, consistent: drill.consistent, elapsedSeconds: drill.length.elapsedSeconds };
      if (index + 1 < m.questions.length && !m.answers.some((x) => x.index === index + 1)) m.askedAt[index + 1] = drill.createdAt;
      return save(m);
    },

    /** Move on without answering the follow-up of question `index`; the next question is asked from now. */
    async skipFollowUp(id: string, index: number): Promise<Mock> {
      const m = open(await load(id));
      const a = m.answers.find((x) => x.index === index);
      if (!a?.followUp || a.followUp.drillId || a.followUp.skipped) throw conflict("mock_no_follow_up", `Question ${index + 1} has no follow-up waiting.`);
      a.followUp.skipped = true;
      if (index + 1 < m.questions.length && !m.answers.some((x) => x.index === index + 1)) m.askedAt[index + 1] = now().toISOString();
      return save(m);
    },

    /**
     * Delete a mock interview with the answers given in it: its document, then each answer's grading
     * (and, with it, the drill and the story when that was its only version) through the grading
     * store's deletion path, which scrubs the text. An answer served from an earlier identical
     * grading (the model cache) points to a grading older than the mock: that one stays.
     */
    async remove(id: string): Promise<{ gradings: number }> {
      const m = await load(id);
      const own: string[] = [];
      for (const a of m.answers) {
        const g = await deps.store.getGrading(a.gradingId);
        if (g && g.createdAt >= m.createdAt) own.push(g.id);
      }
      if (!(await deps.stories.deleteMock(id))) throw mockNotFound(id);
      let gradings = 0;
      for (const gradingId of new Set(own)) if (await deps.store.deleteGrading(gradingId)) gradings++;
      return { gradings };
    },

    /** End the interview (unanswered questions stay so) and compute the debrief. */
    async finish(id: string): Promise<Mock> {
      const m = open(await load(id));
      if (!m.answers.length) throw conflict("mock_unanswered", "Answer at least one question before finishing.");
      const gradings = new Map<string, Feedback>();
      const drills = new Map<string, FollowUpResult>();
      for (const a of m.answers) {
        const f = await deps.store.getGrading(a.gradingId);
        if (f) gradings.set(f.id, f);
        if (a.followUp?.drillId) {
          const d = await deps.stories.drill<FollowUpResult>(a.followUp.drillId);
          if (d) drills.set(d.id, d.result);
        }
      }
      m.finishedAt = now().toISOString();
      m.debrief = debrief(m, gradings, drills);
      return save(m, "finished");
    },
  };
}

export type MockService = ReturnType<typeof createMockService>;
