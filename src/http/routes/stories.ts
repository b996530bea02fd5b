/** The story bank: stories (list, read, edit, delete), coverage of the 16 principles, Markdown export. */
import { GRADER_MODES } from "../../core/feedback.js";
import { BANDS } from "../../core/band.js";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { TITLE_MAX_CHARS } from "../../practice/bank.js";
import { CoverageSchema, StorySummarySchema } from "../../practice/bank-schema.js";
import { deleteStory, exportMarkdown, getStory, listStories, storyCoverage, toSummary, updateStory, type StoryDeps } from "../../practice/stories.js";
import { InputError } from "../../grading.js";
import type { AppEnv } from "../context.js";
import { errorDoc } from "../errors.js";

const StoryDetailSchema = StorySummarySchema.extend({
  versionList: z.array(
    z.object({
      gradingId: z.string(),
      version: z.number().int().describe("1 for the first version"),
      createdAt: z.string(),
      principle: z.object({ id: z.string(), name: z.string() }),
      question: z.string().nullable(),
      score: z.number().int(),
      band: z.enum(BANDS),
      mode: z.enum(GRADER_MODES),
    }),
  ),
  trend: z.array(z.number().int()).describe("Overall scores, oldest version first"),
}).openapi("Story");

const StoryChangeSchema = z
  .object({
    title: z.string().nullable().optional().openapi({ description: `1–${TITLE_MAX_CHARS} characters; null restores the default title` }),
    principles: z.array(z.string().max(100)).max(16).optional().openapi({ description: "The principle ids the story serves (replaces the list)" }),
  })
  .strict()
  .refine((c) => c.title !== undefined || c.principles !== undefined, { message: "send title and/or principles" })
  .openapi("StoryChange");

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });
const storyNotFound = errorDoc("story_not_found");
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

export function storyDeps(c: Context<AppEnv>): StoryDeps {
  const { stories, store, coverageTarget, now } = c.var.deps;
  if (!stories) throw new InputError("not_found", "This server keeps no story bank.", 404);
  return { stories, store, ...(coverageTarget ? { coverageTarget } : {}), ...(now ? { now } : {}) };
}

const listRoute = createRoute({
  method: "get",
  path: "/v1/stories",
  tags: ["stories"],
  summary: "The story bank, most recently practised first",
  responses: { 200: json(z.object({ stories: z.array(StorySummarySchema) }), "Stories") },
});

const exportRoute = createRoute({
  method: "get",
  path: "/v1/stories/export.md",
  tags: ["stories"],
  summary: "The bank as Markdown: each story's best version, its principles and top fixes",
  responses: { 200: { description: "Markdown", content: { "text/markdown": { schema: z.string() } } } },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/stories/{id}",
  tags: ["stories"],
  summary: "One story with its versions and score trend",
  request: { params: IdParam },
  responses: { 200: json(StoryDetailSchema, "Story"), 404: storyNotFound },
});

const patchRoute = createRoute({
  method: "patch",
  path: "/v1/stories/{id}",
  tags: ["stories"],
  summary: "Edit a story's title or the principles it serves",
  request: { params: IdParam, body: { required: true, content: { "application/json": { schema: StoryChangeSchema } } } },
  responses: {
    200: json(StoryDetailSchema, "The story after the change"),
    400: errorDoc("invalid_json, invalid_request, invalid_title, unknown_principle, principles_empty"),
    404: storyNotFound,
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/stories/{id}",
  tags: ["stories"],
  summary: "Delete a story and all its gradings (their text is scrubbed from the database)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: storyNotFound },
});

const coverageRoute = createRoute({
  method: "get",
  path: "/v1/coverage",
  tags: ["stories"],
  summary: "All 16 principles with the number of distinct stories that serve each",
  responses: { 200: json(CoverageSchema, "Coverage") },
});

export const storiesRoutes = new OpenAPIHono<AppEnv>()
  .openapi(listRoute, async (c) => c.json({ stories: (await listStories(storyDeps(c))).map(toSummary) }, 200))
  .openapi(exportRoute, async (c) => {
    const markdown = await exportMarkdown(storyDeps(c));
    return c.body(markdown, 200, { "content-type": "text/markdown; charset=utf-8", "content-disposition": 'inline; filename="story-bank.md"' });
  })
  .openapi(getRoute, async (c) => c.json(await getStory(storyDeps(c), c.req.valid("param").id), 200))
  .openapi(patchRoute, async (c) => c.json(await updateStory(storyDeps(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(deleteRoute, async (c) => {
    await deleteStory(storyDeps(c), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(coverageRoute, async (c) => c.json(await storyCoverage(storyDeps(c)), 200));
