// DHCPv4 messages (RFC 2131 section 2, options RFC 2132 / RFC 3442): encode, decode, encodingLength; decode never throws.
import { getIpv4, getMac } from '../../../openflow/wire/addr.ts';
import { decodeOptions, encodeOptions, optionsLength, type DhcpOptions } from './options.ts';

/** BOOTP op codes (RFC 2131 section 2). */
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
/** htype for Ethernet (RFC 1700 ARP hardware types) and its address length. */
export const HTYPE_ETHERNET = 1;
export const ETHERNET_HLEN = 6;
/** The magic cookie that starts the options field (RFC 2131 section 3, RFC 1497). */
export const MAGIC_COOKIE = 0x63825363;
/** Fixed part: op..giaddr (28) + chaddr (16) + sname (64) + file (128) + cookie (4). */
export const FIXED_LEN = 240;
const CHADDR_AT = 28;
const CHADDR_LEN = 16;
const SNAME_LEN = 64;
const FILE_LEN = 128;
const COOKIE_AT = CHADDR_AT + CHADDR_LEN + SNAME_LEN + FILE_LEN;
/** flags: the broadcast bit (RFC 2131 figure 2). */
export const FLAG_BROADCAST = 0x8000;
/** Clients must accept messages of up to 576 bytes; replies are padded to the BOOTP minimum of 300 (RFC 1542). */
export const BOOTP_MIN_LEN = 300;

export interface DhcpMessage {
  op: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** client hardware address, lower-case aa:bb:.. (hlen 6) */
  chaddr: string;
  options: DhcpOptions;
}

export type DhcpDecodeError = { kind: 'too_short' | 'bad_cookie' | 'bad_hardware' | 'bad_option'; detail: string };
export type DhcpDecodeResult = { ok: true; value: DhcpMessage } | { ok: false; error: DhcpDecodeError };

export function ipv4ToBytes(ip: string, out: Buffer, at: number): void {
  const parts = ip.split('.').map(Number);
  for (let i = 0; i < 4; i++) out[at + i] = parts[i] ?? 0;
}

export function macToBytes(mac: string, out: Buffer, at: number): void {
  mac.split(':').forEach((h, i) => { out[at + i] = Number.parseInt(h, 16); });
}

export function encodingLength(m: DhcpMessage): number {
  return Math.max(BOOTP_MIN_LEN, FIXED_LEN + optionsLength(m.options));
}

export function encode(m: DhcpMessage): Buffer {
  const out = Buffer.alloc(encodingLength(m));
  out[0] = m.op;
  out[1] = HTYPE_ETHERNET;
  out[2] = ETHERNET_HLEN;
  out[3] = 0;
  out.writeUInt32BE(m.xid >>> 0, 4);
  out.writeUInt16BE(m.secs, 8);
  out.writeUInt16BE(m.flags, 10);
  ipv4ToBytes(m.ciaddr, out, 12);
  ipv4ToBytes(m.yiaddr, out, 16);
  ipv4ToBytes(m.siaddr, out, 20);
  ipv4ToBytes(m.giaddr, out, 24);
  macToBytes(m.chaddr, out, CHADDR_AT);
  out.writeUInt32BE(MAGIC_COOKIE, COOKIE_AT);
  encodeOptions(m.options, out, FIXED_LEN);
  return out;
}

export function decode(b: Buffer): DhcpDecodeResult {
  if (b.length < FIXED_LEN) return { ok: false, error: { kind: 'too_short', detail: `${b.length} bytes, need ${FIXED_LEN}` } };
  if (b.readUInt32BE(COOKIE_AT) !== MAGIC_COOKIE) return { ok: false, error: { kind: 'bad_cookie', detail: b.subarray(COOKIE_AT, FIXED_LEN).toString('hex') } };
  if (b[1] !== HTYPE_ETHERNET || b[2] !== ETHERNET_HLEN) return { ok: false, error: { kind: 'bad_hardware', detail: `htype ${b[1]} hlen ${b[2]}` } };
  const opts = decodeOptions(b.subarray(FIXED_LEN));
  if (!opts.ok) return { ok: false, error: { kind: 'bad_option', detail: opts.error } };
  return {
    ok: true,
    value: {
      op: b[0], xid: b.readUInt32BE(4), secs: b.readUInt16BE(8), flags: b.readUInt16BE(10),
      ciaddr: getIpv4(b, 12), yiaddr: getIpv4(b, 16), siaddr: getIpv4(b, 20), giaddr: getIpv4(b, 24),
      chaddr: getMac(b, CHADDR_AT), options: opts.value,
    },
  };
}
