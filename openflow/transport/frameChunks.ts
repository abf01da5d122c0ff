// A batch of outgoing messages encoded straight into socket-sized chunks: one Buffer per chunk, not one per frame.
import { OFP_MAX_LENGTH } from '../constants/messages.ts';
import { encodeInto } from '../messages/codec.ts';
import type { OfpMessage } from '../messages/types.ts';
import { EncodeError } from '../wire/errors.ts';
import { Writer } from '../wire/writer.ts';
import type { Outgoing } from './outgoing.ts';

export interface FrameChunk {
  bytes: Buffer;
  frames: number;
}

/**
 * Where the frames of a chunk are encoded: room for a full chunk plus one more legal frame and slack, so a
 * frame that crosses the chunk's end is finished before it moves to the next chunk (as in codec.ts, writes
 * past the end are dropped and the length check rejects the frame).
 */
let staging: Writer | undefined;

function stagingFor(maxBytes: number): Writer {
  const size = maxBytes + 2 * (OFP_MAX_LENGTH + 1);
  if (!staging || staging.buf.length < size) staging = new Writer(Buffer.alloc(size));
  return staging;
}

/**
 * Encodes `msgs` (each framed with its xid) back to back into chunks of at most `maxBytes` (a longer
 * frame alone in its chunk), all of them before anything is written, so a message that cannot be encoded
 * fails the batch before its first byte: `failed(index, error)` gives the error to throw. A Buffer per
 * frame copied again into its chunk cost an object and a second copy per flow_mod (14,000 of them in
 * a 1000-port bring-up); here each frame is copied once, into a chunk of exactly its size.
 */
export function encodeChunks(
  msgs: readonly Outgoing[],
  xids: readonly number[],
  maxBytes: number,
  failed: (index: number, error: unknown) => Error,
): FrameChunk[] {
  const w = stagingFor(maxBytes);
  const chunks: FrameChunk[] = [];
  const cut = (end: number, frames: number): void => {
    const bytes = Buffer.allocUnsafe(end);
    w.buf.copy(bytes, 0, 0, end);
    chunks.push({ bytes, frames });
  };
  w.pos = 0;
  let frames = 0;
  for (let i = 0; i < msgs.length; i++) {
    const start = w.pos;
    try {
      // the body encoders never read the xid: the header takes it from xids[i]
      encodeInto(w, msgs[i] as OfpMessage, xids[i]);
    } catch (e) {
      const error = e instanceof RangeError ? new EncodeError(`${msgs[i].type} exceeds the OpenFlow maximum of 65535 bytes`) : e;
      throw failed(i, error);
    }
    if (w.pos > maxBytes && frames > 0) {
      // this frame would overflow the chunk: the chunk ends before it, and it starts the next one
      cut(start, frames);
      w.buf.copyWithin(0, start, w.pos);
      w.pos -= start;
      frames = 0;
    }
    frames++;
  }
  if (frames > 0) cut(w.pos, frames);
  return chunks;
}
