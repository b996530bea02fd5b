/**
 * Container durations of real files: espeak-ng speaks a WAV, ffmpeg re-encodes it, and each parser
 * must agree with the WAV's exact length (sample count / rate) and with ffprobe.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { audioDuration } from "../src/audio/duration.js";
import { sniffAudioFormat, type AudioFormat } from "../src/audio/format.js";
import { oggDuration } from "../src/audio/ogg.js";
import { wavDuration } from "../src/audio/wav.js";
import { webmDuration } from "../src/audio/webm.js";
import { audioDir, bytesOf, encode, encodeStreamedWebm, HAVE_AUDIO_TOOLS, probeDuration, speak, SPOKEN_TEXT } from "./support/audio.js";

// Codecs pad the end to whole frames: Opus 20 ms; MP3 adds its encoder delay and padding (about 60 ms
// here), AAC likewise. The browser test's goal is ±0.5 s.
const TOLERANCE_S = 0.1;

describe.skipIf(!HAVE_AUDIO_TOOLS)("audio container durations", () => {
  let dir: string;
  let wav: string;
  let truth: number;

  beforeAll(() => {
    dir = audioDir();
    wav = speak(dir, SPOKEN_TEXT);
    // The WAV's exact length from its header, computed independently of the parser under test.
    const b = bytesOf(wav);
    const view = new DataView(b.buffer, b.byteOffset);
    const dataAt = b.findIndex((_, i) => String.fromCharCode(...b.subarray(i, i + 4)) === "data");
    truth = view.getUint32(dataAt + 4, true) / view.getUint32(28, true);
  });

  it("WAV: data bytes over byte rate, equal to ffprobe's", () => {
    const seconds = wavDuration(bytesOf(wav))!;
    expect(truth).toBeGreaterThan(8);
    expect(seconds).toBeCloseTo(truth, 6);
    expect(seconds).toBeCloseTo(probeDuration(wav)!, 3);
  });

  it("WAV written by a streaming tool (data size 0xFFFFFFFF): the bytes present are the audio", () => {
    const b = bytesOf(wav);
    const dataAt = b.findIndex((_, i) => String.fromCharCode(...b.subarray(i, i + 4)) === "data");
    new DataView(b.buffer, b.byteOffset).setUint32(dataAt + 4, 0xffffffff, true);
    expect(wavDuration(b)).toBeCloseTo(truth, 6);
  });

  const encodings: Array<[string, AudioFormat, string[]]> = [
    ["Ogg/Opus", "ogg", ["-c:a", "libopus", "-b:a", "32k"]],
    ["Ogg/Vorbis", "ogg", ["-c:a", "libvorbis"]],
    ["WebM/Opus with a Duration element", "webm", ["-c:a", "libopus", "-b:a", "32k"]],
    ["MP3 with a Xing header", "mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]],
    ["MP3, constant bit rate without a Xing header", "mp3", ["-c:a", "libmp3lame", "-b:a", "64k", "-write_xing", "0"]],
    ["M4A (AAC)", "m4a", ["-c:a", "aac", "-b:a", "64k"]],
  ];
  it.each(encodings)("%s: sniffed and timed from the container", (_name, format, args) => {
    const file = encode(wav, join(dir, `${_name.replace(/\W+/g, "_")}.${format}`), args);
    const bytes = bytesOf(file);
    expect(sniffAudioFormat(bytes)).toBe(format);
    const seconds = audioDuration(bytes, format)!;
    expect(Math.abs(seconds - truth)).toBeLessThan(TOLERANCE_S);
    expect(Math.abs(seconds - probeDuration(file)!)).toBeLessThan(TOLERANCE_S);
  });

  it("Ogg/Opus: the pre-skip is taken off the last granule position", () => {
    const file = encode(wav, join(dir, "preskip.ogg"), ["-c:a", "libopus"]);
    const b = bytesOf(file);
    const preSkip = new DataView(b.buffer, b.byteOffset).getUint16(28 + 10, true); // OpusHead on the first page
    expect(preSkip).toBeGreaterThan(0);
    new DataView(b.buffer, b.byteOffset).setUint16(28 + 10, 0, true);
    expect(oggDuration(b)! - oggDuration(bytesOf(file))!).toBeCloseTo(preSkip / 48_000, 6);
  });

  it("Ogg: a truncated last page is ignored; the previous page's granule counts", () => {
    const b = bytesOf(encode(wav, join(dir, "cut.ogg"), ["-c:a", "libopus"]));
    const cut = oggDuration(b.subarray(0, b.length - 100))!;
    expect(cut).toBeGreaterThan(truth - 2);
    expect(cut).toBeLessThan(truth);
  });

  it("WebM streamed like MediaRecorder's (no Duration, unknown sizes): the last block's end", () => {
    const file = encodeStreamedWebm(wav, join(dir, "streamed.webm"));
    expect(probeDuration(file)).toBeNull(); // ffprobe cannot tell from the header either
    const seconds = webmDuration(bytesOf(file))!;
    expect(Math.abs(seconds - truth)).toBeLessThan(TOLERANCE_S);
  });

  it("unknown and broken files: no format, no duration, no exception", () => {
    const text = new TextEncoder().encode("this is not audio at all");
    expect(sniffAudioFormat(text)).toBeNull();
    expect(sniffAudioFormat(new Uint8Array())).toBeNull();
    const wavBytes = bytesOf(wav);
    expect(wavDuration(wavBytes.subarray(0, 30))).toBeNull(); // header cut before the data chunk
    for (const format of ["wav", "ogg", "webm", "mp3", "m4a"] as const) {
      expect(audioDuration(text, format)).toBeNull();
      expect(audioDuration(new Uint8Array(64).fill(0xff), format)).toBeNull();
    }
  });
});
