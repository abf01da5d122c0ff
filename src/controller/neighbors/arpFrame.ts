// ARP over Ethernet (RFC 826): parse what a packet-in carries (tagged or not), build a broadcast request; the IPv4 source of an IPv4 frame.
import { getIpv4, getMac } from '../../../openflow/wire/addr.ts';
import { ipv4ToBytes, macToBytes } from '../dhcp/message.ts';

const ETH_HEADER_LEN = 14;
const ETH_TYPE_OFFSET = 12;
const ETH_TYPE_ARP = 0x0806;
const ETH_TYPE_IPV4 = 0x0800;
/** IEEE 802.1Q: a tag (TPID + TCI) of 4 bytes sits before the real ethertype. */
const ETH_TYPE_VLAN = 0x8100;
const VLAN_TAG_LEN = 4;
/** RFC 826 for Ethernet and IPv4: htype 1, ptype 0x0800, hlen 6, plen 4; 28 bytes in all. */
const ARP_HTYPE_ETHERNET = 1;
const ARP_HLEN = 6;
const ARP_PLEN = 4;
const ARP_LEN = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
/** Ethernet frames are at least 60 bytes before the FCS (IEEE 802.3): pad short ones. */
const MIN_FRAME_LEN = 60;
const IPV4_SRC_OFFSET = 12;
const IPV4_MIN_HEADER_LEN = 20;
const IPV4_VERSION = 4;
const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ZERO_MAC = '00:00:00:00:00:00';

export interface ArpPacket {
  op: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export type FrameError = { kind: 'truncated' | 'not_arp' | 'not_ipv4' | 'bad_arp'; detail: string };
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FrameError };

/** Where the payload starts and its ethertype, past one 802.1Q tag if present. */
function payloadOf(b: Buffer): { type: number; at: number } | undefined {
  if (b.length < ETH_HEADER_LEN) return undefined;
  const type = b.readUInt16BE(ETH_TYPE_OFFSET);
  if (type !== ETH_TYPE_VLAN) return { type, at: ETH_HEADER_LEN };
  if (b.length < ETH_HEADER_LEN + VLAN_TAG_LEN) return undefined;
  return { type: b.readUInt16BE(ETH_TYPE_OFFSET + VLAN_TAG_LEN), at: ETH_HEADER_LEN + VLAN_TAG_LEN };
}

export function parseArp(b: Buffer): Parsed<ArpPacket> {
  const p = payloadOf(b);
  if (!p) return { ok: false, error: { kind: 'truncated', detail: `${b.length} bytes` } };
  if (p.type !== ETH_TYPE_ARP) return { ok: false, error: { kind: 'not_arp', detail: `ethertype 0x${p.type.toString(16)}` } };
  if (b.length < p.at + ARP_LEN) return { ok: false, error: { kind: 'truncated', detail: `${b.length} bytes` } };
  const a = p.at;
  if (b.readUInt16BE(a) !== ARP_HTYPE_ETHERNET || b.readUInt16BE(a + 2) !== ETH_TYPE_IPV4 || b[a + 4] !== ARP_HLEN || b[a + 5] !== ARP_PLEN) {
    return { ok: false, error: { kind: 'bad_arp', detail: 'not Ethernet/IPv4 ARP' } };
  }
  return {
    ok: true,
    value: { op: b.readUInt16BE(a + 6), senderMac: getMac(b, a + 8), senderIp: getIpv4(b, a + 14), targetMac: getMac(b, a + 18), targetIp: getIpv4(b, a + 24) },
  };
}

/** The source MAC and IPv4 address of an IPv4 frame (the packet a neighbor miss sent up). */
export function parseIpv4Source(b: Buffer): Parsed<{ mac: string; ip: string }> {
  const p = payloadOf(b);
  if (!p || b.length < p.at + IPV4_MIN_HEADER_LEN) return { ok: false, error: { kind: 'truncated', detail: `${b.length} bytes` } };
  if (p.type !== ETH_TYPE_IPV4 || b[p.at] >> 4 !== IPV4_VERSION) return { ok: false, error: { kind: 'not_ipv4', detail: `ethertype 0x${p.type.toString(16)}` } };
  return { ok: true, value: { mac: getMac(b, 6), ip: getIpv4(b, p.at + IPV4_SRC_OFFSET) } };
}

/** A broadcast "who has targetIp, tell senderIp" from senderMac, untagged (the packet-out adds a VLAN tag where needed). */
export function buildArpRequest(senderMac: string, senderIp: string, targetIp: string): Buffer {
  const out = Buffer.alloc(MIN_FRAME_LEN);
  macToBytes(BROADCAST, out, 0);
  macToBytes(senderMac, out, 6);
  out.writeUInt16BE(ETH_TYPE_ARP, ETH_TYPE_OFFSET);
  const a = ETH_HEADER_LEN;
  out.writeUInt16BE(ARP_HTYPE_ETHERNET, a);
  out.writeUInt16BE(ETH_TYPE_IPV4, a + 2);
  out[a + 4] = ARP_HLEN;
  out[a + 5] = ARP_PLEN;
  out.writeUInt16BE(ARP_REQUEST, a + 6);
  macToBytes(senderMac, out, a + 8);
  ipv4ToBytes(senderIp, out, a + 14);
  macToBytes(ZERO_MAC, out, a + 18);
  ipv4ToBytes(targetIp, out, a + 24);
  return out;
}
