// Encodes, decodes and sizes the standard OpenFlow 1.3 actions (spec 7.2.5) other than experimenter ones.
import * as C from '../constants/actions.ts';
import { OXM_HEADER_LEN } from '../constants/oxm.ts';
import type { Action } from '../messages/types.ts';
import { decodeOxm, oxmLength, encodeOxm } from '../oxm/field.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';

/** Actions whose 8 bytes are header and 4 bytes of padding. */
const BARE: Partial<Record<Action['type'], number>> = {
  copy_ttl_out: C.OFPAT_COPY_TTL_OUT,
  copy_ttl_in: C.OFPAT_COPY_TTL_IN,
  dec_mpls_ttl: C.OFPAT_DEC_MPLS_TTL,
  pop_vlan: C.OFPAT_POP_VLAN,
  dec_nw_ttl: C.OFPAT_DEC_NW_TTL,
  pop_pbb: C.OFPAT_POP_PBB,
};
const BARE_BY_CODE = new Map<number, Action>(Object.entries(BARE).map(([t, c]) => [c!, { type: t } as Action]));

/** Bytes of a standard action, or -1 when the action is not a standard one. */
export function standardActionLength(a: Action): number {
  switch (a.type) {
    case 'output':
      return C.OFP_ACTION_OUTPUT_LEN;
    case 'set_field':
      return pad8(C.OFP_ACTION_HEADER_LEN + oxmLength(a.field));
    case 'unknown':
      return pad8(C.OFP_ACTION_HEADER_LEN + a.data.length);
    case 'copy_ttl_out': case 'copy_ttl_in': case 'dec_mpls_ttl': case 'pop_vlan': case 'dec_nw_ttl': case 'pop_pbb':
    case 'set_mpls_ttl': case 'push_vlan': case 'push_mpls': case 'pop_mpls': case 'set_queue': case 'group':
    case 'set_nw_ttl': case 'push_pbb':
      return C.OFP_ACTION_MIN_LEN;
    default:
      return -1;
  }
}

function header(w: Writer, type: number, len: number): void {
  w.u16(type);
  w.u16(len);
}

/** Writes a standard action; returns false if `a` is not one (the caller then tries the extensions). */
export function encodeStandardAction(w: Writer, a: Action): boolean {
  switch (a.type) {
    case 'output':
      header(w, C.OFPAT_OUTPUT, C.OFP_ACTION_OUTPUT_LEN);
      w.u32(a.port);
      w.u16(a.maxLen);
      w.zeros(6);
      return true;
    case 'set_mpls_ttl':
    case 'set_nw_ttl':
      header(w, a.type === 'set_mpls_ttl' ? C.OFPAT_SET_MPLS_TTL : C.OFPAT_SET_NW_TTL, C.OFP_ACTION_MIN_LEN);
      w.u8(a.ttl);
      w.zeros(3);
      return true;
    case 'push_vlan':
    case 'push_mpls':
    case 'pop_mpls':
    case 'push_pbb': {
      const code = { push_vlan: C.OFPAT_PUSH_VLAN, push_mpls: C.OFPAT_PUSH_MPLS, pop_mpls: C.OFPAT_POP_MPLS, push_pbb: C.OFPAT_PUSH_PBB }[a.type];
      header(w, code, C.OFP_ACTION_MIN_LEN);
      w.u16(a.ethertype);
      w.zeros(2);
      return true;
    }
    case 'set_queue':
      header(w, C.OFPAT_SET_QUEUE, C.OFP_ACTION_MIN_LEN);
      w.u32(a.queueId);
      return true;
    case 'group':
      header(w, C.OFPAT_GROUP, C.OFP_ACTION_MIN_LEN);
      w.u32(a.groupId);
      return true;
    case 'set_field': {
      const start = w.pos;
      header(w, C.OFPAT_SET_FIELD, 0);
      encodeOxm(w, a.field);
      w.patchU16(start + 2, w.padFrom(start));
      return true;
    }
    case 'unknown': {
      const len = pad8(C.OFP_ACTION_HEADER_LEN + a.data.length);
      header(w, a.actionType, len);
      w.bytes(a.data);
      w.zeros(len - C.OFP_ACTION_HEADER_LEN - a.data.length);
      return true;
    }
    default: {
      const code = BARE[a.type];
      if (code === undefined) return false;
      header(w, code, C.OFP_ACTION_MIN_LEN);
      w.zeros(4);
      return true;
    }
  }
}

/** Decodes the body of a standard action (the reader is narrowed to it, header already read). */
export function decodeStandardAction(r: Reader, type: number): Action {
  const bare = BARE_BY_CODE.get(type);
  if (bare !== undefined) return { ...bare };
  switch (type) {
    case C.OFPAT_OUTPUT: {
      const port = r.u32();
      const maxLen = r.u16();
      return { type: 'output', port, maxLen };
    }
    case C.OFPAT_SET_MPLS_TTL:
      return { type: 'set_mpls_ttl', ttl: r.u8() };
    case C.OFPAT_SET_NW_TTL:
      return { type: 'set_nw_ttl', ttl: r.u8() };
    case C.OFPAT_PUSH_VLAN:
      return { type: 'push_vlan', ethertype: r.u16() };
    case C.OFPAT_PUSH_MPLS:
      return { type: 'push_mpls', ethertype: r.u16() };
    case C.OFPAT_POP_MPLS:
      return { type: 'pop_mpls', ethertype: r.u16() };
    case C.OFPAT_PUSH_PBB:
      return { type: 'push_pbb', ethertype: r.u16() };
    case C.OFPAT_SET_QUEUE:
      return { type: 'set_queue', queueId: r.u32() };
    case C.OFPAT_GROUP:
      return { type: 'group', groupId: r.u32() };
    case C.OFPAT_SET_FIELD: {
      const at = r.pos;
      r.need(OXM_HEADER_LEN, 'set_field');
      const field = decodeOxm(r);
      // unknown or masked fields (not valid in OpenFlow 1.3) are kept byte for byte
      if (field.field !== 'unknown' && field.mask === undefined) return { type: 'set_field', field };
      r.pos = at;
      return { type: 'unknown', actionType: type, data: r.bytes(r.remaining) };
    }
    default:
      return { type: 'unknown', actionType: type, data: r.bytes(r.remaining) };
  }
}
