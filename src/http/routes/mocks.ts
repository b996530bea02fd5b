/** Mock interviews: start, read, answer each question and its follow-up, finish with a debrief. */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HIRE_SIGNALS } from "../../core/bar-raiser.js";
import { DeliverySchema } from "../../core/delivery.js";
import { InputError } from "../../grading.js";
import { MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "../../spoken.js";
import { MAX_MOCK_QUESTIONS, MOCK_ROLES, MOCK_TIMINGS } from "../../practice/mock.js";
import { createMockService } from "../../practice/mocks.js";
import type { AppEnv } from "../context.js";
import { errorDoc } from "../errors.js";
import { admitted } from "./followups.js";
import { readRecordingForm, recordingUpload } from "./grade-audio.js";
import { storyDeps } from "./stories.js";

const Principle = z.object({ id: z.string(), name: z.string() });

export const MockSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    status: z.enum(["in_progress", "finished"]),
    role: z.enum(MOCK_ROLES).nullable(),
    principles: z.array(z.string()),
    questions: z.array(z.object({ index: z.number().int(), questionId: z.string(), text: z.string(), principle: Principle })),
    askedAt: z.array(z.string().nullable()).describe("When each question was put (server clock)"),
    current: z.number().int().nullable().describe("The question waiting for an answer; null when none"),
    pendingFollowUp: z.number().int().nullable().describe("The question whose follow-up waits for an answer or a skip; null when none"),
    answerSeconds: z.number().int().describe("The time per answer: 120"),
    answers: z.array(
      z.object({
        index: z.number().int(),
        gradingId: z.string(),
        storyId: z.string(),
        score: z.number().int(),
        elapsedSeconds: z.number().int(),
        timing: z.enum(MOCK_TIMINGS).describe("reported: the page's timer; server: the server's clock; audio: a spoken answer's recording length"),
        overrun: z.boolean().describe("Over 2:00 (allowed, recorded)"),
        followUp: z
          .object({
            question: z.string(),
            askedAt: z.string(),
            drillId: z.string().nullable(),
            score: z.number().int().nullable(),
            consistent: z.boolean().nullable(),
            elapsedSeconds: z.number().nullable(),
            skipped: z.boolean(),
          })
          .nullable(),
      }),
    ),
    finishedAt: z.string().nullable(),
    debrief: z
      .object({
        principles: z.array(z.object({ index: z.number().int(), principle: Principle, signal: z.enum(HIRE_SIGNALS), score: z.number().int(), reasons: z.array(z.string()), gradingId: z.string() })),
        unanswered: z.array(z.number().int()),
        time: z.array(
          z.object({
            index: z.number().int(),
            elapsedSeconds: z.number().int(),
            targetSeconds: z.number().int(),
            overrun: z.boolean(),
            followUpSeconds: z.number().nullable(),
            delivery: DeliverySchema.nullable().optional().describe("A spoken answer's delivery (length from the audio, pace, fillers, pauses); null when typed; absent in debriefs saved before spoken mock answers"),
          }),
        ),
        stories: z.array(z.object({ index: z.number().int(), storyId: z.string() })),
        storyWarnings: z.array(z.object({ indexes: z.tuple([z.number().int(), z.number().int()]), similarity: z.number(), message: z.string() })),
        practiseNext: z.array(z.string()).max(3),
      })
      .nullable(),
  })
  .openapi("MockInterview");

const StartSchema = z
  .object({
    role: z.enum(MOCK_ROLES).nullable().optional().openapi({ description: "Draw from the principles this role's loop leans on (default general: all 16)" }),
    principles: z.array(z.string().max(100)).max(16).nullable().optional().openapi({ description: "Or draw from these principle ids" }),
    count: z.number().nullable().optional().openapi({ description: `Questions, 1–${MAX_MOCK_QUESTIONS} (default 4)` }),
  })
  .strict()
  .openapi("MockStart");

const Elapsed = z.number().nullable().optional().openapi({ description: "Seconds on the page's timer (0–3600); absent: measured by the server's clock" });
const AnswerSchema = z.object({ index: z.number().int(), answer: z.string(), elapsedSeconds: Elapsed }).openapi("MockAnswerRequest");
const FollowUpSchema = z.object({ answer: z.string(), elapsedSeconds: Elapsed }).openapi("MockFollowUpRequest");

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: "id", in: "path" } }) });
const IndexParam = IdParam.extend({ index: z.coerce.number().int().min(0).max(MAX_MOCK_QUESTIONS - 1).openapi({ param: { name: "index", in: "path" } }) });
const mockBody = (description: string) => ({ description, content: { "application/json": { schema: MockSchema } } });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } });
const modelErrors = { 429: errorDoc("rate_limited"), 502: errorDoc("model_output_invalid, model_unavailable, model_auth_failed"), 503: errorDoc("model_rate_limited, server_busy, shutting_down"), 504: errorDoc("model_timeout") };
const notFound = errorDoc("mock_not_found");

export function mockService(c: Context<AppEnv>) {
  const { stories, store, now } = storyDeps(c);
  return createMockService({ stories, store, grading: c.var.deps.grading, ...(now ? { now } : {}) });
}

export const mocksRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/mocks",
      tags: ["mock interviews"],
      summary: "Start a mock interview: questions drawn across different principles",
      request: jsonBody(StartSchema),
      responses: { 201: mockBody("The new mock interview"), 400: errorDoc("invalid_json, invalid_request, unknown_role, unknown_principle, invalid_count") },
    }),
    async (c) => c.json(await mockService(c).start(c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/v1/mocks",
      tags: ["mock interviews"],
      summary: "Recent mock interviews, newest first",
      responses: { 200: { description: "Mocks", content: { "application/json": { schema: z.object({ mocks: z.array(z.object({ id: z.string(), createdAt: z.string(), status: z.string() })) }) } } } },
    }),
    async (c) => c.json({ mocks: await mockService(c).list() }, 200),
  )
  .openapi(
    createRoute({ method: "get", path: "/v1/mocks/{id}", tags: ["mock interviews"], summary: "One mock interview (with its debrief once finished)", request: { params: IdParam }, responses: { 200: mockBody("The mock interview"), 404: notFound } }),
    async (c) => c.json(await mockService(c).get(c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/v1/mocks/{id}",
      tags: ["mock interviews"],
      summary: "Delete a mock interview and the answers given in it (their gradings and drills; the text is scrubbed from the database)",
      request: { params: IdParam },
      responses: { 204: { description: "Deleted" }, 404: notFound },
    }),
    async (c) => {
      await mockService(c).remove(c.req.valid("param").id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/mocks/{id}/answers",
      tags: ["mock interviews"],
      summary: "Answer the current question: graded (bar-raiser mode) as a new story; its follow-up is asked",
      request: { params: IdParam, ...jsonBody(AnswerSchema) },
      responses: {
        200: mockBody("The mock interview with the answer"),
        400: errorDoc("invalid_request, answer_empty, invalid_elapsed"),
        404: notFound,
        409: errorDoc("mock_finished, mock_complete, mock_out_of_order"),
        413: errorDoc("answer_too_long"),
        ...modelErrors,
      },
    }),
    async (c) => c.json(await admitted(c, () => mockService(c).answer(c.req.valid("param").id, c.req.valid("json"))), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/mocks/{id}/answers/{index}/followup",
      tags: ["mock interviews"],
      summary: "Answer the drill-down follow-up of question `index` (0-based)",
      request: { params: IndexParam, ...jsonBody(FollowUpSchema) },
      responses: {
        200: mockBody("The mock interview with the follow-up answer"),
        400: errorDoc("invalid_request, answer_empty, invalid_elapsed"),
        404: notFound,
        409: errorDoc("mock_finished, mock_out_of_order, mock_no_follow_up, mock_follow_up_answered"),
        413: errorDoc("answer_too_long"),
        ...modelErrors,
      },
    }),
    async (c) => {
      const { id, index } = c.req.valid("param");
      return c.json(await admitted(c, () => mockService(c).followUp(id, index, c.req.valid("json"))), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/mocks/{id}/answers/{index}/skip-followup",
      tags: ["mock interviews"],
      summary: "Move on without answering the follow-up of question `index`",
      request: { params: IndexParam },
      responses: { 200: mockBody("The mock interview"), 404: notFound, 409: errorDoc("mock_finished, mock_no_follow_up") },
    }),
    async (c) => {
      const { id, index } = c.req.valid("param");
      return c.json(await mockService(c).skipFollowUp(id, index), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/v1/mocks/{id}/finish",
      tags: ["mock interviews"],
      summary: "Finish the mock interview and compute the debrief",
      request: { params: IdParam },
      responses: { 200: mockBody("The finished mock interview with its debrief"), 404: notFound, 409: errorDoc("mock_finished, mock_unanswered") },
    }),
    async (c) => c.json(await mockService(c).finish(c.req.valid("param").id), 200),
  );

/** A spoken answer to the current question: the recording is transcribed, then graded like the typed answer. */
const spokenAnswerRoute = createRoute({
  method: "post",
  path: "/v1/mocks/{id}/answers/audio",
  tags: ["mock interviews"],
  summary: "Answer the current question by speaking: the transcript is graded like a typed answer, timed by the recording's length",
  description:
    "Multipart, like POST /v1/grade/audio (same formats and limits). The answer's `elapsedSeconds` is the recording's length read from the file (`timing: audio`); " +
    "the grading carries `delivery` (pace, filler words, long pauses), shown again in the debrief.",
  request: {
    params: IdParam,
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({
            audio: z.string().openapi({ type: "string", format: "binary", description: `WebM, Ogg, WAV, MP3 or M4A, at most ${MAX_AUDIO_BYTES / 1024 / 1024} MB and ${MAX_AUDIO_SECONDS / 60} minutes` }),
            index: z.string().openapi({ description: "The question answered (0-based), the current one", example: "0" }),
          }),
        },
      },
    },
  },
  responses: {
    200: mockBody("The mock interview with the answer"),
    400: errorDoc("invalid_request, audio_missing, audio_empty, audio_unreadable, no_speech"),
    404: notFound,
    409: errorDoc("mock_finished, mock_complete, mock_out_of_order"),
    413: errorDoc("audio_too_large, audio_too_long"),
    415: errorDoc("unsupported_media_type, unsupported_audio_format"),
    502: errorDoc("transcription_failed, transcription_auth_failed, model_output_invalid, model_unavailable, model_auth_failed"),
    503: errorDoc("transcription_unavailable, transcription_rate_limited, model_rate_limited, server_busy"),
    504: errorDoc("transcription_timeout, model_timeout"),
  },
});

/** Where a spoken mock answer is posted: it has the recording upload's body limit, not the API's. */
export const MOCK_AUDIO_PATH = /^\/v1\/mocks\/[^/]+\/answers\/audio$/;

mocksRoutes.openAPIRegistry.registerPath(spokenAnswerRoute);
mocksRoutes.post("/v1/mocks/:id/answers/audio", recordingUpload, async (c) => {
  const id = c.req.param("id");
  const form = await readRecordingForm(c);
  const index = Number(form.field("index") ?? "");
  if (!form.field("index")?.trim() || !Number.isInteger(index)) throw new InputError("invalid_request", "index: required, the number (from 0) of the question answered.");
  const spoken = c.var.deps.spoken!;
  const recording = spoken.checkAudio(form.audio);
  const mocks = mockService(c);
  // The wrong question, or a finished mock, is refused before the transcription is paid for.
  await mocks.requireCurrent(id, index);
  const mock = await admitted(c, async () => {
    const heard = await spoken.hear(recording, { signal: c.req.raw.signal });
    const answered = await mocks.answer(id, { index, answer: heard.transcript, delivery: heard.delivery });
    await spoken.keep(answered.answers.find((a) => a.index === index)!.gradingId, recording);
    return answered;
  });
  return c.json(mock, 200);
});
