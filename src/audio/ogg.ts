/**
 * Duration of an Ogg file (Opus or Vorbis): the granule position of the stream's last page is its
 * sample count at the codec's rate (48 kHz for Opus, minus the encoder's pre-skip, which the
 * decoder drops; the stream's own rate for Vorbis).
 */
import { ByteReader } from "./bytes.js";

const NO_GRANULE = 2 ** 64 - 1; // -1 as unsigned: "no packet ends on this page"
const OPUS_RATE = 48_000;

interface Page {
  serial: number;
  granule: number;
  dataStart: number;
  dataEnd: number;
}

function* pages(r: ByteReader): Generator<Page> {
  for (let at = 0; r.ascii(at, 4) === "OggS"; ) {
    const segments = r.u8(at + 26);
    if (segments === null || !r.has(at + 27, segments)) return;
    let size = 0;
    for (let i = 0; i < segments; i++) size += r.bytes[at + 27 + i]!;
    const dataStart = at + 27 + segments;
    if (!r.has(dataStart, size)) return; // a truncated last page: its granule is not reliable
    yield { serial: r.u32le(at + 14)!, granule: r.u64le(at + 6)!, dataStart, dataEnd: dataStart + size };
    at = dataStart + size;
  }
}

export function oggDuration(bytes: Uint8Array): number | null {
  const r = new ByteReader(bytes);
  let serial: number | null = null;
  let rate = 0;
  let preSkip = 0;
  let lastGranule: number | null = null;
  for (const page of pages(r)) {
    if (serial === null) {
      // The first page carries the codec's identification header.
      serial = page.serial;
      if (r.ascii(page.dataStart, 8) === "OpusHead") {
        rate = OPUS_RATE;
        preSkip = r.u16le(page.dataStart + 10) ?? 0;
      } else if (r.u8(page.dataStart) === 1 && r.ascii(page.dataStart + 1, 6) === "vorbis") {
        rate = r.u32le(page.dataStart + 12) ?? 0;
      } else {
        return null;
      }
      continue;
    }
    if (page.serial === serial && page.granule !== NO_GRANULE) lastGranule = page.granule;
  }
  if (!rate || lastGranule === null) return null;
  return Math.max(0, lastGranule - preSkip) / rate;
}
