// Annotates OXM matches, instructions and actions byte by byte, and says what the codec should decode them to.
import { EXPERIMENTER, OXM_CLASS, fieldByHeader, fieldInfo, formatValue } from './oxmTable.ts';

/** One annotated byte range of a golden vector. */
export interface Span {
  off: number;
  len: number;
  name: string;
  value?: string | number;
}

/** Collects spans; `base` turns offsets inside a sub-buffer into frame offsets. */
export class Annotator {
  readonly spans: Span[] = [];
  constructor(readonly buf: Buffer) {}
  add(off: number, len: number, name: string, value?: string | number): void {
    this.spans.push(value === undefined ? { off, len, name } : { off, len, name, value });
  }
  u8(off: number, name: string): number { const v = this.buf.readUInt8(off); this.add(off, 1, name, v); return v; }
  u16(off: number, name: string): number { const v = this.buf.readUInt16BE(off); this.add(off, 2, name, v); return v; }
  u32(off: number, name: string): number { const v = this.buf.readUInt32BE(off); this.add(off, 4, name, v); return v; }
  u64(off: number, name: string): string {
    const v = `${this.buf.readBigUInt64BE(off)}n`;
    this.add(off, 8, name, `0x${this.buf.readBigUInt64BE(off).toString(16)}`);
    return v;
  }
  pad(off: number, len: number): void { if (len > 0) this.add(off, len, 'pad'); }
}

/** Expected decoded values (a subset the golden test compares with toMatchObject). */
export type Expect = Record<string, unknown>;

const pad8 = (n: number): number => (n + 7) & ~7;

/** One OXM TLV at off; returns its total length and what the codec should decode it to. */
export function annotateOxm(a: Annotator, off: number, prefix: string): { len: number; expect: Expect } {
  const b = a.buf;
  const header = b.readUInt32BE(off);
  const cls = header >>> 16;
  const field = (header >>> 9) & 0x7f;
  const hasMask = (header & 0x100) !== 0;
  const len = header & 0xff;
  let body = off + 4;
  let experimenter: number | undefined;
  if (cls === OXM_CLASS.EXPERIMENTER) { experimenter = b.readUInt32BE(body); body += 4; }
  const info = fieldInfo(cls, field, experimenter);
  a.add(off, 4, `${prefix}.header`, `class=0x${cls.toString(16)} field=${field} hasmask=${hasMask} len=${len}${info ? ` (${info.name})` : ''}`);
  if (experimenter !== undefined) a.add(off + 4, 4, `${prefix}.experimenter`, `0x${experimenter.toString(16)}`);
  const payload = off + 4 + len - body;
  const valueLen = hasMask ? payload / 2 : payload;
  if (!info) {
    a.add(body, payload, `${prefix}.body`);
    return { len: 4 + len, expect: { field: 'unknown', oxmClass: cls, oxmField: field, hasMask } };
  }
  const value = formatValue(info.kind, b.subarray(body, body + valueLen));
  a.add(body, valueLen, `${prefix}.value`, value);
  const expect: Expect = { field: info.name, value };
  if (hasMask) {
    const mask = formatValue(info.kind, b.subarray(body + valueLen, body + 2 * valueLen));
    a.add(body + valueLen, valueLen, `${prefix}.mask`, mask);
    expect.mask = mask;
  }
  return { len: 4 + len, expect };
}

/** struct ofp_match (spec 7.2.3.1) at off; returns its padded length and the expected OXM list. */
export function annotateMatch(a: Annotator, off: number, prefix: string): { len: number; expect: Expect[] } {
  a.u16(off, `${prefix}.type`);
  const len = a.u16(off + 2, `${prefix}.length`);
  const oxms: Expect[] = [];
  for (let p = off + 4, i = 0; p < off + len; i++) {
    const r = annotateOxm(a, p, `${prefix}.oxm[${i}]`);
    oxms.push(r.expect);
    p += r.len;
  }
  a.pad(off + len, pad8(len) - len);
  return { len: pad8(len), expect: oxms };
}

/** Field slice encoded as an NXM header plus ofs/nBits. */
function slice(header: number, ofs: number, nBits: number): Expect {
  return { field: fieldByHeader(header)?.name ?? `unknown(0x${header.toString(16)})`, ofs, nBits };
}

const STANDARD_ACTIONS: Record<number, string> = {
  0: 'output', 11: 'copy_ttl_out', 12: 'copy_ttl_in', 15: 'set_mpls_ttl', 16: 'dec_mpls_ttl', 17: 'push_vlan',
  18: 'pop_vlan', 19: 'push_mpls', 20: 'pop_mpls', 21: 'set_queue', 22: 'group', 23: 'set_nw_ttl', 24: 'dec_nw_ttl',
  25: 'set_field', 26: 'push_pbb', 27: 'pop_pbb',
};
/** Nicira action subtypes (OVS lib/ofp-actions.c) and the codec's names for them. */
const NICIRA_ACTIONS: Record<number, string> = {
  1: 'resubmit', 6: 'reg_move', 7: 'reg_load', 8: 'note', 14: 'resubmit', 15: 'output_reg', 16: 'learn', 17: 'exit',
  18: 'dec_ttl', 20: 'controller', 21: 'dec_ttl', 33: 'set_field', 34: 'conjunction', 35: 'ct', 36: 'nat',
  37: 'controller2', 43: 'ct_clear', 44: 'resubmit',
};
const OFPAT_EXPERIMENTER = 0xffff;
/** 16-bit reserved ports start at 0xff00 (OFPP_MAX + 1 in OpenFlow 1.0); 32-bit ones are those plus 0xffff0000. */
const OFPP16_MAX_RESERVED_BASE = 0xff00;
const OFPP32_OFFSET = 0xffff0000;
/** Fixed part of nx_action_conntrack before its nested actions. */
const NX_CT_FIXED_LEN = 24;

/** A list of actions filling [off, end); returns what the codec should decode. */
export function annotateActions(a: Annotator, off: number, end: number, prefix: string): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const len = a.buf.readUInt16BE(p + 2);
    if (len < 8) throw new Error(`action at ${p} has length ${len}`);
    out.push(annotateAction(a, p, len, `${prefix}[${i}]`));
    p += len;
  }
  return out;
}

function annotateAction(a: Annotator, p: number, len: number, prefix: string): Expect {
  const type = a.buf.readUInt16BE(p);
  if (type !== OFPAT_EXPERIMENTER) {
    const name = STANDARD_ACTIONS[type] ?? 'unknown';
    a.add(p, 2, `${prefix}.type`, `${type} (${name})`);
    a.u16(p + 2, `${prefix}.len`);
    return { type: name, ...standardFields(a, p, len, name, prefix) };
  }
  a.add(p, 2, `${prefix}.type`, '0xffff (experimenter)');
  a.u16(p + 2, `${prefix}.len`);
  const exp = a.u32(p + 4, `${prefix}.experimenter`);
  if (exp !== EXPERIMENTER.NICIRA) { a.add(p + 8, len - 8, `${prefix}.data`); return { type: 'experimenter', experimenter: exp }; }
  const sub = a.buf.readUInt16BE(p + 8);
  const name = NICIRA_ACTIONS[sub] ?? 'experimenter';
  a.add(p + 8, 2, `${prefix}.subtype`, `${sub} (${name})`);
  return { type: name, ...niciraFields(a, p, len, sub, prefix) };
}

function standardFields(a: Annotator, p: number, len: number, name: string, prefix: string): Expect {
  switch (name) {
    case 'output': { const port = a.u32(p + 4, `${prefix}.port`); const maxLen = a.u16(p + 8, `${prefix}.max_len`); a.pad(p + 10, 6); return { port, maxLen }; }
    case 'group': return { groupId: a.u32(p + 4, `${prefix}.group_id`) };
    case 'set_queue': return { queueId: a.u32(p + 4, `${prefix}.queue_id`) };
    case 'push_vlan': case 'push_mpls': case 'pop_mpls': case 'push_pbb': { const ethertype = a.u16(p + 4, `${prefix}.ethertype`); a.pad(p + 6, 2); return { ethertype }; }
    case 'set_mpls_ttl': case 'set_nw_ttl': { const ttl = a.u8(p + 4, `${prefix}.ttl`); a.pad(p + 5, 3); return { ttl }; }
    case 'set_field': {
      const r = annotateOxm(a, p + 4, `${prefix}.field`);
      a.pad(p + 4 + r.len, len - 4 - r.len);
      return { field: r.expect };
    }
    default: a.pad(p + 4, len - 4); return {};
  }
}

function niciraFields(a: Annotator, p: number, len: number, sub: number, prefix: string): Expect {
  const b = a.buf;
  switch (sub) {
    case 1: case 14: case 44: {
      const port16 = a.u16(p + 10, `${prefix}.in_port`);
      // the codec speaks 32-bit port numbers: 16-bit reserved ports (OFPP_IN_PORT 0xfff8 ...) widen (OpenFlow 1.1 port mapping)
      const port = port16 >= OFPP16_MAX_RESERVED_BASE ? port16 + OFPP32_OFFSET : port16;
      const table = sub === 1 ? 255 : a.u8(p + 12, `${prefix}.table`);
      if (sub !== 1) a.pad(p + 13, 3); else a.pad(p + 12, 4);
      return { port, table, ct: sub === 44 };
    }
    case 6: {
      const nBits = a.u16(p + 10, `${prefix}.n_bits`); const so = a.u16(p + 12, `${prefix}.src_ofs`); const dofs = a.u16(p + 14, `${prefix}.dst_ofs`);
      const src = a.u32(p + 16, `${prefix}.src`); const dst = a.u32(p + 20, `${prefix}.dst`);
      return { src: slice(src, so, nBits), dst: slice(dst, dofs, nBits) };
    }
    case 33: {
      const r = annotateOxm(a, p + 10, `${prefix}.field`);
      a.pad(p + 10 + r.len, len - 10 - r.len);
      return { field: r.expect };
    }
    case 34: {
      const clause = a.u8(p + 10, `${prefix}.clause`); const nClauses = a.u8(p + 11, `${prefix}.n_clauses`); const id = a.u32(p + 12, `${prefix}.id`);
      return { id, clause, nClauses };
    }
    case 35: return ctFields(a, p, len, prefix);
    case 36: return natFields(a, p, len, prefix);
    case 20: {
      const maxLen = a.u16(p + 10, `${prefix}.max_len`); const controllerId = a.u16(p + 12, `${prefix}.controller_id`); const reason = a.u8(p + 14, `${prefix}.reason`);
      a.pad(p + 15, 1);
      return { maxLen, controllerId, reason };
    }
    case 15: {
      const ofsNbits = a.u16(p + 10, `${prefix}.ofs_nbits`); const src = a.u32(p + 12, `${prefix}.src`); const maxLen = a.u16(p + 16, `${prefix}.max_len`);
      a.pad(p + 18, 6);
      return { src: slice(src, ofsNbits >> 6, (ofsNbits & 0x3f) + 1), maxLen };
    }
    case 8: a.add(p + 10, len - 10, `${prefix}.note`, b.subarray(p + 10, p + len).toString('hex')); return {};
    default: if (len > 10) a.add(p + 10, len - 10, `${prefix}.body`); return {};
  }
}

/** nx_action_conntrack: flags, zone, recirculation table, alg, then nested actions (nat, set_field). */
function ctFields(a: Annotator, p: number, len: number, prefix: string): Expect {
  const flags = a.u16(p + 10, `${prefix}.flags`);
  const zoneSrc = a.u32(p + 12, `${prefix}.zone_src`);
  const zoneOfsNbits = a.u16(p + 16, `${prefix}.zone_imm_or_ofs_nbits`);
  const recircTable = a.u8(p + 18, `${prefix}.recirc_table`);
  a.pad(p + 19, 3);
  const alg = a.u16(p + 22, `${prefix}.alg`);
  const actions = annotateActions(a, p + NX_CT_FIXED_LEN, p + len, `${prefix}.actions`);
  const zone = zoneSrc === 0 ? { imm: zoneOfsNbits } : { src: slice(zoneSrc, zoneOfsNbits >> 6, (zoneOfsNbits & 0x3f) + 1) };
  // NX_CT_F_COMMIT = 1, NX_CT_F_FORCE = 2 (OVS nx_conntrack_flags)
  return { commit: (flags & 1) !== 0, force: (flags & 2) !== 0, zone, recircTable, alg, actions };
}

/** nx_action_nat flags and range-present bits (OVS nx_nat_flags / nx_nat_range). */
const NAT_F = { SRC: 1, DST: 2, PERSISTENT: 4, HASH: 8, RANDOM: 16 } as const;
const NAT_RANGES: [bit: number, name: string, len: number, kind: 'ipv4' | 'ipv6' | 'uint'][] = [
  [1, 'ipv4Min', 4, 'ipv4'], [2, 'ipv4Max', 4, 'ipv4'], [4, 'ipv6Min', 16, 'ipv6'], [8, 'ipv6Max', 16, 'ipv6'],
  [16, 'protoMin', 2, 'uint'], [32, 'protoMax', 2, 'uint'],
];

function natFields(a: Annotator, p: number, len: number, prefix: string): Expect {
  a.pad(p + 10, 2);
  const flags = a.u16(p + 12, `${prefix}.flags`);
  const present = a.u16(p + 14, `${prefix}.range_present`);
  const kind = flags & NAT_F.SRC ? 'src' : flags & NAT_F.DST ? 'dst' : null;
  const e: Expect = { kind, persistent: (flags & NAT_F.PERSISTENT) !== 0, hash: (flags & NAT_F.HASH) !== 0, random: (flags & NAT_F.RANDOM) !== 0 };
  let q = p + 16;
  for (const [bit, name, n, kind2] of NAT_RANGES) {
    if (!(present & bit)) continue;
    const v = formatValue(kind2, a.buf.subarray(q, q + n));
    a.add(q, n, `${prefix}.${name}`, v);
    e[name] = v;
    q += n;
  }
  a.pad(q, p + len - q);
  return e;
}

const INSTRUCTIONS: Record<number, string> = { 1: 'goto_table', 2: 'write_metadata', 3: 'write_actions', 4: 'apply_actions', 5: 'clear_actions', 6: 'meter', 0xffff: 'experimenter' };

/** Instructions filling [off, end) (spec 7.2.4). */
export function annotateInstructions(a: Annotator, off: number, end: number, prefix: string): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const type = a.buf.readUInt16BE(p);
    const len = a.buf.readUInt16BE(p + 2);
    const name = INSTRUCTIONS[type] ?? 'unknown';
    const pre = `${prefix}[${i}]`;
    a.add(p, 2, `${pre}.type`, `${type} (${name})`);
    a.u16(p + 2, `${pre}.len`);
    if (name === 'goto_table') { out.push({ type: name, tableId: a.u8(p + 4, `${pre}.table_id`) }); a.pad(p + 5, 3); }
    else if (name === 'write_metadata') { a.pad(p + 4, 4); out.push({ type: name, metadata: a.u64(p + 8, `${pre}.metadata`), mask: a.u64(p + 16, `${pre}.metadata_mask`) }); }
    else if (name === 'write_actions' || name === 'apply_actions') { a.pad(p + 4, 4); out.push({ type: name, actions: annotateActions(a, p + 8, p + len, `${pre}.actions`) }); }
    else if (name === 'clear_actions') { a.pad(p + 4, 4); out.push({ type: name }); }
    else if (name === 'meter') out.push({ type: name, meterId: a.u32(p + 4, `${pre}.meter_id`) });
    else { a.add(p + 4, len - 4, `${pre}.data`); out.push({ type: name }); }
    if (len < 8) throw new Error(`instruction at ${p} has length ${len}`);
    p += len;
  }
  return out;
}
