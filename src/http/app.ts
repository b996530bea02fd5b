/**
 * The Hono app factory. Everything the app needs comes in through `deps`, so the Node server, the
 * Worker and the tests build the same app with their own store and model.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps, AppEnv } from "./context.js";
import { describeIssues, errorResponse, handleError } from "./errors.js";
import { installReliability } from "./middleware/index.js";
import { docsRoutes } from "./routes/docs.js";
import { gradeRoutes } from "./routes/grade.js";
import { gradingsRoutes } from "./routes/gradings.js";
import { principlesRoutes } from "./routes/principles.js";
import { questionsRoutes } from "./routes/questions.js";
import { gradeStreamRoutes } from "./routes/grade-stream.js";
import { webRoutes } from "../web/routes.js";
import { practiceRoutes } from "../web/practice-routes.js";
import { batchesRoutes } from "./routes/batches.js";
import { gradeAudioRoutes } from "./routes/grade-audio.js";
import { rewriteRoutes } from "./routes/rewrite.js";
import { healthRoutes } from "./routes/health.js";
import { doctorRoutes } from "./routes/doctor.js";
import { storiesRoutes } from "./routes/stories.js";
import { followupsRoutes } from "./routes/followups.js";
import { MOCK_AUDIO_PATH, mocksRoutes } from "./routes/mocks.js";

/** Far above the longest answer (20,000 characters, up to 80 KB of UTF-8) plus JSON overhead. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, 400, "invalid_request", describeIssues(result.error.issues));
    },
  });

  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  // Request log, shutdown draining, secure headers, CORS, access token, rate limit, grading gate.
  installReliability(app, deps);
  const v1BodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorResponse(c, 413, "body_too_large", `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`),
  });
  // POST /v1/batches and the recording uploads have their own, larger limits (routes/batches.ts, routes/grade-audio.ts).
  const ownLimit = new Set(["/v1/batches", "/v1/grade/audio"]);
  app.use("/v1/*", (c, next) => (ownLimit.has(c.req.path) || MOCK_AUDIO_PATH.test(c.req.path) ? next() : v1BodyLimit(c, next)));

  // Browsers ask for it on every page; answer "nothing here" rather than log a 404 in the console.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.route("/", healthRoutes);
  app.route("/", principlesRoutes);
  app.route("/", gradeRoutes);
  app.route("/", gradingsRoutes);
  app.route("/", docsRoutes);
  app.route("/", questionsRoutes);
  app.route("/", gradeStreamRoutes);
  app.route("/", webRoutes);
  app.route("/", practiceRoutes);
  app.route("/", batchesRoutes);
  app.route("/", gradeAudioRoutes);
  app.route("/", rewriteRoutes);
  app.route("/", doctorRoutes);
  app.route("/", storiesRoutes);
  app.route("/", followupsRoutes);
  app.route("/", mocksRoutes);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "starcoach API",
      version: "1",
      description: "Structured, grounded feedback on STAR answers to behavioural interview questions.",
    },
  });

  app.notFound((c) => errorResponse(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
