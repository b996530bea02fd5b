import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { questionsFor } from "../../core/questions.js";
import { requirePrinciple } from "../../grading.js";
import type { AppEnv } from "../context.js";
import { errorDoc } from "../errors.js";

const QuestionSchema = z
  .object({
    id: z.string(),
    text: z.string(),
    principles: z.array(z.string()).describe("Ids of the principles this question probes"),
    source: z.string(),
  })
  .openapi("Question");

const listQuestions = createRoute({
  method: "get",
  path: "/v1/questions",
  tags: ["principles"],
  summary: "The question bank, optionally only the questions for one principle",
  request: {
    query: z.object({
      principle: z.string().max(100).optional().openapi({ description: "Principle id or name, case- and punctuation-insensitive", example: "ownership" }),
    }),
  },
  responses: {
    200: { description: "Questions", content: { "application/json": { schema: z.array(QuestionSchema) } } },
    400: errorDoc("invalid_request, unknown_principle"),
  },
});

export const questionsRoutes = new OpenAPIHono<AppEnv>().openapi(listQuestions, (c) => {
  const { principle } = c.req.valid("query");
  return c.json(questionsFor(principle ? requirePrinciple(principle).id : undefined), 200);
});
