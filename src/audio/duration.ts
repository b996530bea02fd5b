/** The length of a recording in seconds, read from its container; null when the file does not say. */
import type { AudioFormat } from "./format.js";
import { mp3Duration } from "./mp3.js";
import { mp4Duration } from "./mp4.js";
import { oggDuration } from "./ogg.js";
import { wavDuration } from "./wav.js";
import { webmDuration } from "./webm.js";

const PARSERS: Record<AudioFormat, (bytes: Uint8Array) => number | null> = {
  wav: wavDuration,
  ogg: oggDuration,
  webm: webmDuration,
  mp3: mp3Duration,
  m4a: mp4Duration,
};

export function audioDuration(bytes: Uint8Array, format: AudioFormat): number | null {
  const seconds = PARSERS[format](bytes);
  return seconds !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

/** Containers whose length can always be read from a well-formed file (no fallback needed). */
export const DURATION_IN_CONTAINER: ReadonlySet<AudioFormat> = new Set(["wav", "ogg", "webm"]);
