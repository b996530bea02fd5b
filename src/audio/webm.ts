/**
 * Duration of a WebM (Matroska) file. Files written in one pass have Segment/Info/Duration.
 * Browsers' MediaRecorder streams its output and never goes back to write it, and leaves the
 * Segment and Cluster sizes "unknown"; then the duration is where the last block ends: its
 * cluster's timecode + its own relative timecode + its length (BlockDuration, the track's
 * DefaultDuration, or the Opus packet's own frame count and size).
 *
 * The walk is flat: the master elements that matter are entered (whatever their size says) and
 * everything else is skipped by its size, so unknown sizes need no bookkeeping.
 */
import { ByteReader } from "./bytes.js";

const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  duration: 0x4489,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  codecId: 0x86,
  defaultDuration: 0x23e383,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  simpleBlock: 0xa3,
  blockGroup: 0xa0,
  block: 0xa1,
  blockDuration: 0x9b,
} as const;

const ENTERED: ReadonlySet<number> = new Set([ID.segment, ID.info, ID.tracks, ID.trackEntry, ID.cluster, ID.blockGroup]);
const DEFAULT_SCALE_NS = 1_000_000;

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer; `keepMarker` for element ids, which include their length bits. */
function vint(r: ByteReader, at: number, keepMarker: boolean): Vint | null {
  const first = r.u8(at);
  if (!first) return null; // 0 is not a valid first byte
  const length = Math.clz32(first) - 23;
  if (length > 8 || !r.has(at, length)) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === (0xff >> length);
  for (let i = 1; i < length; i++) {
    const b = r.bytes[at + i]!;
    value = value * 256 + b;
    allOnes &&= b === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function uint(r: ByteReader, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size && i < 8; i++) v = v * 256 + (r.u8(at + i) ?? 0);
  return v;
}

/** Milliseconds of audio in one Opus packet, from its table-of-contents byte (RFC 6716 §3.1). */
export function opusPacketMs(r: ByteReader, at: number, end: number): number {
  const toc = r.u8(at);
  if (toc === null || at >= end) return 0;
  const config = toc >> 3;
  const frameMs = config < 12 ? [10, 20, 40, 60][config & 3]! : config < 16 ? [10, 20][config & 1]! : [2.5, 5, 10, 20][config & 3]!;
  const code = toc & 3;
  const frames = code === 0 ? 1 : code === 3 ? (r.u8(at + 1) ?? 0) & 0x3f : 2;
  return frameMs * frames;
}

interface Track {
  codec: string;
  defaultDurationNs: number;
}

export function webmDuration(bytes: Uint8Array): number | null {
  const r = new ByteReader(bytes);
  let scaleNs = DEFAULT_SCALE_NS;
  let declared: number | null = null;
  const tracks = new Map<number, Track>();
  // The TrackEntry being read; kept once its children are over (a cluster starts after Tracks).
  let track: (Track & { number: number }) | null = null;
  const keepTrack = () => {
    if (track) tracks.set(track.number, track);
    track = null;
  };
  let clusterTime = 0;
  let endNs = 0;
  let lastBlockStartNs = 0;

  const block = (at: number, end: number) => {
    const number = vint(r, at, false);
    if (!number) return;
    const relative = r.u16be(at + number.length);
    const flags = r.u8(at + number.length + 2);
    if (relative === null || flags === null) return;
    const startNs = (clusterTime + ((relative << 16) >> 16)) * scaleNs; // the relative timecode is signed
    const t = tracks.get(number.value);
    let lengthNs = t?.defaultDurationNs ?? 0;
    const laced = (flags & 0x06) !== 0;
    if (!lengthNs && t?.codec === "A_OPUS" && !laced) lengthNs = opusPacketMs(r, at + number.length + 3, end) * 1e6;
    lastBlockStartNs = startNs;
    endNs = Math.max(endNs, startNs + lengthNs);
  };

  for (let at = 0; at < r.length; ) {
    const id = vint(r, at, true);
    const size = id && vint(r, at + id.length, false);
    if (!id || !size) break;
    const body = at + id.length + size.length;
    const end = size.unknown ? r.length : Math.min(r.length, body + size.value);
    if (id.value === ID.trackEntry) {
      keepTrack();
      track = { number: 0, codec: "", defaultDurationNs: 0 };
    }
    if (id.value === ID.cluster) {
      if (declared !== null) break; // the header said it; no need to walk the blocks
      keepTrack();
    }
    if (ENTERED.has(id.value)) {
      at = body;
      continue;
    }
    if (size.unknown) break; // an unknown-size element we do not understand: nothing after it is reliable
    switch (id.value) {
      case ID.timecodeScale: scaleNs = uint(r, body, size.value) || DEFAULT_SCALE_NS; break;
      case ID.duration: declared = size.value === 4 ? r.f32be(body) : size.value === 8 ? r.f64be(body) : null; break;
      case ID.trackNumber: if (track) track.number = uint(r, body, size.value); break;
      case ID.codecId: if (track) track.codec = r.ascii(body, Math.min(size.value, 64))?.replace(/\0+$/, "") ?? ""; break;
      case ID.defaultDuration: if (track) track.defaultDurationNs = uint(r, body, size.value); break;
      case ID.timecode: clusterTime = uint(r, body, size.value); break;
      case ID.simpleBlock:
      case ID.block: block(body, end); break;
      case ID.blockDuration: endNs = Math.max(endNs, lastBlockStartNs + uint(r, body, size.value) * scaleNs); break;
    }
    at = body + size.value;
  }
  if (declared !== null && Number.isFinite(declared) && declared > 0) return (declared * scaleNs) / 1e9;
  return endNs > 0 ? endNs / 1e9 : null;
}
