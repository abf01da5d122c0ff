// Turns a frame we could not take into the OpenFlow ERROR the spec asks a receiver to send (OFPET_BAD_REQUEST).
import type { DecodeError, ErrorMsg } from '../messages/types.ts';
import { ERROR_DATA_BYTES, OFP13_VERSION, OFPBRC_BAD_LEN, OFPBRC_BAD_TYPE, OFPBRC_BAD_VERSION, OFPET_BAD_REQUEST } from './constants.ts';

const CODE_NAMES: Record<number, string> = {
  [OFPBRC_BAD_VERSION]: 'OFPBRC_BAD_VERSION',
  [OFPBRC_BAD_TYPE]: 'OFPBRC_BAD_TYPE',
  [OFPBRC_BAD_LEN]: 'OFPBRC_BAD_LEN',
};

/** The OFPBRC_* code for a decode failure: type problems are BAD_TYPE, structural ones BAD_LEN. */
export function badRequestCode(error: DecodeError): number {
  switch (error.code) {
    case 'bad_version':
      return OFPBRC_BAD_VERSION;
    case 'unknown_type':
    case 'unsupported':
      return OFPBRC_BAD_TYPE;
    case 'truncated':
    case 'bad_length':
    case 'bad_value':
      return OFPBRC_BAD_LEN;
    default: {
      const never: never = error.code;
      return never;
    }
  }
}

/** ERROR BAD_REQUEST/code for the offending frame (xid copied, first 64 bytes as data). */
export function badRequest(xid: number, code: number, frame: Uint8Array): ErrorMsg {
  return {
    type: 'error',
    xid,
    version: OFP13_VERSION,
    errType: OFPET_BAD_REQUEST,
    errCode: code,
    typeName: 'OFPET_BAD_REQUEST',
    codeName: CODE_NAMES[code] ?? `UNKNOWN(${code})`,
    data: Buffer.from(frame.subarray(0, ERROR_DATA_BYTES)),
  };
}
