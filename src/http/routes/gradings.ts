import { GRADER_MODES } from "../../core/feedback.js";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { FeedbackSchema } from "../../core/feedback.js";
import type { AppEnv } from "../context.js";
import { NotFound } from "../../errors.js";
import { InputError } from "../../grading.js";
import { errorDoc } from "../errors.js";
import { busyResponse, jobsLeasedElsewhere } from "./batches.js";

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });
const notFound = errorDoc("not_found");

const SummarySchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    principle: z.object({ id: z.string(), name: z.string() }),
    question: z.string().nullable(),
    overall: FeedbackSchema.shape.overall,
    mode: z.enum(GRADER_MODES),
  })
  .openapi("GradingSummary");

const listRoute = createRoute({
  method: "get",
  path: "/v1/gradings",
  tags: ["history"],
  summary: "Past gradings, newest first",
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(20).openapi({ description: "1–200, default 20" }),
      before: z.string().max(100).optional().openapi({ description: "Return gradings older than this id (from nextBefore)" }),
    }),
  },
  responses: {
    200: {
      description: "A page of history",
      content: { "application/json": { schema: z.object({ items: z.array(SummarySchema), nextBefore: z.string().nullable() }) } },
    },
    400: errorDoc("invalid_request"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/gradings/{id}",
  tags: ["history"],
  summary: "One stored grading",
  request: { params: IdParam },
  responses: { 200: { description: "Feedback", content: { "application/json": { schema: FeedbackSchema } } }, 404: notFound },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/gradings/{id}",
  tags: ["history"],
  summary: "Delete one stored grading",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound },
});

/** The value of `confirm` that DELETE /v1/gradings needs: deleting everything is never one slip away. */
export const DELETE_ALL_CONFIRMATION = "all-my-data";

const deleteAllRoute = createRoute({
  method: "delete",
  path: "/v1/gradings",
  tags: ["history"],
  summary: "Delete everything stored: every grading (the cache with them) and every batch job with its rows",
  description: `Needs \`?confirm=${DELETE_ALL_CONFIRMATION}\`. On Node the text is also scrubbed from the SQLite file (secure_delete and a WAL checkpoint).`,
  request: { query: z.object({ confirm: z.string().max(100).optional().openapi({ description: `must be "${DELETE_ALL_CONFIRMATION}"` }) }) },
  responses: {
    200: {
      description: "Deleted; the counts of what was removed",
      content: { "application/json": { schema: z.object({ deleted: z.object({ gradings: z.number().int(), batchJobs: z.number().int() }) }) } },
    },
    400: errorDoc("confirmation_required"),
    409: errorDoc("batch_busy"),
  },
});


export const gradingsRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => {
    const { limit, before } = c.req.valid("query");
    const items = await c.var.deps.store.listGradings({ limit, ...(before ? { before } : {}) });
    return c.json({ items, nextBefore: items.length === limit ? items[items.length - 1]!.id : null }, 200);
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const feedback = await c.var.deps.store.getGrading(id);
    if (!feedback) throw new NotFound("grading", id);
    return c.json(feedback, 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await c.var.deps.store.deleteGrading(id))) throw new NotFound("grading", id);
    return c.body(null, 204);
  });

// Documented through the registry and served as a plain handler: it may answer 409 from the batch routes' helper.
gradingsRoutes.openAPIRegistry.registerPath(deleteAllRoute);
gradingsRoutes.delete("/v1/gradings", async (c) => {
  if (c.req.query("confirm") !== DELETE_ALL_CONFIRMATION) {
    throw new InputError("confirmation_required", `This deletes every stored grading and batch job. Repeat the request with ?confirm=${DELETE_ALL_CONFIRMATION}.`);
  }
  // A batch being graded here stops first, so no grading is stored after the wipe; one being
  // graded by another process (a CLI run on the same database) makes the wipe wait.
  const batches = c.var.deps.batches;
  await batches?.cancel?.();
  const busy = batches ? await jobsLeasedElsewhere(batches.store) : [];
  if (busy.length) return busyResponse(c, busy);
  return c.json({ deleted: await c.var.deps.store.deleteAll() }, 200);
});
