/**
 * Reliability and security middleware, installed by createApp right after the deps are set.
 * Order (outermost first): request log → in-flight tracking / shutdown → secure headers → Host check → CORS →
 * access token → (the app's body limit). The routes that grade call `c.var.admission` themselves
 * (per-client rate limit, then a slot of the grading gate), after checking the request.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { securityDefaults, type SecurityConfig } from "../../config.js";
import type { AppDeps, AppEnv } from "../context.js";
import { createAuth } from "./auth.js";
import { createAdmission } from "./admission.js";
import { createGate, trackInflight, type Gate } from "./concurrency.js";
import { corsFor, secureHeaders } from "./headers.js";
import { hostCheck } from "./host.js";
import { jsonLineSink, requestLog, type LogSink } from "./logging.js";

export { createGate, type Gate } from "./concurrency.js";
export { jsonLineSink, redactConsole, type LogSink, type LogEntry } from "./logging.js";

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
  app.use(secureHeaders(security.trustProxy));
  const host = hostCheck(security.allowedHosts);
  if (host) app.use(host);
  const cors = corsFor(security.corsOrigins);
  if (cors) app.use("/v1/*", cors);
  if (security.apiToken) {
    const auth = createAuth({ token: security.apiToken, trustProxy: security.trustProxy });
    app.use(auth.middleware);
    app.route("/", auth.routes);
  }
  const admission = createAdmission(security, gate);
  app.use(async (c, next) => {
    c.set("admission", admission);
    await next();
  });
  return { gate, security };
}
