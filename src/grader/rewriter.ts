/** What a rewriter is: given a graded answer, propose a stronger version (model or rules); the guard checks it. */
import type { LengthOptions } from "../core/analyze.js";
import type { Feedback, GraderMode } from "../core/feedback.js";
import type { Principle } from "../core/principles.js";
import type { ProposedSentence } from "../core/rewrite.js";
import type { RewriteSource } from "../core/rewrite-source.js";
import type { Usage } from "./types.js";

export interface RewriteRequest {
  feedback: Feedback;
  source: RewriteSource;
  principle: Principle;
  length: LengthOptions;
}

export interface RewriteProposal {
  sentences: ProposedSentence[];
  usage: Usage | null;
  /** Plain-language notes about this proposal (e.g. sentences left out to fit the time). */
  notes: string[];
}

export interface Rewriter {
  readonly mode: GraderMode;
  readonly model: string | null;
  readonly promptVersion: string;
  /** Shown with every rewrite of this rewriter (how it was made, how to get the other kind). */
  readonly notice: string | null;
  propose(request: RewriteRequest): Promise<RewriteProposal>;
  /** Optional: the same proposal, handing over each sentence as soon as it is complete. */
  proposeStream?(request: RewriteRequest, onSentence: (sentence: ProposedSentence) => void | Promise<void>): Promise<RewriteProposal>;
}

/** Words that fit the time target at the configured speaking rate (300 at 150 words/min and 120 s). */
export function targetWords(length: LengthOptions): number {
  return Math.floor((length.maxSeconds * length.wordsPerMinute) / 60);
}
