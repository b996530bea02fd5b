/**
 * MSW mock of the OpenAI transcription endpoint (POST {baseURL}/audio/transcriptions, multipart)
 * that @ai-sdk/openai's transcription model calls. It answers in the format asked for, with the
 * shapes the real API sends (test/fixtures/transcription-*.json): verbose_json with `words` only when
 * word timestamps were requested, plain json otherwise. `verboseJson: false` behaves like
 * gpt-4o-transcribe, which refuses verbose_json with a 400.
 */
import { readFileSync } from "node:fs";
import { delay, http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type { TimedWord } from "../../src/core/delivery.js";
import { stripToken } from "../../src/core/tokens.js";

export const TRANSCRIBE_BASE_URL = "https://stt.test/v1";
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

export interface TranscriptionCall {
  model: string;
  responseFormat: string | null;
  granularities: string[];
  prompt: string | null;
  file: { name: string; type: string; size: number };
  authorization: string | null;
}

export type TranscriptionReply =
  | { kind: "transcript"; text: string; words?: TimedWord[]; duration?: number }
  | { kind: "status"; status: number; headers?: Record<string, string>; body?: Record<string, unknown> }
  | { kind: "delay"; ms: number; text: string }
  | { kind: "network-error" };

/** Word timings for `text` as a speech model reports them: one entry per word, punctuation stripped. */
export function timeWords(text: string, options: { start?: number; perWord?: number; pauses?: Record<number, number> } = {}): TimedWord[] {
  let t = options.start ?? 0.3;
  const per = options.perWord ?? 0.32;
  return text.split(/\s+/).map(stripToken).filter(Boolean).map((word, i) => {
    const timed = { text: word, start: round(t), end: round(t + per * 0.85) };
    t += per + (options.pauses?.[i] ?? 0);
    return timed;
  });
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function verboseBody(reply: { text: string; words?: TimedWord[]; duration?: number }, granularities: string[]) {
  const body = fixture("transcription-verbose.json");
  const words = reply.words ?? timeWords(reply.text);
  const duration = reply.duration ?? (words.length ? words[words.length - 1]!.end + 0.4 : 0);
  body.text = reply.text;
  body.duration = duration;
  body.usage = { type: "duration", seconds: Math.ceil(duration) };
  // The API returns segments by default and words only when asked for them.
  if (granularities.includes("word")) body.words = words.map((w) => ({ word: w.text, start: w.start, end: w.end }));
  else delete body.words;
  if (granularities.length && !granularities.includes("segment")) delete body.segments;
  else body.segments = [{ ...(body.segments as Array<Record<string, unknown>>)[0], end: duration, text: ` ${reply.text}` }];
  return body;
}

function jsonBody(text: string) {
  return { ...fixture("transcription-json.json"), text };
}

export function createTranscriptionMock(options: { baseURL?: string; verboseJson?: boolean } = {}) {
  const baseURL = options.baseURL ?? TRANSCRIBE_BASE_URL;
  const queue: TranscriptionReply[] = [];
  const calls: TranscriptionCall[] = [];
  let fallback: TranscriptionReply | null = null;
  let verboseJson = options.verboseJson ?? true;

  const handlers = [
    http.post(`${baseURL}/audio/transcriptions`, async ({ request }) => {
      const form = await request.formData();
      const file = form.get("file");
      const responseFormat = (form.get("response_format") as string | null) ?? null;
      const granularities = form.getAll("timestamp_granularities[]").map(String);
      calls.push({
        model: String(form.get("model")),
        responseFormat,
        granularities,
        prompt: (form.get("prompt") as string | null) ?? null,
        file: file instanceof File ? { name: file.name, type: file.type, size: file.size } : { name: "", type: "", size: 0 },
        authorization: request.headers.get("authorization"),
      });
      if (responseFormat === "verbose_json" && !verboseJson) {
        return HttpResponse.json(
          { error: { message: `response_format 'verbose_json' is not compatible with model '${String(form.get("model"))}'. Use 'json' or 'text' instead.`, type: "invalid_request_error", param: "response_format", code: "unsupported_value" } },
          { status: 400 },
        );
      }
      const reply = queue.shift() ?? fallback;
      if (!reply) return HttpResponse.json({ error: { message: "no reply queued in test", type: "test" } }, { status: 500 });
      switch (reply.kind) {
        case "transcript":
          return HttpResponse.json(responseFormat === "verbose_json" ? verboseBody(reply, granularities) : jsonBody(reply.text));
        case "delay":
          await delay(reply.ms);
          return HttpResponse.json(jsonBody(reply.text));
        case "status":
          return HttpResponse.json(reply.body ?? { error: { message: `mock ${reply.status}`, type: "server_error", param: null, code: null } }, {
            status: reply.status,
            ...(reply.headers ? { headers: reply.headers } : {}),
          });
        case "network-error":
          return HttpResponse.error();
      }
    }),
  ];

  return {
    handlers,
    server: setupServer(...handlers),
    calls,
    reply(...replies: TranscriptionReply[]) {
      queue.push(...replies);
    },
    always(reply: TranscriptionReply | null) {
      fallback = reply;
    },
    /** Behave like a model that supports verbose_json (whisper-1) or not (gpt-4o-transcribe). */
    supportsVerboseJson(value: boolean) {
      verboseJson = value;
    },
    reset() {
      queue.length = 0;
      calls.length = 0;
      fallback = null;
      verboseJson = options.verboseJson ?? true;
    },
  };
}

export type TranscriptionMock = ReturnType<typeof createTranscriptionMock>;

/** OpenAI's answer to a file it cannot decode. */
export const INVALID_FORMAT_BODY = {
  error: {
    message: "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']",
    type: "invalid_request_error",
    param: null,
    code: null,
  },
};
