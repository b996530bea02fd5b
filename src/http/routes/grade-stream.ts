/**
 * POST /v1/grade/stream: the same grading as /v1/grade, as Server-Sent Events. With a model:
 * `analysis` (the computed figures: length, I/we, segments) at once, then `partial` (the model's
 * output so far), then `feedback` (the stored Feedback, identical to /v1/grade's body). Offline (or a
 * cache hit): just `feedback`. Bad input is rejected before the stream starts, with the usual
 * JSON error; a failure during the stream is an `error` event carrying { error: { code, message } }.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { computedFigures } from "../../grader/assemble.js";
import { errorInfo, isAppError } from "../../errors.js";
import { GradingAborted, type PartialGrade } from "../../grader/types.js";
import { requestError, validateInput } from "../../grading.js";
import { StoreError } from "../../store/faults.js";
import type { AppEnv } from "../context.js";
import { isExampleRequest } from "./docs.js";
import { errorDoc, errorBody, errorResponse } from "../errors.js";
import { GradeRequestSchema } from "../../core/grade-request.js";

/** Partial output arrives per token; a few updates a second is all a reader can follow. */
const PARTIAL_INTERVAL_MS = 80;

/** The `error` event's body for a failure after the stream started. */
export function streamErrorBody(err: unknown) {
  if (err instanceof StoreError) console.error(`[starcoach] storage fault on the grading stream: ${err.detail}`);
  else if (!isAppError(err)) console.error("[starcoach] streamed grading failed:", err);
  const { code, message } = errorInfo(err, "Something went wrong on our side; the grading was not completed.");
  return errorBody(code, message);
}

const streamRoute = createRoute({
  method: "post",
  path: "/v1/grade/stream",
  tags: ["grading"],
  summary: "Grade one answer, streamed as Server-Sent Events",
  description: "Events: `analysis` (computed figures, at once), `partial` (model output so far), `feedback` (the final Feedback, as from /v1/grade), or `error` ({error:{code,message}}).",
  request: { body: { required: true, content: { "application/json": { schema: GradeRequestSchema } } } },
  responses: {
    200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } },
    400: errorDoc("Bad input, as for /v1/grade"),
    415: errorDoc("unsupported_media_type"),
    429: errorDoc("rate_limited (with Retry-After)"),
    503: errorDoc("server_busy, shutting_down (with Retry-After)"),
  },
});

// Documented through the registry; served as a plain handler because its body is a stream.
export const gradeStreamRoutes = new OpenAPIHono<AppEnv>();
gradeStreamRoutes.openAPIRegistry.registerPath(streamRoute);
gradeStreamRoutes.post("/v1/grade/stream", async (c) => {
  if (!/^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    return errorResponse(c, 415, "unsupported_media_type", "Send the request body as JSON with the header Content-Type: application/json.");
  }
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    return errorResponse(c, 400, "invalid_json", "The request body is not valid JSON.");
  }
  const parsed = GradeRequestSchema.safeParse(json);
  if (!parsed.success) throw requestError(parsed.error.issues);
  // Both throw InputError → the app's JSON error, before any event is sent.
  validateInput(parsed.data);
  await c.var.deps.grading.requireStory(parsed.data.storyId);
  // 429/503 as JSON before the stream starts; the slot is held until the grading itself has ended.
  const release = await c.var.admission.admit(c);

  const { grading } = c.var.deps;
  const canStream = Boolean(grading.grader.gradeStream);
  // The request's signal fires when the client disconnects: the model call is cancelled with it.
  const signal = c.req.raw.signal;
  const save = !isExampleRequest((name) => c.req.header(name)); // "Try it out" on /docs: not stored
  if (!save) c.header("x-starcoach-stored", "no");
  return streamSSE(c, async (stream) => {
    let lastPartial = 0;
    let pending: PartialGrade | null = null;
    const sendPartial = async (partial: PartialGrade) => {
      pending = partial;
      if (performance.now() - lastPartial < PARTIAL_INTERVAL_MS) return;
      lastPartial = performance.now();
      pending = null;
      await stream.writeSSE({ event: "partial", data: JSON.stringify(partial) });
    };
    try {
      const feedback = await grading.grade(
        parsed.data,
        canStream
          ? {
              signal,
              save,
              onAnalysis: (analysis) => stream.writeSSE({ event: "analysis", data: JSON.stringify(computedFigures(analysis)) }),
              onPartial: sendPartial,
            }
          : { signal, save },
      );
      if (pending) await stream.writeSSE({ event: "partial", data: JSON.stringify(pending) });
      await stream.writeSSE({ event: "feedback", data: JSON.stringify(feedback), id: feedback.id });
    } catch (err) {
      if (!(err instanceof GradingAborted)) await stream.writeSSE({ event: "error", data: JSON.stringify(streamErrorBody(err)) });
    } finally {
      release();
    }
  });
});
