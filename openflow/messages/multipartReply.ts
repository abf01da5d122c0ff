// Codecs of multipart reply bodies (spec 7.3.5): desc, flow, aggregate, table, port stats, port desc, group desc, meter config.
import * as M from '../constants/messages.ts';
import { decodeInstructions, encodeInstructions, instructionsLength } from '../instructions/instructions.ts';
import { decodeMatch, encodeMatch, matchLength } from '../oxm/match.ts';
import type { Reader } from '../wire/reader.ts';
import type { Writer } from '../wire/writer.ts';
import { bandsLength, bucketsLength, decodeBands, decodeBuckets, encodeBands, encodeBuckets } from './modify.ts';
import { decodePort, encodePort } from './port.ts';
import type { FlowStats, GroupDesc, MeterConfig, MultipartReplyBody, PortStats, TableStats } from './types.ts';

function flowStatsLength(f: FlowStats): number {
  return M.OFP_FLOW_STATS_FIXED_LEN + matchLength(f.match) + instructionsLength(f.instructions);
}

function groupDescLength(g: GroupDesc): number {
  return M.OFP_GROUP_DESC_FIXED_LEN + bucketsLength(g.buckets);
}

function meterConfigLength(m: MeterConfig): number {
  return M.OFP_METER_CONFIG_FIXED_LEN + bandsLength(m.bands);
}

const DESC_LEN = 4 * M.DESC_STR_LEN + M.SERIAL_NUM_LEN;

export function replyBodyLength(b: MultipartReplyBody): number {
  switch (b.kind) {
    case 'desc':
      return DESC_LEN;
    case 'flow':
      return b.flows.reduce((n, f) => n + flowStatsLength(f), 0);
    case 'aggregate':
      return M.OFP_AGGREGATE_STATS_REPLY_LEN;
    case 'table':
      return b.tables.length * M.OFP_TABLE_STATS_LEN;
    case 'port_stats':
      return b.ports.length * M.OFP_PORT_STATS_LEN;
    case 'port_desc':
      return b.ports.length * M.OFP_PORT_LEN;
    case 'group_desc':
      return b.groups.reduce((n, g) => n + groupDescLength(g), 0);
    case 'meter_config':
      return b.meters.reduce((n, m) => n + meterConfigLength(m), 0);
    case 'unknown':
      return b.body.length;
  }
}

function encodeFlowStats(w: Writer, f: FlowStats): void {
  w.u16(flowStatsLength(f));
  w.u8(f.tableId);
  w.u8(0);
  w.u32(f.durationSec);
  w.u32(f.durationNsec);
  w.u16(f.priority);
  w.u16(f.idleTimeout);
  w.u16(f.hardTimeout);
  w.u16(f.flags);
  w.zeros(4);
  w.u64(f.cookie);
  w.u64(f.packetCount);
  w.u64(f.byteCount);
  encodeMatch(w, f.match);
  encodeInstructions(w, f.instructions);
}

function encodePortStats(w: Writer, p: PortStats): void {
  w.u32(p.portNo);
  w.zeros(4);
  for (const v of [p.rxPackets, p.txPackets, p.rxBytes, p.txBytes, p.rxDropped, p.txDropped, p.rxErrors, p.txErrors,
    p.rxFrameErr, p.rxOverErr, p.rxCrcErr, p.collisions]) w.u64(v);
  w.u32(p.durationSec);
  w.u32(p.durationNsec);
}

export function encodeReplyBody(w: Writer, b: MultipartReplyBody): void {
  switch (b.kind) {
    case 'desc':
      w.fixedString(b.mfrDesc, M.DESC_STR_LEN);
      w.fixedString(b.hwDesc, M.DESC_STR_LEN);
      w.fixedString(b.swDesc, M.DESC_STR_LEN);
      w.fixedString(b.serialNum, M.SERIAL_NUM_LEN);
      w.fixedString(b.dpDesc, M.DESC_STR_LEN);
      return;
    case 'flow':
      for (const f of b.flows) encodeFlowStats(w, f);
      return;
    case 'aggregate':
      w.u64(b.packetCount);
      w.u64(b.byteCount);
      w.u32(b.flowCount);
      w.zeros(4);
      return;
    case 'table':
      for (const t of b.tables) {
        w.u8(t.tableId);
        w.zeros(3);
        w.u32(t.activeCount);
        w.u64(t.lookupCount);
        w.u64(t.matchedCount);
      }
      return;
    case 'port_stats':
      for (const p of b.ports) encodePortStats(w, p);
      return;
    case 'port_desc':
      for (const p of b.ports) encodePort(w, p);
      return;
    case 'group_desc':
      for (const g of b.groups) {
        w.u16(groupDescLength(g));
        w.u8(M.GROUP_TYPES.indexOf(g.groupType));
        w.u8(0);
        w.u32(g.groupId);
        encodeBuckets(w, g.buckets);
      }
      return;
    case 'meter_config':
      for (const m of b.meters) {
        w.u16(meterConfigLength(m));
        w.u16(m.flags);
        w.u32(m.meterId);
        encodeBands(w, m.bands);
      }
      return;
    case 'unknown':
      w.bytes(b.body);
      return;
  }
}

/** Reads one length-prefixed entry: `fixed` is the smallest legal length. */
function entry<T>(r: Reader, fixed: number, what: string, fn: (len: number) => T): T {
  const at = r.pos;
  r.need(2, what);
  const len = r.buf.readUInt16BE(r.pos);
  if (len < fixed) r.fail('bad_length', `${what} length ${len}`, at);
  return r.within(len, what, () => fn(len));
}

function decodeFlowStats(r: Reader): FlowStats {
  return entry(r, M.OFP_FLOW_STATS_FIXED_LEN, 'flow stats', () => {
    r.skip(2);
    const tableId = r.u8();
    r.skip(1);
    const durationSec = r.u32();
    const durationNsec = r.u32();
    const priority = r.u16();
    const idleTimeout = r.u16();
    const hardTimeout = r.u16();
    const flags = r.u16();
    r.skip(4);
    const cookie = r.u64();
    const packetCount = r.u64();
    const byteCount = r.u64();
    const match = decodeMatch(r);
    const instructions = decodeInstructions(r);
    return {
      tableId, durationSec, durationNsec, priority, idleTimeout, hardTimeout, flags, cookie, packetCount, byteCount, match,
      instructions,
    };
  });
}

function decodePortStats(r: Reader): PortStats {
  const portNo = r.u32();
  r.skip(4);
  const c = Array.from({ length: 12 }, () => r.u64());
  return {
    portNo, rxPackets: c[0], txPackets: c[1], rxBytes: c[2], txBytes: c[3], rxDropped: c[4], txDropped: c[5],
    rxErrors: c[6], txErrors: c[7], rxFrameErr: c[8], rxOverErr: c[9], rxCrcErr: c[10], collisions: c[11],
    durationSec: r.u32(), durationNsec: r.u32(),
  };
}

function many<T>(r: Reader, fn: () => T): T[] {
  const out: T[] = [];
  while (r.remaining > 0) out.push(fn());
  return out;
}

export function decodeReplyBody(r: Reader, mpType: number): MultipartReplyBody {
  switch (mpType) {
    case M.OFPMP_DESC:
      return {
        kind: 'desc',
        mfrDesc: r.fixedString(M.DESC_STR_LEN),
        hwDesc: r.fixedString(M.DESC_STR_LEN),
        swDesc: r.fixedString(M.DESC_STR_LEN),
        serialNum: r.fixedString(M.SERIAL_NUM_LEN),
        dpDesc: r.fixedString(M.DESC_STR_LEN),
      };
    case M.OFPMP_FLOW:
      return { kind: 'flow', flows: many(r, () => decodeFlowStats(r)) };
    case M.OFPMP_AGGREGATE: {
      const packetCount = r.u64();
      const byteCount = r.u64();
      const flowCount = r.u32();
      r.skip(4);
      return { kind: 'aggregate', packetCount, byteCount, flowCount };
    }
    case M.OFPMP_TABLE:
      return {
        kind: 'table',
        tables: many(r, (): TableStats => {
          const tableId = r.u8();
          r.skip(3);
          const activeCount = r.u32();
          const lookupCount = r.u64();
          return { tableId, activeCount, lookupCount, matchedCount: r.u64() };
        }),
      };
    case M.OFPMP_PORT_STATS:
      return { kind: 'port_stats', ports: many(r, () => decodePortStats(r)) };
    case M.OFPMP_PORT_DESC:
      return { kind: 'port_desc', ports: many(r, () => decodePort(r)) };
    case M.OFPMP_GROUP_DESC:
      return {
        kind: 'group_desc',
        groups: many(r, () =>
          entry(r, M.OFP_GROUP_DESC_FIXED_LEN, 'group desc', (): GroupDesc => {
            r.skip(2);
            const at = r.pos;
            const t = r.u8();
            const groupType = M.GROUP_TYPES[t];
            if (groupType === undefined) r.fail('bad_value', `group type ${t}`, at);
            r.skip(1);
            const groupId = r.u32();
            return { groupType, groupId, buckets: decodeBuckets(r) };
          }),
        ),
      };
    case M.OFPMP_METER_CONFIG:
      return {
        kind: 'meter_config',
        meters: many(r, () =>
          entry(r, M.OFP_METER_CONFIG_FIXED_LEN, 'meter config', (): MeterConfig => {
            r.skip(2);
            const flags = r.u16();
            const meterId = r.u32();
            return { flags, meterId, bands: decodeBands(r) };
          }),
        ),
      };
    default:
      return { kind: 'unknown', mpType, body: r.bytes(r.remaining) };
  }
}
