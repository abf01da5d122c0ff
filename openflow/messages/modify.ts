// Codecs of the controller-to-switch modifications: flow_mod, group_mod with buckets, meter_mod with bands (spec 7.3.4).
import { actionsLength, decodeActions, encodeActions } from '../actions/list.ts';
import * as M from '../constants/messages.ts';
import { decodeInstructions, encodeInstructions, instructionsLength } from '../instructions/instructions.ts';
import { decodeMatch, encodeMatch, matchLength } from '../oxm/match.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import type { Bucket, FlowMod, GroupMod, MeterBand, MeterMod } from './types.ts';

function indexOrThrow<T extends string>(list: readonly T[], v: T, what: string): number {
  const i = list.indexOf(v);
  if (i < 0) throw new EncodeError(`unknown ${what} '${v}'`);
  return i;
}

function named<T>(r: Reader, list: readonly T[], n: number, what: string, at: number): T {
  const v = list[n];
  if (v === undefined) r.fail('bad_value', `${what} ${n}`, at);
  return v;
}

// --- flow_mod (spec 7.3.4.1)

export function flowModLength(m: FlowMod): number {
  return M.OFP_FLOW_MOD_FIXED_LEN + matchLength(m.match) + instructionsLength(m.instructions);
}

export function encodeFlowMod(w: Writer, m: FlowMod): void {
  w.u64(m.cookie);
  w.u64(m.cookieMask);
  w.u8(m.tableId);
  w.u8(indexOrThrow(M.FLOW_MOD_COMMANDS, m.command, 'flow_mod command'));
  w.u16(m.idleTimeout);
  w.u16(m.hardTimeout);
  w.u16(m.priority);
  w.u32(m.bufferId);
  w.u32(m.outPort);
  w.u32(m.outGroup);
  w.u16(m.flags);
  w.zeros(2);
  encodeMatch(w, m.match);
  encodeInstructions(w, m.instructions);
}

export function decodeFlowMod(r: Reader, xid: number): FlowMod {
  const cookie = r.u64();
  const cookieMask = r.u64();
  const tableId = r.u8();
  const commandAt = r.pos;
  const command = named(r, M.FLOW_MOD_COMMANDS, r.u8(), 'flow_mod command', commandAt);
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const priority = r.u16();
  const bufferId = r.u32();
  const outPort = r.u32();
  const outGroup = r.u32();
  const flags = r.u16();
  r.skip(2);
  const match = decodeMatch(r);
  const instructions = decodeInstructions(r);
  return {
    type: 'flow_mod', xid, cookie, cookieMask, tableId, command, idleTimeout, hardTimeout, priority, bufferId, outPort,
    outGroup, flags, match, instructions,
  };
}

// --- buckets and group_mod (spec 7.3.4.2)

export function bucketsLength(buckets: readonly Bucket[]): number {
  let n = 0;
  for (const b of buckets) n += M.OFP_BUCKET_FIXED_LEN + actionsLength(b.actions);
  return n;
}

export function encodeBuckets(w: Writer, buckets: readonly Bucket[]): void {
  for (const b of buckets) {
    w.u16(M.OFP_BUCKET_FIXED_LEN + actionsLength(b.actions));
    w.u16(b.weight);
    w.u32(b.watchPort);
    w.u32(b.watchGroup);
    w.zeros(4);
    encodeActions(w, b.actions);
  }
}

/** Decodes buckets until the reader's window ends. */
export function decodeBuckets(r: Reader): Bucket[] {
  const out: Bucket[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    const len = r.u16();
    if (len < M.OFP_BUCKET_FIXED_LEN) r.fail('bad_length', `bucket length ${len}`, at);
    const weight = r.u16();
    const watchPort = r.u32();
    const watchGroup = r.u32();
    r.skip(4);
    out.push({ weight, watchPort, watchGroup, actions: decodeActions(r, len - M.OFP_BUCKET_FIXED_LEN) });
  }
  return out;
}

export function groupModLength(m: GroupMod): number {
  return M.OFP_GROUP_MOD_FIXED_LEN + bucketsLength(m.buckets);
}

export function encodeGroupMod(w: Writer, m: GroupMod): void {
  w.u16(indexOrThrow(M.GROUP_MOD_COMMANDS, m.command, 'group_mod command'));
  w.u8(indexOrThrow(M.GROUP_TYPES, m.groupType, 'group type'));
  w.u8(0);
  w.u32(m.groupId);
  encodeBuckets(w, m.buckets);
}

export function decodeGroupMod(r: Reader, xid: number): GroupMod {
  const at = r.pos;
  const command = named(r, M.GROUP_MOD_COMMANDS, r.u16(), 'group_mod command', at);
  const groupType = named(r, M.GROUP_TYPES, r.u8(), 'group type', at + 2);
  r.skip(1);
  const groupId = r.u32();
  return { type: 'group_mod', xid, command, groupType, groupId, buckets: decodeBuckets(r) };
}

// --- meter bands and meter_mod (spec 7.3.4.4)

export function bandLength(b: MeterBand): number {
  return b.kind === 'experimenter' ? pad8(M.OFP_METER_BAND_LEN + b.data.length) : M.OFP_METER_BAND_LEN;
}

export function bandsLength(bands: readonly MeterBand[]): number {
  let n = 0;
  for (const b of bands) n += bandLength(b);
  return n;
}

export function encodeBands(w: Writer, bands: readonly MeterBand[]): void {
  for (const b of bands) {
    const len = bandLength(b);
    const start = w.pos;
    w.u16(b.kind === 'drop' ? M.OFPMBT_DROP : b.kind === 'dscp_remark' ? M.OFPMBT_DSCP_REMARK : M.OFPMBT_EXPERIMENTER);
    w.u16(len);
    w.u32(b.rate);
    w.u32(b.burstSize);
    if (b.kind === 'dscp_remark') w.u8(b.precLevel);
    if (b.kind === 'experimenter') {
      w.u32(b.experimenter);
      w.bytes(b.data);
    }
    w.zeros(start + len - w.pos);
  }
}

export function decodeBands(r: Reader): MeterBand[] {
  const out: MeterBand[] = [];
  while (r.remaining > 0) {
    const at = r.pos;
    const type = r.u16();
    const len = r.u16();
    if (len < M.OFP_METER_BAND_LEN) r.fail('bad_length', `meter band length ${len}`, at + 2);
    out.push(
      r.within(len - 4, 'meter band', (): MeterBand => {
        const rate = r.u32();
        const burstSize = r.u32();
        switch (type) {
          case M.OFPMBT_DROP:
            return { kind: 'drop', rate, burstSize };
          case M.OFPMBT_DSCP_REMARK:
            return { kind: 'dscp_remark', rate, burstSize, precLevel: r.u8() };
          case M.OFPMBT_EXPERIMENTER: {
            const experimenter = r.u32();
            return { kind: 'experimenter', rate, burstSize, experimenter, data: r.bytes(r.remaining) };
          }
          default:
            return r.fail('unknown_type', `meter band type ${type}`, at);
        }
      }),
    );
  }
  return out;
}

export function meterModLength(m: MeterMod): number {
  return M.OFP_METER_MOD_FIXED_LEN + bandsLength(m.bands);
}

export function encodeMeterMod(w: Writer, m: MeterMod): void {
  w.u16(indexOrThrow(M.METER_MOD_COMMANDS, m.command, 'meter_mod command'));
  w.u16(m.flags);
  w.u32(m.meterId);
  encodeBands(w, m.bands);
}

export function decodeMeterMod(r: Reader, xid: number): MeterMod {
  const at = r.pos;
  const command = named(r, M.METER_MOD_COMMANDS, r.u16(), 'meter_mod command', at);
  const flags = r.u16();
  const meterId = r.u32();
  return { type: 'meter_mod', xid, command, flags, meterId, bands: decodeBands(r) };
}
