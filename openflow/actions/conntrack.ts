// Bodies of NXAST_CT (conntrack, with nested actions) and NXAST_NAT (OVS nicira-ext.h nx_action_conntrack / nx_action_nat).
import * as C from '../constants/actions.ts';
import type { CtAction, NatAction } from '../messages/types.ts';
import { writeFieldHeader } from '../oxm/field.ts';
import { IPV4_LEN, IPV6_LEN, readIpv4, readIpv6, writeIpv4, writeIpv6 } from '../wire/addr.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import { actionsLength, decodeActions, encodeActions } from './list.ts';
import { requireShortHeader } from './nicira.ts';
import { sliceFromOfsNbits } from './nxCommon.ts';

const PROTO_LEN = 2;

export function ctLength(a: CtAction): number {
  return C.NX_ACTION_CT_LEN + actionsLength(a.actions);
}

/** Writes the body after the Nicira subtype. */
export function encodeCt(w: Writer, a: CtAction): void {
  w.u16((a.commit ? C.NX_CT_F_COMMIT : 0) | (a.force ? C.NX_CT_F_FORCE : 0));
  if ('imm' in a.zone) {
    w.u32(0); // zone_src 0 = immediate zone
    w.u16(a.zone.imm);
  } else {
    requireShortHeader(a.zone.src.field, 'ct zone');
    writeFieldHeader(w, a.zone.src.field);
    w.u16((a.zone.src.ofs << 6) | (a.zone.src.nBits - 1));
  }
  w.u8(a.recircTable);
  w.zeros(3);
  w.u16(a.alg);
  encodeActions(w, a.actions);
}

/**
 * ct inside ct's nested actions is meaningless (OVS refuses it); a small bound keeps hostile input
 * from recursing thousands of levels deep.
 */
const MAX_CT_NESTING = 2;
let ctDepth = 0;

export function decodeCt(r: Reader): CtAction {
  if (ctDepth >= MAX_CT_NESTING) r.fail('bad_value', `ct nested more than ${MAX_CT_NESTING} deep`);
  ctDepth++;
  try {
    return decodeCtBody(r);
  } finally {
    ctDepth--;
  }
}

function decodeCtBody(r: Reader): CtAction {
  const flags = r.u16();
  const srcAt = r.pos;
  const zoneSrc = r.u32();
  let zone: CtAction['zone'];
  if (zoneSrc === 0) {
    zone = { imm: r.u16() };
  } else {
    // the field header comes before ofs_nbits here, so read it back after peeking ofs_nbits
    r.need(2, 'ct zone');
    const ofsNbits = r.buf.readUInt16BE(r.pos);
    const end = r.pos + 2;
    r.pos = srcAt;
    zone = { src: sliceFromOfsNbits(r, ofsNbits) };
    r.pos = end;
  }
  const recircTable = r.u8();
  r.skip(3);
  const alg = r.u16();
  const actions = decodeActions(r, r.remaining);
  return {
    type: 'ct',
    commit: (flags & C.NX_CT_F_COMMIT) !== 0,
    force: (flags & C.NX_CT_F_FORCE) !== 0,
    zone,
    recircTable,
    alg,
    actions,
  };
}

export function natLength(a: NatAction): number {
  let n = C.NX_ACTION_NAT_LEN;
  if (a.ipv4Min !== undefined) n += IPV4_LEN;
  if (a.ipv4Max !== undefined) n += IPV4_LEN;
  if (a.ipv6Min !== undefined) n += IPV6_LEN;
  if (a.ipv6Max !== undefined) n += IPV6_LEN;
  if (a.protoMin !== undefined) n += PROTO_LEN;
  if (a.protoMax !== undefined) n += PROTO_LEN;
  return pad8(n);
}

export function encodeNat(w: Writer, a: NatAction): void {
  w.zeros(2);
  let flags = a.kind === 'src' ? C.NX_NAT_F_SRC : a.kind === 'dst' ? C.NX_NAT_F_DST : 0;
  if (a.persistent) flags |= C.NX_NAT_F_PERSISTENT;
  if (a.hash) flags |= C.NX_NAT_F_PROTO_HASH;
  if (a.random) flags |= C.NX_NAT_F_PROTO_RANDOM;
  let present = 0;
  if (a.ipv4Min !== undefined) present |= C.NX_NAT_RANGE_IPV4_MIN;
  if (a.ipv4Max !== undefined) present |= C.NX_NAT_RANGE_IPV4_MAX;
  if (a.ipv6Min !== undefined) present |= C.NX_NAT_RANGE_IPV6_MIN;
  if (a.ipv6Max !== undefined) present |= C.NX_NAT_RANGE_IPV6_MAX;
  if (a.protoMin !== undefined) present |= C.NX_NAT_RANGE_PROTO_MIN;
  if (a.protoMax !== undefined) present |= C.NX_NAT_RANGE_PROTO_MAX;
  w.u16(flags);
  w.u16(present);
  if (a.ipv4Min !== undefined) writeIpv4(w, a.ipv4Min);
  if (a.ipv4Max !== undefined) writeIpv4(w, a.ipv4Max);
  if (a.ipv6Min !== undefined) writeIpv6(w, a.ipv6Min);
  if (a.ipv6Max !== undefined) writeIpv6(w, a.ipv6Max);
  if (a.protoMin !== undefined) w.u16(a.protoMin);
  if (a.protoMax !== undefined) w.u16(a.protoMax);
}

export function decodeNat(r: Reader): NatAction {
  r.skip(2);
  const flags = r.u16();
  const present = r.u16();
  const kind = flags & C.NX_NAT_F_SRC ? 'src' : flags & C.NX_NAT_F_DST ? 'dst' : null;
  const nat: NatAction = {
    type: 'nat',
    kind,
    persistent: (flags & C.NX_NAT_F_PERSISTENT) !== 0,
    hash: (flags & C.NX_NAT_F_PROTO_HASH) !== 0,
    random: (flags & C.NX_NAT_F_PROTO_RANDOM) !== 0,
  };
  if (present & C.NX_NAT_RANGE_IPV4_MIN) nat.ipv4Min = readIpv4(r);
  if (present & C.NX_NAT_RANGE_IPV4_MAX) nat.ipv4Max = readIpv4(r);
  if (present & C.NX_NAT_RANGE_IPV6_MIN) nat.ipv6Min = readIpv6(r);
  if (present & C.NX_NAT_RANGE_IPV6_MAX) nat.ipv6Max = readIpv6(r);
  if (present & C.NX_NAT_RANGE_PROTO_MIN) nat.protoMin = r.u16();
  if (present & C.NX_NAT_RANGE_PROTO_MAX) nat.protoMax = r.u16();
  return nat;
}
