// Field-slice helpers shared by the Nicira actions that name fields (reg_move, reg_load, output_reg, learn, ct).
import type { FieldSlice } from '../messages/types.ts';
import { readFieldHeader } from '../oxm/field.ts';
import type { Reader } from '../wire/reader.ts';

/** Reads a field header and pairs it with ofs/nBits; unknown fields fail 'unsupported' (the action is then kept raw). */
export function readSlice(r: Reader, ofs: number, nBits: number): FieldSlice {
  const at = r.pos;
  const field = readFieldHeader(r);
  if (field === undefined) r.fail('unsupported', 'action names an unknown field', at);
  return { field, ofs, nBits };
}

/** NXM ofs_nbits packs the offset in the top 10 bits and n_bits - 1 in the low 6. */
export function sliceFromOfsNbits(r: Reader, ofsNbits: number): FieldSlice {
  return readSlice(r, ofsNbits >>> 6, (ofsNbits & 0x3f) + 1);
}
