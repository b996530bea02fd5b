/**
 * Which audio container an upload is, from its first bytes (never from the name or the declared
 * type, which a client may get wrong). The five formats are the ones the transcription API accepts
 * and browsers record: WebM and Ogg (Opus), WAV, MP3, MP4/M4A (AAC).
 */
export const AUDIO_FORMATS = ["webm", "ogg", "wav", "mp3", "m4a"] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

export const AUDIO_MEDIA_TYPE: Record<AudioFormat, string> = {
  webm: "audio/webm",
  ogg: "audio/ogg",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
};

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));

/** Size of an ID3v2 tag at the start (MP3 files often begin with one), 0 when there is none. */
export function id3Size(bytes: Uint8Array): number {
  if (!ascii(bytes, 0, "ID3") || bytes.length < 10) return 0;
  // Four 7-bit "synchsafe" bytes, plus the 10-byte header and an optional 10-byte footer.
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
}

/** An MPEG audio Layer III frame header starts here (11 sync bits, a valid version and layer). */
export function isMp3FrameHeader(bytes: Uint8Array, at: number): boolean {
  if (at + 4 > bytes.length || bytes[at] !== 0xff) return false;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  return (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) === 0x02 && (b2 & 0xf0) !== 0xf0 && (b2 & 0x0c) !== 0x0c;
}

export function sniffAudioFormat(bytes: Uint8Array): AudioFormat | null {
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return "webm";
  if (ascii(bytes, 0, "OggS")) return "ogg";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WAVE")) return "wav";
  if (ascii(bytes, 4, "ftyp")) return "m4a";
  if (isMp3FrameHeader(bytes, id3Size(bytes))) return "mp3";
  return null;
}
