/** Bounds-checked little/big-endian reads over an upload; every read past the end returns null. */
export class ByteReader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  has(at: number, count: number): boolean {
    return at >= 0 && at + count <= this.bytes.length;
  }
  ascii(at: number, count: number): string | null {
    if (!this.has(at, count)) return null;
    return String.fromCharCode(...this.bytes.subarray(at, at + count));
  }
  u8(at: number): number | null {
    return this.has(at, 1) ? this.bytes[at]! : null;
  }
  u16le(at: number): number | null {
    return this.has(at, 2) ? this.view.getUint16(at, true) : null;
  }
  u16be(at: number): number | null {
    return this.has(at, 2) ? this.view.getUint16(at, false) : null;
  }
  u32le(at: number): number | null {
    return this.has(at, 4) ? this.view.getUint32(at, true) : null;
  }
  u32be(at: number): number | null {
    return this.has(at, 4) ? this.view.getUint32(at, false) : null;
  }
  /** 64-bit values as a double: exact up to 2^53, far beyond any sample count or byte size here. */
  u64le(at: number): number | null {
    return this.has(at, 8) ? this.view.getUint32(at + 4, true) * 2 ** 32 + this.view.getUint32(at, true) : null;
  }
  u64be(at: number): number | null {
    return this.has(at, 8) ? this.view.getUint32(at, false) * 2 ** 32 + this.view.getUint32(at + 4, false) : null;
  }
  f32be(at: number): number | null {
    return this.has(at, 4) ? this.view.getFloat32(at, false) : null;
  }
  f64be(at: number): number | null {
    return this.has(at, 8) ? this.view.getFloat64(at, false) : null;
  }
}
