// Encodes, decodes and sizes struct ofp_match (OFPMT_OXM, spec 7.2.3.1): OXM TLVs in order, padded to 8.
import { OFP_MATCH_HEADER_LEN, OFPMT_OXM } from '../constants/oxm.ts';
import type { Match } from '../messages/types.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import { decodeOxm, encodeOxm, oxmLength } from './field.ts';

/** Length without trailing padding (what ofp_match.length holds). */
function unpaddedLength(m: Match): number {
  let n = OFP_MATCH_HEADER_LEN;
  for (let i = 0; i < m.length; i++) n += oxmLength(m[i]);
  return n;
}

export function matchLength(m: Match): number {
  return pad8(unpaddedLength(m));
}

export function encodeMatch(w: Writer, m: Match): void {
  const start = w.pos;
  w.u16(OFPMT_OXM);
  w.u16(0); // patched below: one pass instead of sizing the fields twice
  for (let i = 0; i < m.length; i++) encodeOxm(w, m[i]);
  const len = w.pos - start;
  w.patchU16(start + 2, len);
  w.zeros(pad8(len) - len);
}

export function decodeMatch(r: Reader): Match {
  const start = r.pos;
  const type = r.u16();
  const len = r.u16();
  if (type !== OFPMT_OXM) r.fail('unsupported', `match type ${type} (only OFPMT_OXM)`, start);
  if (len < OFP_MATCH_HEADER_LEN) r.fail('bad_length', `match length ${len}`, start + 2);
  const fields: Match = [];
  r.within(len - OFP_MATCH_HEADER_LEN, 'match', () => {
    while (r.remaining > 0) fields.push(decodeOxm(r));
  });
  r.skip(pad8(len) - len);
  return fields;
}
