/** Follow-up drills under a grading: answer one of its follow-up questions, list the drills. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { FollowUpResultSchema } from "../../core/followup.js";
import { answerFollowUp, listDrills, requireGrading, type DrillDeps } from "../../practice/drills.js";
import type { AppEnv } from "../context.js";
import { errorDoc } from "../errors.js";
import { storyDeps } from "./stories.js";

export const FollowUpRequestSchema = z
  .object({
    question: z.string().openapi({ description: "The follow-up question answered (one of the grading's followUps, or the interviewer's own)" }),
    answer: z.string().openapi({ description: "The answer, typed or transcribed; 30–60 seconds of speech is the target" }),
    elapsedSeconds: z.number().nullable().optional().openapi({ description: "Seconds the answer took on the candidate's timer (0–3600)" }),
  })
  .openapi("FollowUpRequest");

/** Run work that calls the model under the client's rate limit and a grading slot (middleware/admission.ts). */
export async function admitted<T>(c: Context<AppEnv>, work: () => Promise<T>): Promise<T> {
  const release = await c.var.admission.admit(c);
  try {
    return await work();
  } finally {
    release();
  }
}

export function drillDeps(c: Context<AppEnv>): DrillDeps {
  const { stories, store, now } = storyDeps(c);
  const { grading } = c.var.deps;
  return { stories, store, grader: grading.grader, wordsPerMinute: grading.length.wordsPerMinute, ...(now ? { now } : {}) };
}

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });

const postRoute = createRoute({
  method: "post",
  path: "/v1/gradings/{id}/followups",
  tags: ["drills"],
  summary: "Answer a follow-up question of a grading and get it judged",
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: FollowUpRequestSchema } } } },
  responses: {
    200: { description: "The judged follow-up answer", content: { "application/json": { schema: FollowUpResultSchema } } },
    400: errorDoc("invalid_json, invalid_request, answer_empty, question_empty, question_too_long, invalid_elapsed"),
    429: errorDoc("rate_limited"),
    404: errorDoc("not_found (no such grading)"),
    413: errorDoc("answer_too_long"),
    502: errorDoc("model_output_invalid, model_unavailable, model_auth_failed"),
    503: errorDoc("model_rate_limited, server_busy, shutting_down"),
    504: errorDoc("model_timeout"),
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/v1/gradings/{id}/followups",
  tags: ["drills"],
  summary: "The follow-up drills answered for a grading, oldest first",
  request: { params: IdParam },
  responses: {
    200: { description: "Drills", content: { "application/json": { schema: z.object({ followups: z.array(FollowUpResultSchema) }) } } },
    404: errorDoc("not_found (no such grading)"),
  },
});

export const followupsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(postRoute, async (c) => {
    const deps = drillDeps(c);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    // Checked before admission, so a bad request costs the client nothing.
    await requireGrading(deps, id, body);
    return c.json(await admitted(c, () => answerFollowUp(deps, id, body)), 200);
  })
  .openapi(listRoute, async (c) => c.json({ followups: await listDrills(drillDeps(c), c.req.valid("param").id) }, 200));
