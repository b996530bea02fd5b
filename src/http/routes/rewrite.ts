/**
 * POST /v1/gradings/:id/rewrite: a stronger version of a graded answer, checked to invent nothing
 * (every figure and name from the answer, every sentence citing the sentences it restates, gaps as
 * [bracketed placeholders]). Model rewrites are cached with the grading; 404 for an unknown id.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { RewriteSchema } from "../../core/rewrite.js";
import { createOfflineRewriter } from "../../grader/rewrite-offline.js";
import { createRewriteService, type RewriteService } from "../../rewrite.js";
import type { AppDeps, AppEnv } from "../context.js";
import { errorDoc } from "../errors.js";

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });

const rewriteRoute = createRoute({
  method: "post",
  path: "/v1/gradings/{id}/rewrite",
  tags: ["history"],
  summary: "A stronger version of the graded answer that invents nothing",
  description:
    "Restructures the candidate's own answer (Situation, Task, Action, Result; own actions in the first person; ends on the result; fits the time target). " +
    "Checked by code: every figure and name occurs in the original, each sentence lists the original sentences it comes `from`, gaps are [bracketed placeholders] listed in `placeholders`; " +
    "a proposed sentence that breaks these rules is dropped (`dropped`) or its figure becomes a placeholder. `meta.mode` says whether a model or the rules wrote it.",
  request: { params: IdParam },
  responses: {
    200: { description: "The rewrite", content: { "application/json": { schema: RewriteSchema } } },
    404: errorDoc("not_found"),
    429: errorDoc("rate_limited"),
    502: errorDoc("model_output_invalid, model_unavailable, model_auth_failed"),
    503: errorDoc("model_rate_limited, server_busy"),
    504: errorDoc("model_timeout"),
  },
});

const offlineFallback = new WeakMap<AppDeps, RewriteService>();

/** The app's rewrite service; an app built without one rewrites by the rules. */
export function rewriteService(deps: AppDeps): RewriteService {
  if (deps.rewrite) return deps.rewrite;
  let service = offlineFallback.get(deps);
  if (!service) {
    service = createRewriteService({ store: deps.store, rewriter: createOfflineRewriter(), length: deps.grading.length });
    offlineFallback.set(deps, service);
  }
  return service;
}

export const rewriteRoutes = new OpenAPIHono<AppEnv>().openapi(rewriteRoute, async (c) => {
  const { id } = c.req.valid("param");
  // A model rewrite is a model call: the same per-client limit and grading slot as a grading.
  const release = await c.var.admission.admit(c);
  try {
    return c.json(await rewriteService(c.var.deps).rewrite(id), 200);
  } finally {
    release();
  }
});
