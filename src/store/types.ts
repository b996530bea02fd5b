/** The storage port. Async so that both better-sqlite3 (Node) and D1 (Workers) can implement it. */
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";

export interface GradingSummary {
  id: string;
  createdAt: string;
  principle: Feedback["principle"];
  question: string | null;
  overall: Feedback["overall"];
  mode: Feedback["meta"]["mode"];
}

export interface ListOptions {
  limit: number;
  /** Only gradings strictly older than this id's (keyset pagination). */
  before?: string;
}

export interface Store {
  saveGrading(feedback: Feedback, cacheKey: string | null): Promise<void>;
  getGrading(id: string): Promise<Feedback | null>;
  findCached(cacheKey: string): Promise<Feedback | null>;
  listGradings(options: ListOptions): Promise<GradingSummary[]>;
  deleteGrading(id: string): Promise<boolean>;
  /** Optional cache of a grading's model-written rewrite, kept in the grading's row (deleted with it). */
  saveRewrite?(gradingId: string, rewrite: Rewrite): Promise<void>;
  getRewrite?(gradingId: string): Promise<Rewrite | null>;
  close(): Promise<void>;
}
