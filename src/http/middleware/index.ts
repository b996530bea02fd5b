/**
 * Reliability and security middleware, installed by createApp right after the deps are set.
 * Order (outermost first): request log → in-flight tracking / shutdown → secure headers → CORS →
 * access token → (the app's body limit) → per-client rate limit and grading slot on the routes that grade.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { securityDefaults, type SecurityConfig } from "../../config.js";
import type { AppDeps, AppEnv } from "../context.js";
import { createAuth } from "./auth.js";
import { createGate, gradingSlot, trackInflight, type Gate } from "./concurrency.js";
import { corsFor, secureHeaders } from "./headers.js";
import { jsonLineSink, requestLog, type LogSink } from "./logging.js";
import { createRateLimiter, rateLimit } from "./rate-limit.js";

export { createGate, type Gate } from "./concurrency.js";
export { jsonLineSink, redactConsole, type LogSink, type LogEntry } from "./logging.js";

/** The routes that run a grading (and so a model call): rate-limited per client and gated. */
export const GRADING_ROUTES = [
  "/v1/grade",
  "/v1/grade/stream",
  "/grade",
  // Follow-up drills and mock interview answers call the model too (API and pages).
  "/v1/gradings/:id/followups",
  "/v1/mocks/:id/answers",
  "/v1/mocks/:id/answers/:index/followup",
  "/result/:id/followups",
  "/mock/:id/answers",
  "/mock/:id/answers/:index/followup",
] as const;

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

export function installReliability(app: OpenAPIHono<AppEnv>, deps: AppDeps): { gate: Gate; security: SecurityConfig } {
  const security = deps.security ?? { ...securityDefaults(), log: { enabled: false, answers: false } };
  const gate = deps.gate ?? createGate(security);
  const secrets = [...(deps.secrets ?? []), security.apiToken];
  const sink = deps.log ?? (security.log.enabled ? jsonLineSink(secrets) : null);

  app.use(requestLog(sink, { answers: security.log.answers }));
  app.use(trackInflight(gate));
  app.use(secureHeaders());
  const cors = corsFor(security.corsOrigins);
  if (cors) app.use("/v1/*", cors);
  if (security.apiToken) {
    const auth = createAuth({ token: security.apiToken, trustProxy: security.trustProxy });
    app.use(auth.middleware);
    app.route("/", auth.routes);
  }
  if (security.rateLimitPerMinute > 0) {
    const limiter = createRateLimiter({ perMinute: security.rateLimitPerMinute });
    app.on("POST", [...GRADING_ROUTES], rateLimit(limiter, { trustProxy: security.trustProxy, perMinute: security.rateLimitPerMinute }));
  }
  app.on("POST", [...GRADING_ROUTES], gradingSlot(gate));
  return { gate, security };
}
