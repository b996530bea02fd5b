/**
 * The rewrite use case: a stronger version of a graded answer that invents nothing. The rewriter
 * (model or rules) proposes sentences; the guard (src/core/rewrite-guard.ts) keeps only what the
 * original supports; the result is measured and, for model rewrites, cached with the grading.
 */
import type { LengthOptions } from "./core/analyze.js";
import { speakingSeconds } from "./core/analyze.js";
import type { Feedback } from "./core/feedback.js";
import { findPrinciple } from "./core/principles.js";
import { joinSentences, type Rewrite } from "./core/rewrite.js";
import { guardRewrite } from "./core/rewrite-guard.js";
import { rewriteSource } from "./core/rewrite-source.js";
import { STAR_PARTS } from "./core/star-split.js";
import { countTokens } from "./core/tokens.js";
import type { Rewriter } from "./grader/rewriter.js";
import { InputError } from "./grading.js";
import type { Store } from "./store/types.js";

export interface RewriteDeps {
  store: Store;
  rewriter: Rewriter;
  length: LengthOptions;
}

const HYPOTHETICAL_NOTE = "Your answer tells what you would do rather than one time it happened; a rewrite can only reorder it. Tell one real example for the strongest version.";

export function createRewriteService(deps: RewriteDeps) {
  const { rewriter, store, length } = deps;

  /** Rewrite a grading's answer (no store access). */
  async function rewriteFeedback(feedback: Feedback): Promise<Rewrite> {
    const started = performance.now();
    const principle = findPrinciple(feedback.principle.id);
    if (!principle) throw new InputError("unknown_principle", `The grading names an unknown principle "${feedback.principle.id}".`);
    const source = rewriteSource(feedback);
    const proposal = await rewriter.propose({ feedback, source, principle, length });
    const guarded = guardRewrite(source, proposal.sentences);
    // STAR order is part of the promise, whatever order the model wrote in (stable within a part).
    const sentences = [...guarded.sentences].sort((a, b) => STAR_PARTS.indexOf(a.part) - STAR_PARTS.indexOf(b.part));
    const text = joinSentences(sentences);
    const words = countTokens(text).words;
    const notes = [rewriter.notice, ...proposal.notes, feedback.metrics.hypothetical ? HYPOTHETICAL_NOTE : null].filter((n): n is string => Boolean(n));
    return {
      gradingId: feedback.id,
      text,
      sentences,
      placeholders: guarded.placeholders,
      dropped: guarded.dropped,
      length: { words, speakingSeconds: speakingSeconds(words, length.wordsPerMinute), targetSeconds: { min: length.minSeconds, max: length.maxSeconds } },
      meta: {
        mode: rewriter.mode,
        model: rewriter.model,
        promptVersion: rewriter.promptVersion,
        usage: proposal.usage,
        latencyMs: Math.round(performance.now() - started),
        cached: false,
        notice: notes.length ? notes.join(" ") : null,
        figuresReplaced: guarded.figuresReplaced,
        ownershipReplaced: guarded.ownershipReplaced,
        droppedReasons: guarded.droppedReasons,
      },
    };
  }

  const fresh = (r: Rewrite) => r.meta.mode === rewriter.mode && r.meta.model === rewriter.model && r.meta.promptVersion === rewriter.promptVersion;

  /** What a page can show without calling a model: the rules' rewrite at once, a model's only from the cache. */
  async function readyRewrite(feedback: Feedback): Promise<Rewrite | null> {
    if (rewriter.mode === "offline") return rewriteFeedback(feedback);
    const hit = await store.getRewrite?.(feedback.id);
    return hit && fresh(hit) ? { ...hit, meta: { ...hit.meta, cached: true } } : null;
  }

  /**
   * Rewrite a stored grading. Model rewrites are cached in the grading's row (deleted with it): they
   * cost money and vary; the rules' are instant and not stored.
   */
  async function rewriteGrading(feedback: Feedback): Promise<Rewrite> {
    const ready = await readyRewrite(feedback);
    if (ready) return ready;
    const rewrite = await rewriteFeedback(feedback);
    await store.saveRewrite?.(feedback.id, rewrite);
    return rewrite;
  }

  return {
    rewriter,
    rewriteFeedback,
    rewriteGrading,
    readyRewrite,
    /** Rewrite grading `id`: 404 not_found when there is no such grading. */
    async rewrite(id: string): Promise<Rewrite> {
      const feedback = await store.getGrading(id);
      if (!feedback) throw new InputError("not_found", `No grading with id "${id}".`, 404);
      return rewriteGrading(feedback);
    },
  };
}

export type RewriteService = ReturnType<typeof createRewriteService>;
