// Frames and packet-ins for the neighbor learner's tests: what a switch sends up from tables 30 and 67.
import type { PacketIn } from '../../../openflow/messages/types.ts';
import { buildArpRequest } from '../../../src/controller/neighbors/arpFrame.ts';

/** The OVS port the physical network enters on, in every packet-in here. */
export const PHYSICAL_OFPORT = 7;

/** A packet-in from `tableId` on the physical port, with the network's metadata (and reg5 when given). */
export function packetIn(tableId: number, data: Buffer, metadata: bigint, reg5?: number): PacketIn {
  return {
    type: 'packet_in', xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId, cookie: 0n, data,
    match: [{ field: 'in_port', value: PHYSICAL_OFPORT }, { field: 'metadata', value: metadata }, ...(reg5 === undefined ? [] : [{ field: 'reg5' as const, value: reg5 }])],
  };
}

/** An ARP frame with this operation (request or reply) from senderMac/senderIp about targetIp. */
export function arp(op: number, senderMac: string, senderIp: string, targetIp: string): Buffer {
  const b = buildArpRequest(senderMac, senderIp, targetIp);
  b.writeUInt16BE(op, 20);
  return b;
}

/** An IPv4 frame from this MAC and address (what a neighbor miss sends up). */
export function ipv4From(mac: string, ip: string): Buffer {
  const b = Buffer.alloc(34);
  mac.split(':').forEach((h, i) => { b[6 + i] = Number.parseInt(h, 16); });
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  ip.split('.').forEach((x, i) => { b[26 + i] = Number(x); });
  return b;
}
