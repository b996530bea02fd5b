/** Transcription failures with a stable code and status, mapped from whatever the SDK threw. */
import { APICallError } from "ai";
import { innermost, isTimeout, retryAfterSeconds } from "../grader/model.js";

export type TranscriptionErrorCode =
  | "transcription_unavailable"
  | "transcription_timeout"
  | "transcription_rate_limited"
  | "transcription_auth_failed"
  | "transcription_failed"
  | "unsupported_audio_format";

export class TranscriptionError extends Error {
  constructor(
    readonly code: TranscriptionErrorCode,
    readonly status: 415 | 502 | 503 | 504,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "TranscriptionError";
  }
}

/** The settings a person sets to turn transcription on; named in the 503 so it can be acted on. */
export const TRANSCRIPTION_SETTINGS_HINT =
  "Set OPENAI_API_KEY (OpenAI's whisper-1), or STARCOACH_TRANSCRIBE_BASE_URL for a local OpenAI-compatible server such as faster-whisper-server or LocalAI; STARCOACH_TRANSCRIBE_MODEL picks the model.";

export function transcriptionUnavailable(): TranscriptionError {
  return new TranscriptionError("transcription_unavailable", 503, `Spoken answers need a transcription endpoint, and none is configured. ${TRANSCRIPTION_SETTINGS_HINT}`);
}

/** The provider's own error message from an OpenAI-style error body, if any. */
export function providerMessage(error: APICallError): string {
  try {
    const body = JSON.parse(error.responseBody ?? "") as { error?: { message?: unknown } | string; detail?: unknown };
    const message = typeof body.error === "string" ? body.error : body.error?.message ?? body.detail;
    return typeof message === "string" ? message : JSON.stringify(message ?? "");
  } catch {
    return error.responseBody ?? error.message;
  }
}

/** The service could not decode the file (OpenAI: "Invalid file format…"; local servers: decoding errors). */
const FORMAT_REJECTED = /file format|unsupported (audio|file|format|media)|could not (be )?decode|failed to decode|invalid audio|corrupt/i;

export function toTranscriptionError(error: unknown, settings: { model: string; timeoutMs: number }): TranscriptionError {
  if (error instanceof TranscriptionError) return error;
  const e = innermost(error);
  if (isTimeout(e) || isTimeout(error)) {
    return new TranscriptionError("transcription_timeout", 504, `The transcription service did not answer within ${settings.timeoutMs} ms (STARCOACH_TRANSCRIBE_TIMEOUT_MS).`);
  }
  const unreachable = () =>
    new TranscriptionError("transcription_failed", 502, "The transcription service could not be reached; check STARCOACH_TRANSCRIBE_BASE_URL (or OPENAI_BASE_URL) and try again.");
  if (APICallError.isInstance(e)) {
    const status = e.statusCode;
    if (status === undefined) return unreachable(); // the SDK's wrapper for a failed fetch
    if (status === 429) {
      return new TranscriptionError("transcription_rate_limited", 503, "The transcription service is rate-limiting requests; try again shortly.", retryAfterSeconds(e));
    }
    if (status === 401 || status === 403) {
      return new TranscriptionError("transcription_auth_failed", 502, "The transcription service rejected the API key (check STARCOACH_TRANSCRIBE_API_KEY or OPENAI_API_KEY).");
    }
    if ((status === 400 || status === 415 || status === 422) && FORMAT_REJECTED.test(providerMessage(e))) {
      return new TranscriptionError("unsupported_audio_format", 415, `The transcription service could not read this recording (${providerMessage(e).slice(0, 200)}). Record again, or send WebM, Ogg, WAV, MP3 or M4A.`);
    }
    if (status === 404) {
      return new TranscriptionError("transcription_failed", 502, `The transcription service does not know the model "${settings.model}" or has no /audio/transcriptions endpoint (check STARCOACH_TRANSCRIBE_MODEL and STARCOACH_TRANSCRIBE_BASE_URL).`);
    }
    return new TranscriptionError("transcription_failed", 502, `The transcription service failed with HTTP ${status}; try again later.`);
  }
  return unreachable();
}
