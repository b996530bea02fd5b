/**
 * POST /v1/grade/audio: a recorded answer (multipart: audio, principle, question?, storyId?) →
 * Feedback with `answer` set to the transcript and `delivery`. The upload has its own body limit
 * (the audio limit plus room for the other fields), enforced from Content-Length and while the body
 * streams in; without a transcription endpoint the body is not read at all.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, Next } from "hono";
import { every } from "hono/combine";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { bodyLimit } from "hono/body-limit";
import { FeedbackSchema } from "../../core/feedback.js";
import { errorInfo } from "../../errors.js";
import { InputError } from "../../grading.js";
import { MAX_QUESTION_CHARS, PrincipleName, QuestionText } from "../../core/grade-request.js";
import { MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS } from "../../spoken.js";
import { TranscriptionError, transcriptionUnavailable } from "../../transcribe/errors.js";
import type { AppEnv } from "../context.js";
import { errorDoc, errorResponse } from "../errors.js";

/** The audio plus the text fields and multipart framing. */
export const MAX_AUDIO_UPLOAD_BYTES = MAX_AUDIO_BYTES + 64 * 1024;
const PATH = "/v1/grade/audio";

const AudioUploadSchema = z.object({
  audio: z.string().openapi({ type: "string", format: "binary", description: `The recording: WebM, Ogg, WAV, MP3 or M4A, at most ${MAX_AUDIO_BYTES / 1024 / 1024} MB and ${MAX_AUDIO_SECONDS / 60} minutes` }),
  principle: PrincipleName.meta({ description: "Principle id or name", example: "ownership" }),
  question: QuestionText.optional().meta({ description: `The interview question answered (at most ${MAX_QUESTION_CHARS} characters)` }),
  storyId: z.string().optional().openapi({ description: "The story this answer is a version of" }),
});

const gradeAudioRoute = createRoute({
  method: "post",
  path: PATH,
  tags: ["grading"],
  summary: "Grade a spoken answer",
  description:
    "Transcribes the recording through the configured OpenAI-compatible /audio/transcriptions endpoint and grades the transcript like a typed answer. " +
    "The response's `answer` is the transcript; `delivery` holds the recording's length (read from the file), pace, filler words and long pauses, and `length.speakingSeconds` is the real length.",
  request: { body: { required: true, content: { "multipart/form-data": { schema: AudioUploadSchema } } } },
  responses: {
    200: { description: "Feedback with delivery", content: { "application/json": { schema: FeedbackSchema } } },
    400: errorDoc("invalid_request, audio_missing, audio_empty, audio_unreadable, no_speech, unknown_principle, question_too_long"),
    413: errorDoc("audio_too_large, audio_too_long"),
    415: errorDoc("unsupported_media_type, unsupported_audio_format"),
    502: errorDoc("transcription_failed, transcription_auth_failed, model_output_invalid, model_unavailable, model_auth_failed"),
    503: errorDoc("transcription_unavailable, transcription_rate_limited, model_rate_limited"),
    504: errorDoc("transcription_timeout, model_timeout"),
  },
});

function transcriptionErrorResponse(c: Context<AppEnv>, err: TranscriptionError) {
  const { status, code, message, retryAfter } = errorInfo(err);
  if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
  return errorResponse(c, status as ContentfulStatusCode, code, message);
}

const textField = (v: FormDataEntryValue | null): string | undefined => (typeof v === "string" ? v : undefined);

/**
 * The gate every recording upload passes (here and the mock interview's spoken answer): 503 at once
 * without a transcription endpoint, 415 for anything but multipart, then the upload's own body limit
 * (from Content-Length, and while the body streams in). Nothing is read before these.
 */
export const recordingUpload = every(
  async (c: Context<AppEnv>, next: Next) => {
    if (!c.var.deps.spoken?.available) return transcriptionErrorResponse(c, transcriptionUnavailable());
    if (!/^multipart\/form-data\b/i.test(c.req.header("content-type") ?? "")) {
      return errorResponse(c, 415, "unsupported_media_type", "Send the recording as multipart/form-data with a file field named audio (curl -F audio=@answer.webm -F principle=ownership).");
    }
    return next();
  },
  bodyLimit({
    maxSize: MAX_AUDIO_UPLOAD_BYTES,
    onError: (c) => errorResponse(c, 413, "audio_too_large", `The upload is over the ${MAX_AUDIO_BYTES / 1024 / 1024} MB limit for a recording.`),
  }),
);

/** An upload's recording and its text fields, read once it passed recordingUpload. */
export interface RecordingForm {
  audio: Uint8Array;
  field(name: string): string | undefined;
}

/** Read the multipart body: the `audio` file (400 audio_missing without one) and the text fields. */
export async function readRecordingForm(c: Context<AppEnv>): Promise<RecordingForm> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new InputError("invalid_request", "The body is not valid multipart/form-data.");
  }
  const audio = form.get("audio");
  if (!(audio instanceof Blob)) throw new InputError("audio_missing", "Attach the recording as a file field named audio.");
  return { audio: new Uint8Array(await audio.arrayBuffer()), field: (name) => textField(form.get(name)) };
}

export const gradeAudioRoutes = new OpenAPIHono<AppEnv>();
gradeAudioRoutes.openAPIRegistry.registerPath(gradeAudioRoute);

gradeAudioRoutes.post(PATH, recordingUpload, async (c) => {
  const form = await readRecordingForm(c);
  const principle = form.field("principle");
  if (!principle) return errorResponse(c, 400, "invalid_request", "principle: required (an id such as ownership, or a name).");
  const question = form.field("question");
  const storyId = form.field("storyId");
  const spoken = c.var.deps.spoken!;
  const recording = spoken.check({ audio: form.audio, principle, question: question ?? null, storyId: storyId?.trim() || null });
  // An unknown story is refused before anything is paid for (404 story_not_found).
  await c.var.deps.grading.requireStory(recording.storyId);
  // Only a checked request is admitted (per-client rate limit, then a grading slot).
  const release = await c.var.admission.admit(c);
  try {
    // A client that hangs up cancels the transcription and the model call.
    const feedback = await spoken.grade(recording, { signal: c.req.raw.signal });
    return c.json(feedback, 200);
  } catch (err) {
    if (err instanceof TranscriptionError) return transcriptionErrorResponse(c, err);
    throw err;
  } finally {
    release();
  }
});
