import type { DoctorReport } from "../grader/doctor.js";
import type { GradingService } from "../grading.js";
import type { Context } from "hono";
import type { SecurityConfig } from "../config.js";
import type { LogSink } from "./log-sink.js";
import type { Gate } from "./middleware/concurrency.js";
import type { SpokenGrading } from "../spoken.js";
import type { RewriteService } from "../rewrite.js";
import type { BatchJobs } from "../batch/jobs.js";
import type { StoryStore } from "../store/stories.js";
import type { Store } from "../store/types.js";

/** What the reliability middleware (middleware/index.ts) is given; each has a default. */
export interface ReliabilityDeps {
  /** Access, limits, CORS, logging; absent: the defaults of an empty environment, with logging off. */
  security?: SecurityConfig;
  /** The grading gate, shared with the process so shutdown can drain it; absent: one per app. */
  gate?: Gate;
  /** Where log lines go; absent: JSON lines on stdout when security.log.enabled. */
  log?: LogSink;
  /** Values that must never appear in a log line (the model API key); the access token is added. */
  secrets?: ReadonlyArray<string | null | undefined>;
}

/** Admission for a grading request (middleware/admission.ts): the rate limit, then the gate. */
export interface Admission {
  /** Admit one interactive grading: throws LimitError (429/503) or returns the slot's release. */
  admit(c: Context<AppEnv>): Promise<() => void>;
  /** Count batch rows against the client's budget as they are read; throws LimitError past it. */
  meterRows<T>(c: Context<AppEnv>, rows: AsyncIterable<T>): AsyncGenerator<T>;
}

/** What every route can reach: the dependencies given to the app factory. */
export interface AppDeps extends ReliabilityDeps {
  grading: GradingService;
  store: Store;
  /** Rewrites of graded answers (POST /v1/gradings/:id/rewrite); absent: rule-based rewrites. */
  rewrite?: RewriteService;
  /** Serves the API reference UI's static files (swagger-ui-dist); absent where none are bundled. */
  docsAsset?: (file: string) => Promise<{ body: Uint8Array<ArrayBuffer>; type: string } | null>;
  /** The endpoint check behind GET /v1/doctor (src/grader/doctor.ts, from configuration); absent: 404. */
  doctor?: () => Promise<DoctorReport>;
  /** The story bank, drills and mock interviews (src/store/stories.ts); absent: those routes answer 404. */
  stories?: StoryStore;
  /** Stories per principle for full coverage (STARCOACH_COVERAGE_TARGET, default 2). */
  coverageTarget?: number;
  /** The clock for drills and mock timings; tests pass their own to simulate time. */
  now?: () => Date;
  /** Batch jobs: where they are stored and how a stored job gets graded; absent where batches are off. */
  batches?: BatchJobs;
  /** Spoken answers (POST /v1/grade/audio); absent or unavailable: 503 transcription_unavailable. */
  spoken?: SpokenGrading;
}


/**
 * `admission` is set by the reliability middleware (middleware/admission.ts) for every request;
 * `cspStyleSources` by a route that serves an inline stylesheet it vouches for (by hash).
 */
export type AppEnv = { Variables: { deps: AppDeps; admission: Admission; cspStyleSources?: readonly string[] } };
