// Ethernet II + IPv4 + UDP framing for DHCP packets: parse a packet-in frame, build a reply frame with correct checksums.
import { getIpv4, getMac } from '../../../openflow/wire/addr.ts';
import { ipv4ToBytes, macToBytes } from './message.ts';

const ETH_HEADER_LEN = 14;
const ETH_TYPE_IPV4 = 0x0800;
const IPV4_MIN_HEADER_LEN = 20;
const IPV4_VERSION = 4;
const IPV4_WORD_BYTES = 4;
const UDP_HEADER_LEN = 8;
const IP_PROTO_UDP = 17;
/** TTL of replies: one hop, the VM is directly attached. */
const REPLY_TTL = 64;
/** Flags/fragment: DF set, no fragment offset. */
const IPV4_DONT_FRAGMENT = 0x4000;
const IPV4_MORE_FRAGMENTS = 0x2000;
const IPV4_FRAG_OFFSET_MASK = 0x1fff;

export interface UdpFrame {
  ethSrc: string;
  ethDst: string;
  ipSrc: string;
  ipDst: string;
  srcPort: number;
  dstPort: number;
  payload: Buffer;
}

export type FrameError = { kind: 'not_ipv4_udp' | 'truncated' | 'fragment'; detail: string };

export function parseUdpFrame(b: Buffer): { ok: true; value: UdpFrame } | { ok: false; error: FrameError } {
  if (b.length < ETH_HEADER_LEN + IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN) return { ok: false, error: { kind: 'truncated', detail: `${b.length} bytes` } };
  if (b.readUInt16BE(12) !== ETH_TYPE_IPV4) return { ok: false, error: { kind: 'not_ipv4_udp', detail: `ethertype 0x${b.readUInt16BE(12).toString(16)}` } };
  const ip = ETH_HEADER_LEN;
  const ihl = (b[ip] & 0x0f) * IPV4_WORD_BYTES;
  if (b[ip] >> 4 !== IPV4_VERSION || ihl < IPV4_MIN_HEADER_LEN || b[ip + 9] !== IP_PROTO_UDP) {
    return { ok: false, error: { kind: 'not_ipv4_udp', detail: `version/ihl 0x${b[ip].toString(16)} proto ${b[ip + 9]}` } };
  }
  const frag = b.readUInt16BE(ip + 6);
  if ((frag & IPV4_MORE_FRAGMENTS) !== 0 || (frag & IPV4_FRAG_OFFSET_MASK) !== 0) return { ok: false, error: { kind: 'fragment', detail: `0x${frag.toString(16)}` } };
  const udp = ip + ihl;
  const totalLen = b.readUInt16BE(ip + 2);
  if (udp + UDP_HEADER_LEN > b.length || ip + totalLen > b.length) return { ok: false, error: { kind: 'truncated', detail: `ip total ${totalLen}` } };
  const udpLen = b.readUInt16BE(udp + 4);
  if (udpLen < UDP_HEADER_LEN || udp + udpLen > b.length) return { ok: false, error: { kind: 'truncated', detail: `udp length ${udpLen}` } };
  return {
    ok: true,
    value: {
      ethDst: getMac(b, 0), ethSrc: getMac(b, 6), ipSrc: getIpv4(b, ip + 12), ipDst: getIpv4(b, ip + 16),
      srcPort: b.readUInt16BE(udp), dstPort: b.readUInt16BE(udp + 2), payload: Buffer.from(b.subarray(udp + UDP_HEADER_LEN, udp + udpLen)),
    },
  };
}

/** RFC 1071 one's complement sum over 16-bit words, folded. */
function sum16(b: Buffer, start = 0): number {
  let s = start;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length % 2 === 1) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

export function buildUdpFrame(f: UdpFrame): Buffer {
  const udpLen = UDP_HEADER_LEN + f.payload.length;
  const ipLen = IPV4_MIN_HEADER_LEN + udpLen;
  const out = Buffer.alloc(ETH_HEADER_LEN + ipLen);
  macToBytes(f.ethDst, out, 0);
  macToBytes(f.ethSrc, out, 6);
  out.writeUInt16BE(ETH_TYPE_IPV4, 12);
  const ip = ETH_HEADER_LEN;
  out[ip] = (IPV4_VERSION << 4) | (IPV4_MIN_HEADER_LEN / IPV4_WORD_BYTES);
  out.writeUInt16BE(ipLen, ip + 2);
  out.writeUInt16BE(IPV4_DONT_FRAGMENT, ip + 6);
  out[ip + 8] = REPLY_TTL;
  out[ip + 9] = IP_PROTO_UDP;
  ipv4ToBytes(f.ipSrc, out, ip + 12);
  ipv4ToBytes(f.ipDst, out, ip + 16);
  out.writeUInt16BE(~sum16(out.subarray(ip, ip + IPV4_MIN_HEADER_LEN)) & 0xffff, ip + 10);
  const udp = ip + IPV4_MIN_HEADER_LEN;
  out.writeUInt16BE(f.srcPort, udp);
  out.writeUInt16BE(f.dstPort, udp + 2);
  out.writeUInt16BE(udpLen, udp + 4);
  f.payload.copy(out, udp + UDP_HEADER_LEN);
  // pseudo header (RFC 768): src, dst, zero, protocol, UDP length
  const pseudo = Buffer.alloc(12);
  out.copy(pseudo, 0, ip + 12, ip + 20);
  pseudo[9] = IP_PROTO_UDP;
  pseudo.writeUInt16BE(udpLen, 10);
  const c = ~sum16(out.subarray(udp, udp + udpLen), sum16(pseudo)) & 0xffff;
  // a computed 0 is sent as all ones (RFC 768)
  out.writeUInt16BE(c === 0 ? 0xffff : c, udp + 6);
  return out;
}
