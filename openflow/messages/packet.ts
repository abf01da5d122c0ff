// Codecs of packet_in, packet_out, flow_removed and port_status (spec 7.3.7, 7.4.1 - 7.4.3).
import { actionsLength, decodeActions, encodeActions } from '../actions/list.ts';
import * as M from '../constants/messages.ts';
import { decodeMatch, encodeMatch, matchLength } from '../oxm/match.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import type { Writer } from '../wire/writer.ts';
import { decodePort, encodePort } from './port.ts';
import type { FlowRemoved, PacketIn, PacketOut, PortStatus } from './types.ts';

export function packetInLength(m: PacketIn): number {
  return M.OFP_PACKET_IN_FIXED_LEN + matchLength(m.match) + M.OFP_PACKET_IN_DATA_PAD + m.data.length;
}

export function encodePacketIn(w: Writer, m: PacketIn): void {
  w.u32(m.bufferId);
  w.u16(m.totalLen);
  w.u8(m.reason);
  w.u8(m.tableId);
  w.u64(m.cookie);
  encodeMatch(w, m.match);
  w.zeros(M.OFP_PACKET_IN_DATA_PAD);
  w.bytes(m.data);
}

export function decodePacketIn(r: Reader, xid: number): PacketIn {
  const bufferId = r.u32();
  const totalLen = r.u16();
  const reason = r.u8();
  const tableId = r.u8();
  const cookie = r.u64();
  const match = decodeMatch(r);
  r.skip(M.OFP_PACKET_IN_DATA_PAD);
  return { type: 'packet_in', xid, bufferId, totalLen, reason, tableId, cookie, match, data: r.bytes(r.remaining) };
}

export function packetOutLength(m: PacketOut): number {
  return M.OFP_PACKET_OUT_FIXED_LEN + actionsLength(m.actions) + m.data.length;
}

export function encodePacketOut(w: Writer, m: PacketOut): void {
  w.u32(m.bufferId);
  w.u32(m.inPort);
  w.u16(actionsLength(m.actions));
  w.zeros(6);
  encodeActions(w, m.actions);
  w.bytes(m.data);
}

export function decodePacketOut(r: Reader, xid: number): PacketOut {
  const bufferId = r.u32();
  const inPort = r.u32();
  const actionsLen = r.u16();
  r.skip(6);
  const actions = decodeActions(r, actionsLen);
  return { type: 'packet_out', xid, bufferId, inPort, actions, data: r.bytes(r.remaining) };
}

export function flowRemovedLength(m: FlowRemoved): number {
  return M.OFP_FLOW_REMOVED_FIXED_LEN + matchLength(m.match);
}

export function encodeFlowRemoved(w: Writer, m: FlowRemoved): void {
  w.u64(m.cookie);
  w.u16(m.priority);
  w.u8(m.reason);
  w.u8(m.tableId);
  w.u32(m.durationSec);
  w.u32(m.durationNsec);
  w.u16(m.idleTimeout);
  w.u16(m.hardTimeout);
  w.u64(m.packetCount);
  w.u64(m.byteCount);
  encodeMatch(w, m.match);
}

export function decodeFlowRemoved(r: Reader, xid: number): FlowRemoved {
  const cookie = r.u64();
  const priority = r.u16();
  const reason = r.u8();
  const tableId = r.u8();
  const durationSec = r.u32();
  const durationNsec = r.u32();
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const packetCount = r.u64();
  const byteCount = r.u64();
  const match = decodeMatch(r);
  return {
    type: 'flow_removed', xid, cookie, priority, reason, tableId, durationSec, durationNsec, idleTimeout, hardTimeout,
    packetCount, byteCount, match,
  };
}

export const PORT_STATUS_LEN = 1 + M.OFP_PORT_STATUS_PAD + M.OFP_PORT_LEN;

export function encodePortStatus(w: Writer, m: PortStatus): void {
  const reason = M.PORT_STATUS_REASONS.indexOf(m.reason);
  if (reason < 0) throw new EncodeError(`unknown port status reason '${m.reason}'`);
  w.u8(reason);
  w.zeros(M.OFP_PORT_STATUS_PAD);
  encodePort(w, m.desc);
}

export function decodePortStatus(r: Reader, xid: number): PortStatus {
  const at = r.pos;
  const n = r.u8();
  const reason = M.PORT_STATUS_REASONS[n];
  if (reason === undefined) r.fail('bad_value', `port status reason ${n}`, at);
  r.skip(M.OFP_PORT_STATUS_PAD);
  return { type: 'port_status', xid, reason, desc: decodePort(r) };
}
