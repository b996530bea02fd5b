/** The transcriber a runtime's configuration asks for; null when no transcription endpoint is set. */
import type { Config } from "../config.js";
import { createTranscriber, type Transcriber } from "./transcriber.js";

export function transcriberFromConfig(config: Pick<Config, "transcription">, fetchImpl?: typeof fetch): Transcriber | null {
  if (!config.transcription) return null;
  return createTranscriber({ ...config.transcription, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}
