/**
 * GET /healthz: the grader's mode and the store's health. The store answers a small read and write
 * (cached for about a second), so a damaged, full or unwritable database shows here as 503 with its
 * code instead of as "ok" while every grading fails.
 */
import { Hono } from "hono";
import type { AppEnv } from "../context.js";
import { errorBody } from "../errors.js";

export const healthRoutes = new Hono<AppEnv>().get("/healthz", async (c) => {
  const { grader } = c.var.deps.grading;
  const about = { mode: grader.mode, model: grader.model, promptVersion: grader.promptVersion };
  const fault = await c.var.deps.store.health();
  if (fault) return c.json({ status: "error", ...about, ...errorBody(fault.code, fault.message) }, 503);
  return c.json({ status: "ok", ...about });
});
