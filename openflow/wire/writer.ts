// Big-endian writer with a cursor over one preallocated Buffer (sized by an encodingLength pass).
export class Writer {
  pos = 0;

  constructor(readonly buf: Buffer) {}

  static alloc(n: number): Writer {
    // allocUnsafe is safe here: every byte is written (padding explicitly zeroed)
    return new Writer(Buffer.allocUnsafe(n));
  }

  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
  }

  u32(v: number): void {
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }

  u64(v: bigint): void {
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
  }

  zeros(n: number): void {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Writes `s` as latin1 NUL-padded (and truncated) to exactly n bytes. */
  fixedString(s: string, n: number): void {
    const written = this.buf.write(s.slice(0, n), this.pos, n, 'latin1');
    this.buf.fill(0, this.pos + written, this.pos + n);
    this.pos += n;
  }

  /** Overwrites a u16 already reserved at `at` (lengths known only after the body is written). */
  patchU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }
}

/** OpenFlow pads actions, instructions, matches and properties to 8-byte multiples (spec 7.2). */
export const OFP_ALIGN = 8;

export function pad8(n: number): number {
  return (n + 7) & ~7;
}
