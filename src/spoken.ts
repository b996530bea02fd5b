/**
 * The spoken-answer use case: check the recording (format, size, length from its own container),
 * transcribe it, measure the delivery, then grade the transcript exactly like a typed answer
 * (same analysis, cache and history). The audio is dropped afterwards unless an archive is given.
 */
import { audioDuration, DURATION_IN_CONTAINER } from "./audio/duration.js";
import { sniffAudioFormat, type AudioFormat } from "./audio/format.js";
import { measureDelivery, type Delivery } from "./core/delivery.js";
import type { Feedback } from "./core/feedback.js";
import { countTokens } from "./core/tokens.js";
import { InputError, validateTarget, type GradeInput, type GradingService } from "./grading.js";
import { transcriptionUnavailable } from "./transcribe/errors.js";
import type { Transcriber } from "./transcribe/transcriber.js";

/** The transcription API's own upload limit. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
export const MAX_AUDIO_SECONDS = 10 * 60;
export const MAX_STORY_ID_CHARS = 100;

export interface Recording {
  audio: Uint8Array;
  principle: string;
  question?: string | null;
  /** The story this answer is a version of; passed on to the grading as given. */
  storyId?: string | null;
}

/** Where kept recordings go (STARCOACH_KEEP_AUDIO=1), by grading id. */
export interface AudioArchive {
  save(gradingId: string, audio: Uint8Array, format: AudioFormat): Promise<void>;
  remove(gradingId: string): Promise<void>;
  removeAll(): Promise<void>;
}

export interface SpokenGradingDeps {
  grading: GradingService;
  transcriber: Transcriber | null;
  archive?: AudioArchive | null;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const minutes = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, "0")}`;

/** A recording whose format, size, length, principle and question have been checked. */
export interface CheckedRecording extends Recording {
  format: AudioFormat;
  /** From the container; null for MP3/M4A files that do not say (the transcription's is used). */
  durationSeconds: number | null;
}

/** Format and size; the length when the container states it. Throws the InputError to answer with. */
export function checkRecording(audio: Uint8Array): { format: AudioFormat; durationSeconds: number | null } {
  if (audio.length === 0) throw new InputError("audio_empty", "The recording is empty: record again, or check the microphone.");
  if (audio.length > MAX_AUDIO_BYTES) {
    throw new InputError("audio_too_large", `The recording is ${megabytes(audio.length)}; the limit is ${MAX_AUDIO_BYTES / 1024 / 1024} MB.`, 413);
  }
  const format = sniffAudioFormat(audio);
  if (!format) throw new InputError("unsupported_audio_format", "This is not an audio format we read: send WebM, Ogg, WAV, MP3 or M4A.", 415);
  const durationSeconds = audioDuration(audio, format);
  if (durationSeconds === null && DURATION_IN_CONTAINER.has(format)) {
    throw new InputError("audio_unreadable", `The ${format.toUpperCase()} file is damaged or cut short: its length cannot be read. Record again.`);
  }
  if (durationSeconds !== null) checkLength(durationSeconds);
  return { format, durationSeconds };
}

function checkLength(seconds: number) {
  if (seconds > MAX_AUDIO_SECONDS) {
    throw new InputError("audio_too_long", `The recording is ${minutes(seconds)} long; the limit is ${minutes(MAX_AUDIO_SECONDS)}. A strong answer takes about two minutes.`, 413);
  }
}

/** A recording whose format, size and length have been checked (no grading target yet). */
export type CheckedAudio = Pick<CheckedRecording, "audio" | "format" | "durationSeconds">;

/** What was heard in a recording: the transcript and its delivery figures, ready to grade. */
export interface HeardAnswer {
  transcript: string;
  delivery: Delivery;
}

export function createSpokenGrading(deps: SpokenGradingDeps) {
  const { grading, transcriber } = deps;
  const archive = deps.archive ?? null;

  /** The audio alone: refused before anything is spent (and 503 at once without a transcriber). */
  function checkAudio(audio: Uint8Array): CheckedAudio {
    if (!transcriber) throw transcriptionUnavailable();
    return { audio, ...checkRecording(audio) };
  }

  /** Transcribe and measure. `signal`: the client hung up, so stop paying for it. */
  async function hear(recording: CheckedAudio, options: { signal?: AbortSignal } = {}): Promise<HeardAnswer> {
    if (!transcriber) throw transcriptionUnavailable();
    const signal = options.signal ? { signal: options.signal } : {};
    const transcript = await transcriber.transcribe(recording.audio, signal);
    if (!transcript.text.trim()) {
      throw new InputError("no_speech", "No speech was recognised in the recording. Check the microphone and record again.");
    }
    // MP3 and M4A may not state their length; then the service's measurement (or the last word) stands in.
    const durationSeconds = recording.durationSeconds ?? transcript.durationSeconds ?? transcript.words?.at(-1)?.end ?? null;
    if (durationSeconds === null) {
      throw new InputError("audio_unreadable", "The recording's length could not be read from the file. Record again, or send WebM, Ogg or WAV.");
    }
    checkLength(durationSeconds);
    const delivery = measureDelivery({
      transcript: transcript.text,
      words: countTokens(transcript.text).words,
      durationSeconds,
      timedWords: transcript.words,
    });
    return { transcript: transcript.text, delivery };
  }

  /** Keep the recording of a graded answer when the server keeps audio (STARCOACH_KEEP_AUDIO=1). */
  async function keep(gradingId: string, recording: CheckedAudio): Promise<void> {
    await archive?.save(gradingId, recording.audio, recording.format);
  }

  return {
    /** False: no transcription endpoint is configured, and every recording gets 503 transcription_unavailable. */
    available: transcriber !== null,
    keepsAudio: archive !== null,
    archive,
    checkAudio,
    hear,
    keep,

    /** Everything that can be checked without spending anything; a bad request must not cost a transcription. */
    check(recording: Recording): CheckedRecording {
      const audio = checkAudio(recording.audio);
      validateTarget(recording);
      if (recording.storyId && recording.storyId.length > MAX_STORY_ID_CHARS) {
        throw new InputError("invalid_request", `storyId: at most ${MAX_STORY_ID_CHARS} characters.`);
      }
      return { ...recording, ...audio };
    },

    /** Transcribe, measure, grade. `signal`: the client hung up, so stop paying for it. */
    async grade(recording: CheckedRecording, options: { signal?: AbortSignal } = {}): Promise<Feedback> {
      const heard = await hear(recording, options);
      // With a storyId the spoken answer is the story's next version.
      const input: GradeInput = {
        answer: heard.transcript,
        principle: recording.principle,
        question: recording.question ?? null,
        delivery: heard.delivery,
        ...(recording.storyId ? { storyId: recording.storyId } : {}),
      };
      const feedback = await grading.grade(input, options.signal ? { signal: options.signal } : {});
      await keep(feedback.id, recording);
      return feedback;
    },
  };
}

export type SpokenGrading = ReturnType<typeof createSpokenGrading>;
