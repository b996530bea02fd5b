/**
 * One error vocabulary for every layer. A failure the app expects (bad input, a model or storage
 * fault, a limit, a missing record) is an AppError with a stable code, the HTTP status it maps to
 * and, when waiting helps, the seconds to wait. Adapters turn any error into { code, message }
 * through errorInfo, so the mapping is written once; anything else is a bug, reported without its
 * internals. No node:* imports: the Worker uses this too.
 */

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Seconds after which trying again may work (Retry-After). */
    readonly retryAfter?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Records a NotFound can name, with their codes (`not_found` for a grading, as the API always said). */
const NOT_FOUND = {
  grading: { code: "not_found", what: "grading with id" },
  batch: { code: "batch_not_found", what: "batch job" },
  story: { code: "story_not_found", what: "story with id" },
} as const;

/** No record with this id: a grading, a batch job, a story. */
export class NotFound extends AppError {
  override name = "NotFound";
  constructor(
    readonly kind: keyof typeof NOT_FOUND,
    id: string,
  ) {
    super(NOT_FOUND[kind].code, `No ${NOT_FOUND[kind].what} "${id.slice(0, 80)}".`, 404);
  }
}

/** A request turned away by a limit (rate, queue, budget): 429 or 503, with the seconds to wait. */
export class LimitError extends AppError {
  override name = "LimitError";
  constructor(status: 429 | 503, code: string, message: string, retryAfter: number) {
    super(code, message, status, retryAfter);
  }
}

export interface ErrorInfo {
  status: number;
  code: string;
  message: string;
  retryAfter?: number;
}

export const INTERNAL_MESSAGE = "Something went wrong on our side; the request was not completed.";

/**
 * What a client is told about `err`: an AppError as it is; anything else as internal_error with
 * `internalMessage` (the adapter says what was not done), never the error's own text.
 */
export function errorInfo(err: unknown, internalMessage: string = INTERNAL_MESSAGE): ErrorInfo {
  if (err instanceof AppError) {
    return { status: err.status, code: err.code, message: err.message, ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}) };
  }
  return { status: 500, code: "internal_error", message: internalMessage };
}

/** True for a failure the app expects (an AppError); adapters log the others as bugs. */
export const isAppError = (err: unknown): err is AppError => err instanceof AppError;

/**
 * { code, message } kept with a record (a failed batch row): as errorInfo, except that an
 * unexpected error keeps its own text, which the job's owner reads to find the cause.
 */
export function recordedError(err: unknown): { code: string; message: string } {
  const { code, message } = errorInfo(err, err instanceof Error ? err.message : String(err));
  return { code, message };
}
