/**
 * How close the container parsers come to the truth, and how fast they are: espeak-ng speaks one
 * answer (about 34 s), ffmpeg encodes it six ways, and each file's parsed length is compared with the
 * WAV's exact length and with ffprobe. `npm run bench:audio`
 */
import { join } from "node:path";
import { audioDuration } from "../src/audio/duration.js";
import { sniffAudioFormat } from "../src/audio/format.js";
import { audioDir, bytesOf, encode, encodeStreamedWebm, HAVE_AUDIO_TOOLS, probeDuration, speak, SPOKEN_TEXT } from "../test/support/audio.js";

if (!HAVE_AUDIO_TOOLS) {
  console.error("needs espeak-ng, ffmpeg and ffprobe (apt-get install -y espeak-ng ffmpeg)");
  process.exit(1);
}
const dir = audioDir();
const wav = speak(dir, `${SPOKEN_TEXT} ${SPOKEN_TEXT}`);
const truth = audioDuration(bytesOf(wav), "wav")!;
const files: Array<[string, string]> = [
  ["WAV (espeak-ng)", wav],
  ["Ogg/Opus", encode(wav, join(dir, "a.ogg"), ["-c:a", "libopus", "-b:a", "32k"])],
  ["WebM/Opus, Duration element", encode(wav, join(dir, "a.webm"), ["-c:a", "libopus", "-b:a", "32k"])],
  ["WebM/Opus, streamed (no Duration)", encodeStreamedWebm(wav, join(dir, "s.webm"))],
  ["MP3 (Xing header)", encode(wav, join(dir, "a.mp3"), ["-c:a", "libmp3lame", "-b:a", "64k"])],
  ["M4A (AAC)", encode(wav, join(dir, "a.m4a"), ["-c:a", "aac", "-b:a", "64k"])],
];
console.log(`WAV length (samples / rate): ${truth.toFixed(3)} s\n`);
console.log("| file | bytes | parsed (s) | ffprobe (s) | parsed − WAV (ms) | parse time (µs) |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, file] of files) {
  const bytes = bytesOf(file);
  const format = sniffAudioFormat(bytes)!;
  const runs = 200;
  let seconds = 0;
  const started = performance.now();
  for (let i = 0; i < runs; i++) seconds = audioDuration(bytes, format)!;
  const micros = ((performance.now() - started) / runs) * 1000;
  const probed = probeDuration(file);
  console.log(`| ${name} | ${bytes.length.toLocaleString("en")} | ${seconds.toFixed(3)} | ${probed === null ? "N/A" : probed.toFixed(3)} | ${Math.round((seconds - truth) * 1000)} | ${micros.toFixed(0)} |`);
}
