// DHCP options (RFC 2132, classless static routes RFC 3442, long options RFC 3396): typed record <-> TLV bytes.
import { getIpv4 } from '../../../openflow/wire/addr.ts';
import { ipv4ToBytes } from './message.ts';

/** Option codes (RFC 2132 sections 3-9, RFC 3442). */
export const OPT_PAD = 0;
export const OPT_SUBNET_MASK = 1;
export const OPT_ROUTER = 3;
export const OPT_DNS = 6;
export const OPT_HOST_NAME = 12;
export const OPT_DOMAIN_NAME = 15;
export const OPT_MTU = 26;
export const OPT_REQUESTED_IP = 50;
export const OPT_LEASE_TIME = 51;
export const OPT_MESSAGE_TYPE = 53;
export const OPT_SERVER_ID = 54;
export const OPT_PARAMETER_LIST = 55;
export const OPT_RENEWAL_TIME = 58;
export const OPT_REBINDING_TIME = 59;
export const OPT_CLIENT_ID = 61;
export const OPT_CLASSLESS_ROUTES = 121;
export const OPT_END = 255;
/** One TLV carries at most 255 bytes; longer values are split into several (RFC 3396). */
const MAX_OPTION_DATA = 255;
const IPV4_LEN = 4;
const U32_LEN = 4;
const U16_LEN = 2;
const IPV4_BITS = 32;

/** DHCP message types (option 53, RFC 2132 section 9.6). */
export const DHCPDISCOVER = 1;
export const DHCPOFFER = 2;
export const DHCPREQUEST = 3;
export const DHCPDECLINE = 4;
export const DHCPACK = 5;
export const DHCPNAK = 6;
export const DHCPRELEASE = 7;
export const DHCPINFORM = 8;

export interface ClasslessRoute {
  /** canonical CIDR, e.g. 10.1.0.0/16 or 0.0.0.0/0 */
  destination: string;
  nexthop: string;
}

export interface DhcpOptions {
  messageType?: number;
  subnetMask?: string;
  routers?: string[];
  dnsServers?: string[];
  hostName?: string;
  domainName?: string;
  mtu?: number;
  requestedIp?: string;
  leaseTime?: number;
  serverId?: string;
  parameterRequestList?: number[];
  renewalTime?: number;
  rebindingTime?: number;
  clientId?: Buffer;
  classlessRoutes?: ClasslessRoute[];
  /** options this codec does not interpret, in code order, data concatenated (RFC 3396) */
  other?: { code: number; data: Buffer }[];
}

const ipList = (ips: readonly string[]): Buffer => {
  const b = Buffer.alloc(ips.length * IPV4_LEN);
  ips.forEach((ip, i) => ipv4ToBytes(ip, b, i * IPV4_LEN));
  return b;
};
const u32 = (n: number): Buffer => { const b = Buffer.alloc(U32_LEN); b.writeUInt32BE(n >>> 0); return b; };
const u16 = (n: number): Buffer => { const b = Buffer.alloc(U16_LEN); b.writeUInt16BE(n); return b; };

/** RFC 3442: width byte, the significant octets of the destination, then the router. */
function routesBytes(routes: readonly ClasslessRoute[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of routes) {
    const [net, lenText] = r.destination.split('/');
    const width = Number(lenText);
    const sig = Math.ceil(width / 8);
    const dst = Buffer.alloc(IPV4_LEN);
    ipv4ToBytes(net, dst, 0);
    const hop = Buffer.alloc(IPV4_LEN);
    ipv4ToBytes(r.nexthop, hop, 0);
    parts.push(Buffer.from([width]), dst.subarray(0, sig), hop);
  }
  return Buffer.concat(parts);
}

function parseRoutes(b: Buffer): ClasslessRoute[] | undefined {
  const out: ClasslessRoute[] = [];
  let i = 0;
  while (i < b.length) {
    const width = b[i];
    if (width > IPV4_BITS) return undefined;
    const sig = Math.ceil(width / 8);
    if (i + 1 + sig + IPV4_LEN > b.length) return undefined;
    const dst = Buffer.alloc(IPV4_LEN);
    b.copy(dst, 0, i + 1, i + 1 + sig);
    out.push({ destination: `${getIpv4(dst, 0)}/${width}`, nexthop: getIpv4(b, i + 1 + sig) });
    i += 1 + sig + IPV4_LEN;
  }
  return out;
}

/** The options as (code, data) pairs, message type first, then ascending codes. */
function optionPairs(o: DhcpOptions): [number, Buffer][] {
  const pairs: [number, Buffer | undefined][] = [
    [OPT_MESSAGE_TYPE, o.messageType === undefined ? undefined : Buffer.from([o.messageType])],
    [OPT_SUBNET_MASK, o.subnetMask === undefined ? undefined : ipList([o.subnetMask])],
    [OPT_ROUTER, o.routers && ipList(o.routers)],
    [OPT_DNS, o.dnsServers && ipList(o.dnsServers)],
    [OPT_HOST_NAME, o.hostName === undefined ? undefined : Buffer.from(o.hostName, 'latin1')],
    [OPT_DOMAIN_NAME, o.domainName === undefined ? undefined : Buffer.from(o.domainName, 'latin1')],
    [OPT_MTU, o.mtu === undefined ? undefined : u16(o.mtu)],
    [OPT_REQUESTED_IP, o.requestedIp === undefined ? undefined : ipList([o.requestedIp])],
    [OPT_LEASE_TIME, o.leaseTime === undefined ? undefined : u32(o.leaseTime)],
    [OPT_SERVER_ID, o.serverId === undefined ? undefined : ipList([o.serverId])],
    [OPT_PARAMETER_LIST, o.parameterRequestList && Buffer.from(o.parameterRequestList)],
    [OPT_RENEWAL_TIME, o.renewalTime === undefined ? undefined : u32(o.renewalTime)],
    [OPT_REBINDING_TIME, o.rebindingTime === undefined ? undefined : u32(o.rebindingTime)],
    [OPT_CLIENT_ID, o.clientId],
    [OPT_CLASSLESS_ROUTES, o.classlessRoutes && routesBytes(o.classlessRoutes)],
    ...(o.other ?? []).map((x): [number, Buffer] => [x.code, x.data]),
  ];
  return pairs.filter((p): p is [number, Buffer] => p[1] !== undefined);
}

/** Bytes of the options field: TLVs (split at 255 bytes) and the end option. */
export function optionsLength(o: DhcpOptions): number {
  let n = 1;
  for (const [, data] of optionPairs(o)) n += Math.max(1, Math.ceil(data.length / MAX_OPTION_DATA)) * 2 + data.length;
  return n;
}

export function encodeOptions(o: DhcpOptions, out: Buffer, at: number): number {
  let i = at;
  for (const [code, data] of optionPairs(o)) {
    let rest = data;
    do {
      const chunk = rest.subarray(0, MAX_OPTION_DATA);
      out[i++] = code;
      out[i++] = chunk.length;
      chunk.copy(out, i);
      i += chunk.length;
      rest = rest.subarray(chunk.length);
    } while (rest.length > 0);
  }
  out[i++] = OPT_END;
  return i - at;
}

/** TLVs to code -> data (repeated codes concatenated, RFC 3396); stops at END or the buffer's end. */
function rawOptions(b: Buffer): { ok: true; value: Map<number, Buffer> } | { ok: false; error: string } {
  const raw = new Map<number, Buffer>();
  let i = 0;
  while (i < b.length) {
    const code = b[i];
    if (code === OPT_END) break;
    if (code === OPT_PAD) { i++; continue; }
    if (i + 2 > b.length || i + 2 + b[i + 1] > b.length) return { ok: false, error: `option ${code} at ${i} runs past the end` };
    const data = b.subarray(i + 2, i + 2 + b[i + 1]);
    raw.set(code, Buffer.concat([raw.get(code) ?? Buffer.alloc(0), data]));
    i += 2 + b[i + 1];
  }
  return { ok: true, value: raw };
}

const ips = (d: Buffer): string[] | undefined => d.length === 0 || d.length % IPV4_LEN !== 0 ? undefined
  : Array.from({ length: d.length / IPV4_LEN }, (_, k) => getIpv4(d, k * IPV4_LEN));

export function decodeOptions(b: Buffer): { ok: true; value: DhcpOptions } | { ok: false; error: string } {
  const r = rawOptions(b);
  if (!r.ok) return r;
  const o: DhcpOptions = {};
  const other: { code: number; data: Buffer }[] = [];
  const one = (d: Buffer): string | undefined => (d.length === IPV4_LEN ? getIpv4(d, 0) : undefined);
  for (const [code, d] of [...r.value].sort((x, y) => x[0] - y[0])) {
    let known = true;
    switch (code) {
      case OPT_MESSAGE_TYPE: if (d.length === 1) o.messageType = d[0]; else known = false; break;
      case OPT_SUBNET_MASK: if ((o.subnetMask = one(d)) === undefined) known = false; break;
      case OPT_ROUTER: if ((o.routers = ips(d)) === undefined) known = false; break;
      case OPT_DNS: if ((o.dnsServers = ips(d)) === undefined) known = false; break;
      case OPT_HOST_NAME: o.hostName = d.toString('latin1'); break;
      case OPT_DOMAIN_NAME: o.domainName = d.toString('latin1'); break;
      case OPT_MTU: if (d.length === U16_LEN) o.mtu = d.readUInt16BE(0); else known = false; break;
      case OPT_REQUESTED_IP: if ((o.requestedIp = one(d)) === undefined) known = false; break;
      case OPT_LEASE_TIME: if (d.length === U32_LEN) o.leaseTime = d.readUInt32BE(0); else known = false; break;
      case OPT_SERVER_ID: if ((o.serverId = one(d)) === undefined) known = false; break;
      case OPT_PARAMETER_LIST: o.parameterRequestList = [...d]; break;
      case OPT_RENEWAL_TIME: if (d.length === U32_LEN) o.renewalTime = d.readUInt32BE(0); else known = false; break;
      case OPT_REBINDING_TIME: if (d.length === U32_LEN) o.rebindingTime = d.readUInt32BE(0); else known = false; break;
      case OPT_CLIENT_ID: o.clientId = Buffer.from(d); break;
      case OPT_CLASSLESS_ROUTES: if ((o.classlessRoutes = parseRoutes(d)) === undefined) known = false; break;
      default: known = false;
    }
    if (!known) other.push({ code, data: Buffer.from(d) });
  }
  // malformed known options are kept raw under `other` rather than failing the whole message
  for (const k of Object.keys(o) as (keyof DhcpOptions)[]) if (o[k] === undefined) delete o[k];
  if (other.length > 0) o.other = other;
  return { ok: true, value: o };
}
