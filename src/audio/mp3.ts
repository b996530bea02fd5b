/**
 * Duration of an MP3 file: the frame count in a Xing/Info or VBRI header (written by LAME and
 * most encoders) times the samples per frame; without one, a constant bit rate is assumed and the
 * audio bytes are divided by it.
 */
import { ByteReader } from "./bytes.js";
import { id3Size, isMp3FrameHeader } from "./format.js";

// Layer III bit rates (kbit/s) by index, for MPEG-1 and for MPEG-2/2.5.
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES_V1 = [44_100, 48_000, 32_000];

export function mp3Duration(bytes: Uint8Array): number | null {
  const r = new ByteReader(bytes);
  let at = id3Size(bytes);
  // Some files pad between the tag and the first frame; look a little way for the sync.
  const limit = Math.min(r.length - 4, at + 4096);
  while (at < limit && !isMp3FrameHeader(bytes, at)) at++;
  if (!isMp3FrameHeader(bytes, at)) return null;

  const b1 = r.bytes[at + 1]!;
  const b2 = r.bytes[at + 2]!;
  const b3 = r.bytes[at + 3]!;
  const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const mpeg1 = version === 3;
  const sampleRate = SAMPLE_RATES_V1[(b2 >> 2) & 3]! / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  const mono = (b3 >> 6) === 3;

  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const xing = at + 4 + sideInfo;
  const tag = r.ascii(xing, 4);
  if (tag === "Xing" || tag === "Info") {
    const flags = r.u32be(xing + 4) ?? 0;
    const frames = flags & 1 ? r.u32be(xing + 8) : null;
    if (frames) return (frames * samplesPerFrame) / sampleRate;
  }
  if (r.ascii(at + 36, 4) === "VBRI") {
    const frames = r.u32be(at + 36 + 14);
    if (frames) return (frames * samplesPerFrame) / sampleRate;
  }
  const kbps = (mpeg1 ? BITRATES_V1 : BITRATES_V2)[b2 >> 4];
  if (!kbps) return null;
  const trailingTag = r.ascii(r.length - 128, 3) === "TAG" ? 128 : 0;
  return ((r.length - at - trailingTag) * 8) / (kbps * 1000);
}
