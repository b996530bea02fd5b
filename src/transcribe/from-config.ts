/** The transcriber a runtime's configuration asks for; null when no transcription endpoint is set. */
import type { Config } from "../config.js";
import { createTranscriber, type Transcriber } from "./transcriber.js";

export function transcriberFromConfig(config: Pick<Config, "transcription">, fetchImpl?: typeof fetch): Transcriber | null {
  const t = config.transcription;
  if (!t) return null;
  return createTranscriber({
    apiKey: t.apiKey ?? null,
    baseURL: t.baseURL,
    model: t.model,
    timeoutMs: t.timeoutMs,
    maxRetries: t.maxRetries,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}
