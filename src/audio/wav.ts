/**
 * Duration of a RIFF/WAVE file: the data chunk's size over the format's byte rate. Writers that
 * stream (and cannot seek back to fill in sizes) leave 0 or 0xFFFFFFFF there; then the bytes that
 * follow the chunk header are the audio.
 */
import { ByteReader } from "./bytes.js";

const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

export function wavDuration(bytes: Uint8Array): number | null {
  const r = new ByteReader(bytes);
  if (r.ascii(0, 4) !== "RIFF" || r.ascii(8, 4) !== "WAVE") return null;
  let byteRate: number | null = null;
  for (let at = 12; r.has(at, 8); ) {
    const id = r.ascii(at, 4);
    const size = r.u32le(at + 4)!;
    const body = at + 8;
    if (id === "fmt ") byteRate = r.u32le(body + 8);
    if (id === "data") {
      if (!byteRate) return null;
      const available = r.length - body;
      const dataBytes = UNKNOWN_SIZES.has(size) || size > available ? available : size;
      return dataBytes / byteRate;
    }
    at = body + size + (size & 1); // chunks are padded to an even length
  }
  return null;
}
