// Big-endian writer with a cursor over one preallocated Buffer (sized by an encodingLength pass).
const TWO_32 = 2 ** 32;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const U32_BIG = 0xffffffffn;
const TWO_64_BIG = 1n << 64n;

export class Writer {
  pos = 0;

  constructor(readonly buf: Buffer) {}

  static alloc(n: number): Writer {
    // allocUnsafe is safe here: every byte is written (padding explicitly zeroed)
    return new Writer(Buffer.allocUnsafe(n));
  }

  // Direct byte stores: Buffer's write*BE methods validate arguments and cost several times more.
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 8;
    b[p + 1] = v;
    this.pos = p + 2;
  }

  u32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = v >>> 16;
    b[p + 2] = v >>> 8;
    b[p + 3] = v;
    this.pos = p + 4;
  }

  u64(v: bigint): void {
    let hi: number;
    let lo: number;
    if (v >= 0n && v <= MAX_SAFE_BIG) {
      // most u64s (cookies aside) are small: one BigInt->Number conversion instead of shifts and masks
      const n = Number(v);
      hi = Math.floor(n / TWO_32);
      lo = n - hi * TWO_32;
    } else {
      const u = v >= 0n && v < TWO_64_BIG ? v : BigInt.asUintN(64, v);
      hi = Number(u >> 32n);
      lo = Number(u & U32_BIG);
    }
    this.u32(hi);
    this.u32(lo);
  }

  zeros(n: number): void {
    const b = this.buf;
    const end = this.pos + n;
    for (let p = this.pos; p < end; p++) b[p] = 0;
    this.pos = end;
  }

  /** Overwrites a u16 reserved earlier at `at` (TLV lengths are patched once the body is written). */
  patchU16(at: number, v: number): void {
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v;
  }

  /** Zero-pads from `start` to the next multiple of 8 and returns the padded length. */
  padFrom(start: number): number {
    const len = pad8(this.pos - start);
    this.zeros(start + len - this.pos);
    return len;
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

}

/** OpenFlow pads actions, instructions, matches and properties to 8-byte multiples (spec 7.2). */
export function pad8(n: number): number {
  return (n + 7) & ~7;
}
