// Codecs of multipart request bodies (spec 7.3.5) and the multipart type numbers shared with replies.
import * as M from '../constants/messages.ts';
import { decodeMatch, encodeMatch, matchLength } from '../oxm/match.ts';
import type { Reader } from '../wire/reader.ts';
import type { Writer } from '../wire/writer.ts';
import type { FlowStatsRequest, MultipartReplyBody, MultipartRequestBody } from './types.ts';

const KIND_CODES: Record<Exclude<MultipartRequestBody['kind'], 'unknown'>, number> = {
  desc: M.OFPMP_DESC,
  flow: M.OFPMP_FLOW,
  aggregate: M.OFPMP_AGGREGATE,
  table: M.OFPMP_TABLE,
  port_stats: M.OFPMP_PORT_STATS,
  port_desc: M.OFPMP_PORT_DESC,
  group_desc: M.OFPMP_GROUP_DESC,
  meter_config: M.OFPMP_METER_CONFIG,
};

export function multipartCode(body: MultipartRequestBody | MultipartReplyBody): number {
  return body.kind === 'unknown' ? body.mpType : KIND_CODES[body.kind];
}

// --- requests

function flowStatsRequestLength(b: FlowStatsRequest): number {
  return M.OFP_FLOW_STATS_REQUEST_FIXED_LEN + matchLength(b.match);
}

export function requestBodyLength(b: MultipartRequestBody): number {
  switch (b.kind) {
    case 'flow':
    case 'aggregate':
      return flowStatsRequestLength(b);
    case 'port_stats':
      return M.OFP_PORT_STATS_REQUEST_LEN;
    case 'meter_config':
      return M.OFP_METER_MULTIPART_REQUEST_LEN;
    case 'unknown':
      return b.body.length;
    default:
      return 0;
  }
}

export function encodeRequestBody(w: Writer, b: MultipartRequestBody): void {
  switch (b.kind) {
    case 'flow':
    case 'aggregate':
      w.u8(b.tableId);
      w.zeros(3);
      w.u32(b.outPort);
      w.u32(b.outGroup);
      w.zeros(4);
      w.u64(b.cookie);
      w.u64(b.cookieMask);
      encodeMatch(w, b.match);
      return;
    case 'port_stats':
      w.u32(b.portNo);
      w.zeros(4);
      return;
    case 'meter_config':
      w.u32(b.meterId);
      w.zeros(4);
      return;
    case 'unknown':
      w.bytes(b.body);
      return;
    default:
      return;
  }
}

export function decodeRequestBody(r: Reader, mpType: number): MultipartRequestBody {
  switch (mpType) {
    case M.OFPMP_DESC:
      return { kind: 'desc' };
    case M.OFPMP_TABLE:
      return { kind: 'table' };
    case M.OFPMP_PORT_DESC:
      return { kind: 'port_desc' };
    case M.OFPMP_GROUP_DESC:
      return { kind: 'group_desc' };
    case M.OFPMP_FLOW:
    case M.OFPMP_AGGREGATE: {
      const tableId = r.u8();
      r.skip(3);
      const outPort = r.u32();
      const outGroup = r.u32();
      r.skip(4);
      const cookie = r.u64();
      const cookieMask = r.u64();
      const match = decodeMatch(r);
      return { kind: mpType === M.OFPMP_FLOW ? 'flow' : 'aggregate', tableId, outPort, outGroup, cookie, cookieMask, match };
    }
    case M.OFPMP_PORT_STATS: {
      const portNo = r.u32();
      r.skip(4);
      return { kind: 'port_stats', portNo };
    }
    case M.OFPMP_METER_CONFIG: {
      const meterId = r.u32();
      r.skip(4);
      return { kind: 'meter_config', meterId };
    }
    default:
      return { kind: 'unknown', mpType, body: r.bytes(r.remaining) };
  }
}
