/**
 * Structured request logs: one JSON line per request with request id, method, route, status,
 * latency, and for gradings the mode, model, token usage and cache hit. The answer text is never
 * logged unless STARCOACH_LOG_ANSWERS=1 (then it is, for debugging on your own machine); its length
 * always is. Every line goes through a redactor that removes the configured secrets (the model API
 * key, the access token), so even a provider error that echoes the key cannot leak it to the log.
 */
import type { Context, MiddlewareHandler } from "hono";
import { errorInfo } from "../../errors.js";
import type { GradeInput } from "../../grading.js";
import type { AppEnv } from "../context.js";
import type { LogEntry, LogSink } from "../log-sink.js";
import { whenResponseDone } from "./util.js";

export const REQUEST_ID_HEADER = "x-request-id";
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

interface GradeRecord {
  mode?: string;
  model?: string | null;
  tokens?: { input: number; output: number } | null;
  cached?: boolean;
  principle?: string;
  answerChars?: number;
  answer?: string;
  gradingId?: string;
  errorCode?: string;
}

async function errorCodeOf(res: Response): Promise<string | undefined> {
  if (res.status < 400 || !(res.headers.get("content-type") ?? "").includes("json")) return undefined;
  try {
    const body = (await res.clone().json()) as { error?: { code?: unknown } };
    return typeof body?.error?.code === "string" ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

export function requestLog(sink: LogSink | null, options: { answers: boolean }): MiddlewareHandler<AppEnv> {
  return async (c: Context<AppEnv>, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.header(REQUEST_ID_HEADER, requestId);
    if (!sink) return next();

    const started = performance.now();
    // This request's view of the grading service reports what the grading did, for the log line.
    const record: GradeRecord = {};
    const seen = (input: GradeInput) => {
      record.answerChars = typeof input.answer === "string" ? input.answer.length : 0;
      if (options.answers) record.answer = input.answer;
    };
    c.set("deps", {
      ...c.var.deps,
      grading: c.var.deps.grading.withObserver({
        graded(feedback, input) {
          seen(input);
          record.mode = feedback.meta.mode;
          record.model = feedback.meta.model;
          record.cached = feedback.meta.cached;
          record.principle = feedback.principle.id;
          record.gradingId = feedback.id;
          const usage = feedback.meta.usage as { inputTokens?: number; outputTokens?: number } | null;
          record.tokens = usage ? { input: usage.inputTokens ?? 0, output: usage.outputTokens ?? 0 } : null;
        },
        failed(err, input) {
          seen(input);
          record.errorCode = errorInfo(err).code;
        },
      }),
    });
    await next();
    const route = c.req.routePath;
    const errorCode = record.errorCode ?? (await errorCodeOf(c.res));
    whenResponseDone(c, () => {
      const entry: LogEntry = {
        time: new Date().toISOString(),
        level: c.res.status >= 500 ? "error" : c.res.status >= 400 ? "warn" : "info",
        msg: "request",
        requestId,
        method: c.req.method,
        route: route && !route.includes("*") ? route : c.req.path,
        status: c.res.status,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
      };
      if (errorCode) entry.errorCode = errorCode;
      if (record.answerChars !== undefined) Object.assign(entry, { ...record, errorCode: record.errorCode ?? errorCode });
      try {
        sink(entry);
      } catch {
        // a broken log sink must never break a request
      }
    });
  };
}
