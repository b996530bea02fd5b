/**
 * The grading use case: resolve the principle, analyse, serve from cache or ask the grader,
 * assemble grounded Feedback, store it. Every adapter (HTTP, CLI, batch, Worker) goes through here.
 */
import { z } from "zod";
import { AppError } from "./errors.js";
import { analyze, relabel, type Analysis, type LengthOptions } from "./core/analyze.js";
import { withSpokenLength, type Delivery } from "./core/delivery.js";
import type { Feedback } from "./core/feedback.js";
import { findPrinciple, type Principle } from "./core/principles.js";
import { aggregateSamples } from "./core/aggregate.js";
import { costOf, type TokenPrices } from "./core/cost.js";
import { sha256Hex } from "./core/hash.js";
import { describeIssues, GradeRequestSchema, MAX_STORY_ID_CHARS, requestProblem, unknownPrincipleMessage, type GradingMode } from "./core/grade-request.js";
import { assembleBarRaiser, assembleFeedback } from "./grader/assemble.js";
import { offlineBarRaise } from "./grader/offline.js";
import type { Grader, GradeOutcome, PartialGrade, Usage } from "./grader/types.js";
import type { Store } from "./store/types.js";

export { GRADING_MODES, MAX_ANSWER_CHARS, MAX_QUESTION_CHARS, MAX_SAMPLES, MAX_STORY_ID_CHARS, type GradingMode } from "./core/grade-request.js";

/** Self-consistency needs variation between samples; one sample is graded at temperature 0. */
export const SAMPLE_TEMPERATURE = 0.7;

export interface GradeInput {
  answer: string;
  principle: string;
  question?: string | null;
  /** Model calls whose scores are reduced to median + spread (1–5; offline mode always uses 1). */
  samples?: number;
  mode?: GradingMode;
  /** Continue this story as a new version; absent: the grading starts a new story. */
  storyId?: string | null;
  /** Spoken answers: the recording's delivery figures; its real length replaces the estimated one. */
  delivery?: Delivery;
}

/** Bad input with a stable code, mapped to a 4xx by the HTTP layer and to an error row by the CLI. */
export class InputError extends AppError {
  override name = "InputError";
  constructor(code: string, message: string, status: 400 | 404 | 409 | 413 | 415 = 400) {
    super(code, message, status);
  }
}

/** Progress callbacks for adapters that show grading as it happens (the web page's SSE stream). */
export interface GradeHooks {
  /** The computed figures, before the grader runs; not called on a cache hit. */
  onAnalysis?(analysis: Analysis): void | Promise<void>;
  /** The model's partial output; only called when the grader can stream. */
  onPartial?(partial: PartialGrade): void | Promise<void>;
  /** Fires when nobody waits for the result any more: the model calls are cancelled (GradingAborted). */
  signal?: AbortSignal;
  /** false: grade but store nothing (an example sent from the API reference page stays out of history). */
  save?: boolean;
  /**
   * Held around each model call and nothing else: a batch bounds its model calls in flight with it,
   * so one row's analysis and save overlap other rows' calls instead of holding a call's place.
   * The release is given the call's error when it failed (a rate limit pauses the batch first);
   * the grading goes on once the promise it may return settles.
   */
  modelSlot?: () => Promise<(failure?: unknown) => void | Promise<void>>;
}

/**
 * The part of the story bank the grading needs: is a story known. Its versions are recorded by the
 * grading store, in the transaction that stores the grading (the story store is on the same database).
 */
export interface StoryVersions {
  exists(storyId: string): Promise<boolean>;
}

/** Told what each grading did; the request log is one. Never changes the outcome. */
export interface GradingObserver {
  graded?(feedback: Feedback, input: GradeInput): void;
  failed?(err: unknown, input: GradeInput): void;
}

/** The analysis of one answer, wherever it runs (the Node server and CLI: a worker-thread pool, src/analysis/pool.ts). */
export type Analyzer = (answer: string, length: LengthOptions) => Promise<Analysis>;

/** The core's analyze() in the calling thread. */
export const analyzeInThread: Analyzer = async (answer, length) => analyze(answer, length);

export interface GradingDeps {
  store: Store;
  /** Where stories are kept; without it (an in-memory evaluation) gradings still get a story id. */
  stories?: StoryVersions;
  grader: Grader;
  length: LengthOptions;
  /** Where answers are analysed; absent: in this thread (the Worker, tests). */
  analyze?: Analyzer;
  /** Token prices for meta.cost (LLM mode); absent or null: no cost is reported. */
  prices?: TokenPrices | null;
  /** The model's replies came from OpenAI's Batch API: half price. */
  batchApi?: boolean;
  now?: () => Date;
  newId?: () => string;
  observer?: GradingObserver;
}

export function cacheKey(parts: {
  answer: string;
  principleId: string;
  question: string | null;
  model: string | null;
  promptVersion: string;
  length: LengthOptions;
  samples?: number;
  mode?: GradingMode;
  delivery?: Delivery;
}): string {
  // Standard single-sample keys keep their original shape, so existing cache entries stay valid.
  const variant = (parts.samples ?? 1) > 1 || (parts.mode ?? "standard") !== "standard" ? [parts.samples ?? 1, parts.mode ?? "standard"] : [];
  // A spoken answer's grading depends on its real length too (the model is told it).
  const spoken = parts.delivery ? [{ delivery: parts.delivery }] : [];
  return sha256Hex(JSON.stringify([parts.answer, parts.principleId, parts.question, parts.model, parts.promptVersion, parts.length, ...variant, ...spoken]));
}

/** The principle named by id or loose name, or an `unknown_principle` InputError listing the ids. */
export function requirePrinciple(idOrName: string): Principle {
  const principle = findPrinciple(idOrName);
  if (!principle) throw new InputError("unknown_principle", unknownPrincipleMessage(idOrName));
  return principle;
}

/** A request that failed its schema: a failed limit keeps its own code (answer_too_long is a 413), anything else is invalid_request. */
export function requestError(issues: readonly z.core.$ZodIssue[]): InputError {
  const problem = requestProblem(issues);
  return problem ? new InputError(problem.code, problem.message, problem.status) : new InputError("invalid_request", describeIssues(issues));
}

function checked<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw requestError(parsed.error.issues);
}

const TargetSchema = GradeRequestSchema.pick({ principle: true, question: true });

/** The principle and question, checked; spoken answers check them before paying for a transcription. */
export function validateTarget(input: Pick<GradeInput, "principle" | "question">): { question: string | null; principleId: string } {
  const target = checked(TargetSchema, input);
  return { question: target.question || null, principleId: findPrinciple(target.principle)!.id };
}

/** A request checked against the API's own schema (GradeRequestSchema), whoever sends it. */
export function validateInput(input: GradeInput): { answer: string; question: string | null; principleId: string; samples: number; mode: GradingMode; storyId: string | null } {
  const valid = checked(GradeRequestSchema, input);
  const storyId = valid.storyId?.trim() || null;
  if (storyId && storyId.length > MAX_STORY_ID_CHARS) throw storyNotFound(storyId);
  return { answer: valid.answer, question: valid.question || null, principleId: findPrinciple(valid.principle)!.id, samples: valid.samples ?? 1, mode: valid.mode ?? "standard", storyId };
}

/** The `story_not_found` error; `hint` says what to do instead. */
export function storyNotFound(storyId: string, hint = "Leave storyId out to start a new story."): InputError {
  return new InputError("story_not_found", `No story with id "${storyId.slice(0, 100)}": it may have been deleted.${hint ? ` ${hint}` : ""}`, 404);
}

function addUsage(total: Usage | null, more: Usage | null): Usage | null {
  if (!more) return total;
  const reasoningTokens = (total?.reasoningTokens ?? 0) + (more.reasoningTokens ?? 0);
  return {
    inputTokens: (total?.inputTokens ?? 0) + more.inputTokens,
    outputTokens: (total?.outputTokens ?? 0) + more.outputTokens,
    ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
  };
}

export function createGradingService(deps: GradingDeps): GradingService {
  const now = deps.now ?? (() => new Date());
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const { grader, store } = deps;
  const analyzeAnswer = deps.analyze ?? analyzeInThread;
  /** A storyId that names no stored story is refused (404 story_not_found) before anything runs. */
  const requireStory = async (storyId: string | null | undefined) => {
    if (storyId && !(await deps.stories?.exists(storyId))) throw storyNotFound(storyId);
  };

  const service = {
    grader,
    length: deps.length,
    requireStory,
    async grade(input: GradeInput, hooks: GradeHooks = {}): Promise<Feedback> {
      const { answer, question, principleId, mode, ...valid } = validateInput(input);
      const principle = findPrinciple(principleId)!;
      await requireStory(valid.storyId);
      const storyId = valid.storyId ?? newId();
      /** Every grading is stored as a new version of its story, the story first so no version is orphaned (unless the caller keeps it out of history). */
      const save = async (feedback: Feedback, key: string | null) => {
        if (hooks.save === false) return feedback;
        await store.saveGrading(feedback, key, { storyVersion: !!deps.stories });
        return feedback;
      };
      // Rules are deterministic: more than one offline sample would only repeat the same scores.
      const samples = grader.mode === "llm" ? valid.samples : 1;
      // Only model gradings are cached: they cost money and vary; offline grading is instant.
      const { delivery } = input;
      const key = grader.mode === "llm"
        ? cacheKey({ answer, principleId, question, model: grader.model, promptVersion: grader.promptVersion, length: deps.length, samples, mode, ...(delivery ? { delivery } : {}) })
        : null;
      if (key) {
        const hit = await store.findCached(key);
        if (hit) {
          const cached = { ...hit, ...(delivery ? { delivery } : {}), meta: { ...hit.meta, cached: true, latencyMs: 0 } };
          // The same text again, in its own story or with no story named, is that grading again:
          // nothing is stored twice (a batch row resumed after a crash, a double submit).
          if (!valid.storyId || valid.storyId === hit.storyId) return cached;
          // The cache saves the model call, never the identity: another story's version of the
          // same text is stored again as a new version of the requested story.
          return save({ ...cached, id: newId(), createdAt: now().toISOString(), storyId }, key);
        }
      }
      const started = performance.now();
      const typed = await analyzeAnswer(answer, deps.length);
      const analysis = delivery ? withSpokenLength(typed, delivery, deps.length) : typed;
      await hooks.onAnalysis?.(analysis);
      const request = { answer, question, principle, analysis };
      const signal = hooks.signal ? { signal: hooks.signal } : {};
      const inSlot = async <T>(call: () => Promise<T>): Promise<T> => {
        const release = await hooks.modelSlot?.();
        try {
          const result = await call();
          await release?.();
          return result;
        } catch (err) {
          await release?.(err);
          throw err;
        }
      };
      let outcomes: GradeOutcome[];
      if (samples === 1) {
        const { onPartial } = hooks;
        outcomes = [await inSlot(() => (onPartial && grader.gradeStream ? grader.gradeStream(request, onPartial, signal) : grader.grade(request, signal)))];
      } else {
        outcomes = await Promise.all(Array.from({ length: samples }, () => inSlot(() => grader.grade(request, { temperature: SAMPLE_TEMPERATURE, ...signal }))));
      }
      const aggregated = samples > 1 ? aggregateSamples(outcomes.map((o) => o.grade)) : null;
      const grade = aggregated?.grade ?? outcomes[0]!.grade;
      let usage = outcomes.reduce<Usage | null>((total, o) => addUsage(total, o.usage), null);
      // The grader's sentence labels decide the parts (the model's in LLM mode): presence, the Action
      // I-ratio, weSentences and the quantified result are computed from them by code.
      const relabelled = relabel(analysis, grade.sentences ?? []);
      const { ignored } = relabelled;
      // Relabelling recounts the length from the words; a recording's real length stands.
      const labelled = delivery ? withSpokenLength(relabelled.analysis, delivery, deps.length) : relabelled.analysis;
      const barRaise = mode === "bar-raiser" ? await inSlot(() => (grader.barRaise ?? offlineBarRaise)({ ...request, analysis: labelled }, grade, signal)) : null;
      usage = addUsage(usage, barRaise?.usage ?? null);
      const repaired = [...new Set([...outcomes.flatMap((o) => o.repaired ?? []), ...(barRaise?.repaired ?? [])])];
      let feedback = assembleFeedback({
        ...(aggregated ? { spread: aggregated.spread } : {}),
        id: newId(),
        createdAt: now().toISOString(),
        storyId,
        answer,
        question,
        principle,
        analysis: labelled,
        grade,
        ignoredLabels: ignored,
        meta: {
          mode: grader.mode,
          model: grader.model,
          promptVersion: grader.promptVersion,
          usage,
          latencyMs: Math.round(performance.now() - started),
          cached: false,
          samples,
          notice: grader.notice,
          ...(repaired.length ? { repaired } : {}),
          ...(grader.mode === "llm" ? { cost: costOf(usage, deps.prices ?? null, { batchApi: deps.batchApi ?? false }) } : {}),
        },
      });
      if (barRaise) {
        const { barRaiser, droppedQuotes } = assembleBarRaiser(feedback, labelled, barRaise.barRaiser);
        feedback = { ...feedback, barRaiser, meta: { ...feedback.meta, droppedQuotes: feedback.meta.droppedQuotes + droppedQuotes } };
      }
      if (delivery) feedback = { ...feedback, delivery };
      return save(feedback, key);
    },
  };
  const { observer } = deps;
  return {
    ...service,
    /** Every grading that returns or fails is reported to the observer (the request log), with its input. */
    async grade(input: GradeInput, hooks?: GradeHooks): Promise<Feedback> {
      if (!observer) return service.grade(input, hooks);
      try {
        const feedback = await service.grade(input, hooks);
        observer.graded?.(feedback, input);
        return feedback;
      } catch (err) {
        observer.failed?.(err, input);
        throw err;
      }
    },
    /** The same service reporting to `observer` (one request's log line), sharing everything else. */
    withObserver: (next: GradingObserver): GradingService => createGradingService({ ...deps, observer: next }),
  };
}

export interface GradingService {
  grader: Grader;
  length: LengthOptions;
  requireStory(storyId: string | null | undefined): Promise<void>;
  grade(input: GradeInput, hooks?: GradeHooks): Promise<Feedback>;
  withObserver(observer: GradingObserver): GradingService;
}
