/** The storage port. Async so that both better-sqlite3 (Node) and D1 (Workers) can implement it. */
import type { Feedback } from "../core/feedback.js";
import type { Rewrite } from "../core/rewrite.js";
import type { StoreHealth } from "./faults.js";

export interface GradingSummary {
  id: string;
  createdAt: string;
  principle: Feedback["principle"];
  question: string | null;
  overall: Feedback["overall"];
  mode: Feedback["meta"]["mode"];
}

/** Tables holding user data, children first: what "delete everything" empties. */
export const USER_TABLES = ["batch_rows", "batch_jobs", "drills", "mocks", "story_principles", "stories", "gradings"] as const;

export interface DeletedCounts {
  gradings: number;
  batchJobs: number;
}

export interface ListOptions {
  limit: number;
  /** Only gradings strictly older than this id's (keyset pagination). */
  before?: string;
}

export interface Store {
  /** `storyVersion`: also record the grading as a version of its story (feedback.storyId), in the same transaction. */
  saveGrading(feedback: Feedback, cacheKey: string | null, options?: { storyVersion?: boolean }): Promise<void>;
  getGrading(id: string): Promise<Feedback | null>;
  findCached(cacheKey: string): Promise<Feedback | null>;
  listGradings(options: ListOptions): Promise<GradingSummary[]>;
  /** Delete one grading; its text is gone from the file too (see docs/RELIABILITY.md, Data safety). */
  deleteGrading(id: string): Promise<boolean>;
  /** Optional cache of a grading's model-written rewrite, kept in the grading's row (deleted with it). */
  saveRewrite?(gradingId: string, rewrite: Rewrite): Promise<void>;
  getRewrite?(gradingId: string): Promise<Rewrite | null>;
  /** Delete every stored grading (the cache with them) and every batch job with its rows. */
  deleteAll(): Promise<DeletedCounts>;
  /** Null when a small read and write just worked, else the fault (cached for about a second). */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
