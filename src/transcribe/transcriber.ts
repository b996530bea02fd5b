/**
 * Speech to text through the configured OpenAI-compatible endpoint (POST {baseURL}/audio/transcriptions)
 * with the AI SDK's `transcribe`. Word timings are asked for (verbose_json with word granularity,
 * which whisper-1 and the faster-whisper servers support); a model or server that refuses that
 * format (gpt-4o-transcribe answers 400) is asked again for plain JSON, and remembered.
 */
import { createOpenAI } from "@ai-sdk/openai";
import { APICallError, transcribe } from "ai";
import type { TimedWord } from "../core/delivery.js";
import { innermost } from "../grader/model.js";
import { providerMessage, toTranscriptionError } from "./errors.js";

export interface TranscribeSettings {
  /** Local servers often need none; the SDK still sends a bearer header, which they ignore. */
  apiKey: string | null;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  fetch?: typeof globalThis.fetch;
}

export interface Transcript {
  text: string;
  /** Word timings, or null when the model gives none. */
  words: TimedWord[] | null;
  /** The length the service measured, when it reports one. */
  durationSeconds: number | null;
}

export interface Transcriber {
  readonly model: string;
  /** `signal` cancels the call (the client hung up); the configured timeout applies as well. */
  transcribe(audio: Uint8Array, options?: { signal?: AbortSignal }): Promise<Transcript>;
}

/**
 * Whisper drops hesitations unless the prompt shows them: a short prompt written with fillers
 * keeps "um", "uh" and "like" in the transcript, which the delivery figures count.
 */
export const VERBATIM_PROMPT = "Um, so, uh, I was, like, the one who, you know, picked it up. Hmm, and then we shipped it.";

/** The service rejected the response format or the timestamp option rather than the audio. */
function refusedTimestamps(error: unknown): boolean {
  const e = innermost(error);
  return APICallError.isInstance(e) && (e.statusCode === 400 || e.statusCode === 422) && /response_format|verbose_json|timestamp_granularit/i.test(providerMessage(e));
}

export function createTranscriber(settings: TranscribeSettings): Transcriber {
  const provider = createOpenAI({
    apiKey: settings.apiKey ?? "not-needed",
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const model = provider.transcription(settings.model);
  let wordTimings = true;

  async function call(audio: Uint8Array, withWords: boolean, signal: AbortSignal) {
    return transcribe({
      model,
      audio,
      maxRetries: settings.maxRetries,
      abortSignal: signal,
      providerOptions: {
        openai: withWords
          ? { responseFormat: "verbose_json", timestampGranularities: ["word"], prompt: VERBATIM_PROMPT }
          : { responseFormat: "json", prompt: VERBATIM_PROMPT },
      },
    });
  }

  return {
    model: settings.model,
    async transcribe(audio, options = {}) {
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
      try {
        let result;
        try {
          result = await call(audio, wordTimings, signal);
        } catch (error) {
          if (!wordTimings || !refusedTimestamps(error)) throw error;
          wordTimings = false;
          result = await call(audio, false, signal);
        }
        const words = result.words?.map((w) => ({ text: w.text.trim(), start: w.startSecond, end: w.endSecond })).filter((w) => w.text) ?? null;
        return { text: result.text.trim(), words: words?.length ? words : null, durationSeconds: result.durationInSeconds ?? null };
      } catch (error) {
        throw toTranscriptionError(error, settings);
      }
    },
  };
}
