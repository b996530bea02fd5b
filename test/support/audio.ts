/**
 * Real recordings for the tests, made on the spot: espeak-ng speaks a sentence into a WAV file and
 * ffmpeg re-encodes it (Ogg/Opus, WebM/Opus, MP3, M4A). ffprobe gives an independent duration.
 * Both tools are Debian packages (.ci/run installs them when missing).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const onPath = (tool: string) => ["/usr/bin", "/usr/local/bin", "/bin"].some((dir) => existsSync(join(dir, tool)));
export const HAVE_AUDIO_TOOLS = onPath("espeak-ng") && onPath("ffmpeg") && onPath("ffprobe");
if (!HAVE_AUDIO_TOOLS) console.warn("[audio tests] SKIPPED: espeak-ng, ffmpeg or ffprobe not found. Install them with: apt-get install -y espeak-ng ffmpeg (.ci/run does this).");

export const SPOKEN_TEXT =
  "Last year our support team was drowning in tickets about failed imports. Nobody owned the importer, so I decided to own it. " +
  "I read fifty tickets, found three root causes, and wrote a validator. As a result, import tickets fell by sixty percent in eight weeks.";

export function audioDir(): string {
  return mkdtempSync(join(tmpdir(), "starcoach-audio-"));
}

/** Speak `text` into `dir/name.wav` (espeak-ng, 22.05 kHz mono 16-bit); returns the path. */
export function speak(dir: string, text: string, name = "spoken"): string {
  const file = join(dir, `${name}.wav`);
  execFileSync("espeak-ng", ["-s", "165", "-w", file, text]);
  return file;
}

/** Re-encode with ffmpeg; `args` go between input and output (codec, container options). */
export function encode(input: string, output: string, args: string[]): string {
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", input, ...args, output]);
  return output;
}

/** ffmpeg writing to a pipe cannot seek back, so the WebM has no Duration element and unknown sizes (like a browser's). */
export function encodeStreamedWebm(input: string, output: string): string {
  const bytes = execFileSync("ffmpeg", ["-v", "error", "-i", input, "-c:a", "libopus", "-f", "webm", "pipe:1"], { maxBuffer: 64 * 1024 * 1024 });
  writeFileSync(output, bytes);
  return output;
}

/** Duration in seconds as ffprobe reports it (null when the container does not say). */
export function probeDuration(file: string): number | null {
  const out = execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" }).trim();
  const n = Number(out);
  return out && Number.isFinite(n) ? n : null;
}

export function bytesOf(file: string): Uint8Array {
  return new Uint8Array(readFileSync(file));
}

/** A valid PCM WAV of silence (16 kHz mono 16-bit), built in memory: for tests that need bytes, not speech. */
export function silentWav(seconds: number, rate = 16_000): Uint8Array {
  const dataBytes = Math.round(seconds * rate) * 2;
  const b = new Uint8Array(44 + dataBytes);
  const v = new DataView(b.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (b[at + i] = ch.charCodeAt(0)));
  text(0, "RIFF");
  v.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVE");
  text(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true); // byte rate
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  text(36, "data");
  v.setUint32(40, dataBytes, true);
  return b;
}
