// Sorts one received frame (after the handshake): a decoded message, or a bad frame with the ERROR the spec says to answer.
import { decodeMessage } from '../messages/codec.ts';
import type { DecodeError, ErrorMsg, OfpMessage } from '../messages/types.ts';
import { badRequest, badRequestCode } from './badFrame.ts';
import { HEADER_TYPE_OFFSET, HEADER_XID_OFFSET, OFP13_VERSION, OFPBRC_BAD_VERSION, OFPT_ERROR } from './constants.ts';

export type Inbound =
  | { kind: 'message'; msg: OfpMessage }
  | {
      kind: 'bad';
      xid: number;
      /** the raw ofp_type byte */
      typeNumber: number;
      error: DecodeError;
      /** ERROR BAD_REQUEST to send back; absent for a bad ERROR (never answer an ERROR with an ERROR) */
      answer?: ErrorMsg;
    };

/** frame is one whole frame from the Framer (at least a header long). */
export function classifyFrame(frame: Buffer): Inbound {
  const typeNumber = frame[HEADER_TYPE_OFFSET];
  const xid = frame.readUInt32BE(HEADER_XID_OFFSET);
  // ERRORs may carry another version (a peer reporting a problem in its own dialect)
  if (frame[0] !== OFP13_VERSION && typeNumber !== OFPT_ERROR) {
    const error: DecodeError = { code: 'bad_version', message: `wire version ${frame[0]} after negotiating 1.3`, offset: 0 };
    return { kind: 'bad', xid, typeNumber, error, answer: badRequest(xid, OFPBRC_BAD_VERSION, frame) };
  }
  const decoded = decodeMessage(frame);
  if (decoded.ok) return { kind: 'message', msg: decoded.value };
  // two confused peers answering each other's ERRORs would ping-pong forever
  const answer = typeNumber === OFPT_ERROR ? undefined : badRequest(xid, badRequestCode(decoded.error), frame);
  return answer ? { kind: 'bad', xid, typeNumber, error: decoded.error, answer } : { kind: 'bad', xid, typeNumber, error: decoded.error };
}
