/** What a grader is: given the answer and its analysis, produce part grades (model or rules). */
import { AppError } from "../errors.js";
import type { DeepPartial } from "ai";
import type { Analysis } from "../core/analyze.js";
import type { ModelBarRaiser } from "../core/bar-raiser.js";
import type { Contradiction } from "../core/consistency.js";
import type { Feedback, GraderMode, ModelGrade } from "../core/feedback.js";
import type { ModelFollowUp } from "../core/followup.js";
import type { Principle } from "../core/principles.js";
import type { Repair } from "./repair.js";

/** How a structured answer is asked for: `auto` tries json_schema, then json_object, then tool calling. */
export const STRUCTURED_MODES = ["json_schema", "json_object", "tool"] as const;
export type StructuredMode = (typeof STRUCTURED_MODES)[number];
export type StructuredSetting = "auto" | StructuredMode;
/** Sent as `reasoning_effort` to servers and models that take it. */
export const REASONING_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh"] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

export interface GradeRequest {
  answer: string;
  question: string | null;
  principle: Principle;
  analysis: Analysis;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Of the output tokens, those spent reasoning, when the provider reports them. */
  reasoningTokens?: number;
}

export interface GradeOutcome {
  grade: ModelGrade;
  usage: Usage | null;
  /** What had to be cut from the model's reply to reach its JSON (repair.ts); absent or empty: nothing. */
  repaired?: Repair[];
}

export interface GradeOptions {
  /** Sampling temperature; 0 (the default) for one sample, higher for self-consistency samples. */
  temperature?: number;
  /** Cancels the model call (the client went away); the grader then throws GradingAborted. */
  signal?: AbortSignal;
}

export interface BarRaiseOutcome {
  barRaiser: ModelBarRaiser;
  usage: Usage | null;
  repaired?: Repair[];
}

/** A follow-up drill to judge: the graded story, the follow-up question and the candidate's answer to it. */
export interface FollowUpRequest {
  story: Feedback;
  principle: Principle;
  question: string;
  answer: string;
  analysis: Analysis;
  /** Conflicts with the story found by code (core/consistency.ts), shown to the model to confirm. */
  computed: Contradiction[];
}

export interface FollowUpOutcome {
  judgement: ModelFollowUp;
  usage: Usage | null;
  promptVersion: string;
}

export interface Grader {
  readonly mode: GraderMode;
  readonly model: string | null;
  readonly promptVersion: string;
  /** A plain-language note shown with every result of this grader (e.g. how to enable the LLM). */
  readonly notice: string | null;
  grade(request: GradeRequest, options?: GradeOptions): Promise<GradeOutcome>;
  /** The stricter bar-raiser pass over an answer already graded (`firstPass`); rule-based when absent. */
  barRaise?(request: GradeRequest, firstPass: ModelGrade, options?: GradeOptions): Promise<BarRaiseOutcome>;
  /** Judge a follow-up drill answer; rule-based when absent (src/grader/followup.ts). */
  followUp?(request: FollowUpRequest): Promise<FollowUpOutcome>;
  /** Optional: the same grading, reporting the model's partial output as it streams (llm-stream.ts). */
  gradeStream?(request: GradeRequest, onPartial: (partial: PartialGrade) => void | Promise<void>, options?: GradeOptions): Promise<GradeOutcome>;
}

/** A model grading still being written: any field may be missing or cut short. */
export type PartialGrade = DeepPartial<ModelGrade>;

/** A model failure with a stable code; the HTTP layer maps the status, the CLI prints the message. */
export class ModelError extends AppError {
  override name = "ModelError";
  constructor(
    override readonly code: "model_output_invalid" | "model_timeout" | "model_rate_limited" | "model_auth_failed" | "model_unavailable",
    override readonly status: 502 | 503 | 504,
    message: string,
    retryAfter?: number,
    /** The SDK's error, for diagnostics (the doctor); never shown to a client as such. */
    options?: { cause?: unknown },
  ) {
    super(code, message, status, retryAfter, options);
  }
}

/** The caller went away (its AbortSignal fired) and the model call was cancelled; nobody waits for a result. */
export class GradingAborted extends AppError {
  override name = "GradingAborted";
  constructor() {
    // 499: nginx's "client closed request"; nobody reads the answer, the logs do.
    super("client_closed", "The client closed the connection; the grading was cancelled and nothing was stored.", 499);
  }
}
