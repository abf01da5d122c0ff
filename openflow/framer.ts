// Splits a TCP byte stream into whole OpenFlow frames (split and coalesced reads), refusing absurd lengths.
import type { DecodeError } from './messages/types.ts';

/** ofp_header is 8 bytes (spec 7.1); length is the u16 at offset 2. */
const OFP_HEADER_LEN = 8;
const LENGTH_OFFSET = 2;
/** The largest length a u16 can express. */
const MAX_OFP_LENGTH = 0xffff;

export interface FramerOptions {
  /** frames longer than this are refused (default and ceiling 65535) */
  maxFrameLength?: number;
}

export class Framer {
  private readonly maxFrameLength: number;
  private pending: Buffer = Buffer.alloc(0);
  /** bytes consumed before `pending`, so errors report a stream offset */
  private consumed = 0;
  private failed: DecodeError | undefined;

  constructor(opts: FramerOptions = {}) {
    this.maxFrameLength = Math.min(opts.maxFrameLength ?? MAX_OFP_LENGTH, MAX_OFP_LENGTH);
  }

  /**
   * Adds bytes and returns every frame now complete. After an error the stream is out of sync:
   * the error is returned again on every later push and no more frames come out.
   */
  push(chunk: Uint8Array): { frames: Buffer[]; error?: DecodeError } {
    if (this.failed) return { frames: [], error: this.failed };
    const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? incoming : Buffer.concat([this.pending, incoming]);
    const frames: Buffer[] = [];
    let off = 0;
    while (buf.length - off >= OFP_HEADER_LEN) {
      const len = buf.readUInt16BE(off + LENGTH_OFFSET);
      if (len < OFP_HEADER_LEN || len > this.maxFrameLength) {
        this.failed = {
          code: 'bad_length',
          message: `frame length ${len} outside ${OFP_HEADER_LEN}..${this.maxFrameLength}`,
          offset: this.consumed + off + LENGTH_OFFSET,
        };
        this.pending = Buffer.alloc(0);
        return { frames, error: this.failed };
      }
      if (buf.length - off < len) break;
      // copy so a frame never pins (or aliases) a caller's larger read buffer
      frames.push(Buffer.from(buf.subarray(off, off + len)));
      off += len;
    }
    this.consumed += off;
    this.pending = off === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(off));
    return { frames };
  }

  /** Bytes held waiting for the rest of a frame. */
  get bufferedBytes(): number {
    return this.pending.length;
  }
}
