/**
 * GET /v1/doctor: the same check as `starcoach doctor` (src/grader/doctor.ts), as JSON — linked
 * from the page's mode badge. It calls the model, so it answers only to this machine (a loopback
 * client) or, when STARCOACH_API_TOKEN is set, to whoever sends the token (checked by the auth
 * middleware before this route). The report never holds the key; it is redacted once more anyway.
 */
import { GRADER_MODES } from "../../core/feedback.js";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { securityDefaults } from "../../config.js";
import type { DoctorReport } from "../../grader/doctor.js";
import type { AppEnv } from "../context.js";
import { errorDoc, errorResponse } from "../errors.js";
import { clientKey, redactor } from "../middleware/util.js";

const CheckSchema = z.object({
  id: z.enum(["models", "structured", "transcription"]),
  status: z.enum(["ok", "warn", "fail", "skip"]),
  summary: z.string().describe("What was found, in one sentence"),
  fix: z.string().optional().describe("What to change"),
  latencyMs: z.number().int().optional(),
});

const DoctorReportSchema = z
  .object({
    ok: z.boolean().describe("No check failed"),
    mode: z.enum(GRADER_MODES),
    baseURL: z.string().nullable(),
    model: z.string().nullable(),
    structuredMode: z.enum(["json_schema", "json_object", "tool"]).nullable(),
    checks: z.array(CheckSchema),
  })
  .openapi("DoctorReport");

const doctorRoute = createRoute({
  method: "get",
  path: "/v1/doctor",
  tags: ["service"],
  summary: "Check the model endpoint (as `starcoach doctor`)",
  description: "Probes /models, a tiny structured-output call and the transcription endpoint. Loopback clients only, or any client with the API token when STARCOACH_API_TOKEN is set.",
  responses: {
    200: { description: "The report (ok: false when a check failed)", content: { "application/json": { schema: DoctorReportSchema } } },
    403: errorDoc("doctor_local_only: not a loopback client, and no API token is configured"),
    404: errorDoc("not_found: no doctor in this runtime"),
  },
});

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

function allowed(c: Context<AppEnv>): boolean {
  const security = c.var.deps.security ?? securityDefaults();
  // With a token, the auth middleware has already let only its holders through.
  return security.apiToken !== null || LOOPBACK.test(clientKey(c, security.trustProxy));
}

export const doctorRoutes = new OpenAPIHono<AppEnv>();
doctorRoutes.openAPIRegistry.registerPath(doctorRoute);

// Concurrent requests (a double click) share one run rather than probing the model twice.
const running = new WeakMap<() => Promise<DoctorReport>, Promise<DoctorReport>>();

doctorRoutes.get("/v1/doctor", async (c) => {
  const { doctor, secrets, security } = c.var.deps;
  if (!allowed(c)) {
    return errorResponse(c, 403, "doctor_local_only", "GET /v1/doctor answers only on this machine (a loopback client), or with STARCOACH_API_TOKEN set and sent as Authorization: Bearer <token>.");
  }
  if (!doctor) return errorResponse(c, 404, "not_found", "The endpoint check is not available in this runtime.");
  let run = running.get(doctor);
  if (!run) {
    run = doctor().finally(() => running.delete(doctor));
    running.set(doctor, run);
  }
  const report = await run;
  const redact = redactor([...(secrets ?? []), security?.apiToken]);
  return c.body(redact(JSON.stringify(report)), 200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
});
