import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { FeedbackSchema } from "../../core/feedback.js";
import { GradeRequestSchema } from "../../core/grade-request.js";
import type { AppEnv } from "../context.js";
import { requestError } from "../../grading.js";
import { errorDoc, errorResponse } from "../errors.js";
import { isExampleRequest } from "./docs.js";

export { GradeRequestSchema };

const gradeRoute = createRoute({
  method: "post",
  path: "/v1/grade",
  tags: ["grading"],
  summary: "Grade one answer",
  request: { body: { required: true, content: { "application/json": { schema: GradeRequestSchema } } } },
  responses: {
    200: { description: "Feedback", content: { "application/json": { schema: FeedbackSchema } } },
    400: errorDoc("invalid_json, invalid_request, answer_empty, unknown_principle, question_too_long, invalid_samples"),
    404: errorDoc("story_not_found"),
    413: errorDoc("answer_too_long, body_too_large"),
    415: errorDoc("unsupported_media_type"),
    429: errorDoc("rate_limited (with Retry-After)"),
    502: errorDoc("model_output_invalid, model_unavailable, model_auth_failed"),
    503: errorDoc("model_rate_limited, server_busy, shutting_down (with Retry-After)"),
    504: errorDoc("model_timeout"),
  },
});

export const gradeRoutes = new OpenAPIHono<AppEnv>();
gradeRoutes.use("/v1/grade", async (c, next) => {
  if (c.req.method === "POST" && !/^application\/(.+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    return errorResponse(c, 415, "unsupported_media_type", "Send the request body as JSON with the header Content-Type: application/json.");
  }
  return next();
});
gradeRoutes.openapi(gradeRoute, async (c) => {
  const body = c.req.valid("json");
  const release = await c.var.admission.admit(c);
  try {
    // A client that hangs up cancels the model call instead of leaving it running and stored.
    const example = isExampleRequest((name) => c.req.header(name));
    const feedback = await c.var.deps.grading.grade(body, { signal: c.req.raw.signal, save: !example });
    if (example) c.header("x-starcoach-stored", "no");
    return c.json(feedback, 200);
  } finally {
    release();
  }
}, (result) => {
  // Before the app's default hook: a failed limit keeps its code (answer_too_long → 413 …).
  if (!result.success) throw requestError(result.error.issues);
});
