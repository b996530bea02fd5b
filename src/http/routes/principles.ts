import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { PRINCIPLES } from "../../core/principles.js";
import type { AppEnv } from "../context.js";

const PrincipleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    summary: z.string(),
    description: z.string(),
    strongSignals: z.array(z.string()),
    weakSignals: z.array(z.string()),
  })
  .openapi("Principle");

const listPrinciples = createRoute({
  method: "get",
  path: "/v1/principles",
  tags: ["principles"],
  summary: "The 16 Leadership Principles",
  responses: { 200: { description: "All principles", content: { "application/json": { schema: z.array(PrincipleSchema) } } } },
});

export const principlesRoutes = new OpenAPIHono<AppEnv>().openapi(listPrinciples, (c) =>
  c.json(PRINCIPLES.map(({ id, name, summary, description, strongSignals, weakSignals }) => ({ id, name, summary, description, strongSignals, weakSignals }))),
);
