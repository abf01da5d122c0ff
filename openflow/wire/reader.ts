// Bounds-checked big-endian reader over one frame; every read past `end` fails with a typed 'truncated'.
import { DecodeFailure } from './errors.ts';

export class Reader {
  pos: number;
  end: number;

  constructor(
    readonly buf: Buffer,
    pos = 0,
    end = buf.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (this.end - this.pos < n) {
      throw new DecodeFailure('truncated', `${what}: need ${n} bytes, have ${this.end - this.pos}`, this.pos);
    }
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++];
  }

  // direct byte loads: cheaper than Buffer's read*BE, and bounds are already checked by need()
  u16(): number {
    this.need(2, 'u16');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u32(): number {
    this.need(4, 'u32');
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  u64(): bigint {
    this.need(8, 'u64');
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  skip(n: number): void {
    this.need(n, 'padding');
    this.pos += n;
  }

  /** A copy of the next n bytes (copies so decoded values never alias the caller's buffer). */
  bytes(n: number): Buffer {
    this.need(n, 'bytes');
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** NUL-padded fixed-width ASCII string, as in ofp_port.name and ofp_desc. */
  fixedString(n: number): string {
    this.need(n, 'string');
    let stop = this.pos;
    const limit = this.pos + n;
    while (stop < limit && this.buf[stop] !== 0) stop++;
    const s = this.buf.toString('latin1', this.pos, stop);
    this.pos = limit;
    return s;
  }

  /**
   * Runs `fn` with the readable window narrowed to the next `len` bytes (a TLV body), then moves
   * past them. Fails with 'bad_length' if the TLV claims more than is there.
   */
  within<T>(len: number, what: string, fn: () => T): T {
    if (len > this.end - this.pos) {
      throw new DecodeFailure('bad_length', `${what}: length ${len} exceeds the ${this.end - this.pos} bytes left`, this.pos);
    }
    const savedEnd = this.end;
    const stop = this.pos + len;
    this.end = stop;
    try {
      return fn();
    } finally {
      this.end = savedEnd;
      this.pos = stop;
    }
  }

  fail(code: 'bad_length' | 'bad_value' | 'unknown_type' | 'unsupported' | 'bad_version', message: string, at = this.pos): never {
    throw new DecodeFailure(code, message, at);
  }
}
