/**
 * Duration of an MP4/M4A file from the movie header (moov/mvhd: duration over timescale). Safari's
 * MediaRecorder writes fragmented MP4 whose header says 0; then there is no answer here and the
 * caller falls back to the duration the transcription reports.
 */
import { ByteReader } from "./bytes.js";

function* boxes(r: ByteReader, start: number, end: number): Generator<{ type: string; body: number; end: number }> {
  for (let at = start; at + 8 <= end; ) {
    let size = r.u32be(at)!;
    const type = r.ascii(at + 4, 4)!;
    let body = at + 8;
    if (size === 1) {
      size = r.u64be(at + 8) ?? 0;
      body += 8;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < body - at) return;
    yield { type, body, end: Math.min(end, at + size) };
    at += size;
  }
}

export function mp4Duration(bytes: Uint8Array): number | null {
  const r = new ByteReader(bytes);
  for (const top of boxes(r, 0, r.length)) {
    if (top.type !== "moov") continue;
    for (const box of boxes(r, top.body, top.end)) {
      if (box.type !== "mvhd") continue;
      const v1 = r.u8(box.body) === 1;
      const timescale = r.u32be(box.body + (v1 ? 20 : 12));
      const duration = v1 ? r.u64be(box.body + 24) : r.u32be(box.body + 16);
      // All ones means "unknown" in both versions.
      if (!timescale || !duration || duration === 0xffffffff || duration >= 2 ** 53) return null;
      return duration / timescale;
    }
  }
  return null;
}
