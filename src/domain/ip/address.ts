// IPv4/IPv6 addresses and CIDRs as bigints: parse strictly, format canonically (RFC 5952), compare, contain.

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

export interface Cidr {
  version: IpVersion;
  /** The network address (host bits zero). */
  network: bigint;
  prefixLength: number;
}

export const ADDRESS_BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };
const IPV4_OCTETS = 4;
const IPV6_GROUPS = 8;
const GROUP_BITS = 16n;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_DOT = 46;
const MAX_OCTET = 255;
const MAX_OCTET_DIGITS = 3;
const OCTET_RADIX = 256;
/** Place value of each IPv4 octet, most significant first. */
const OCTET_WEIGHTS = [OCTET_RADIX ** 3, OCTET_RADIX ** 2, OCTET_RADIX, 1];

/**
 * Dotted-quad IPv4, strictly (four decimal octets, no leading zeros, nothing else). One pass over
 * the characters in plain numbers, one BigInt at the end: every port create parses several addresses.
 */
function parseIpv4(text: string): bigint | undefined {
  let value = 0;
  let octets = 0;
  let octet = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : CHAR_DOT;
    if (c === CHAR_DOT) {
      if (digits === 0 || octet > MAX_OCTET) return undefined;
      value = value * OCTET_RADIX + octet;
      octets += 1;
      octet = 0;
      digits = 0;
    } else if (c >= CHAR_0 && c <= CHAR_9) {
      // "0" alone is an octet; "01" is refused like a leading-zero (octal-looking) spelling
      if ((digits === 1 && octet === 0) || digits === MAX_OCTET_DIGITS) return undefined;
      octet = octet * 10 + (c - CHAR_0);
      digits += 1;
    } else {
      return undefined;
    }
  }
  return octets === IPV4_OCTETS ? BigInt(value) : undefined;
}

function parseGroups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const groups: bigint[] = [];
  for (const part of text.split(':')) {
    if (!HEX_GROUP.test(part)) return undefined;
    groups.push(BigInt(`0x${part}`));
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = IPV6_GROUPS - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const g of [...head, ...Array<bigint>(missing).fill(0n), ...tail]) value = (value << GROUP_BITS) | g;
  return value;
}

export function parseIp(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = IPV6_GROUPS - 1; i >= 0; i--) groups.push(Number((value >> (BigInt(i) * GROUP_BITS)) & 0xffffn));
  // RFC 5952 section 4.2: compress the longest run (first on ties) of two or more zero groups.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < IPV6_GROUPS; ) {
    let j = i;
    while (j < IPV6_GROUPS && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}

export function formatIp(ip: IpAddress): string {
  if (ip.version === 6) return formatIpv6(ip.value);
  const v = Number(ip.value);
  const octet = (weight: number) => Math.floor(v / weight) % OCTET_RADIX;
  return `${octet(OCTET_WEIGHTS[0])}.${octet(OCTET_WEIGHTS[1])}.${octet(OCTET_WEIGHTS[2])}.${octet(OCTET_WEIGHTS[3])}`;
}

/** Canonical text of an address given in any valid spelling, or undefined. */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip === undefined ? undefined : formatIp(ip);
}

function hostMask(version: IpVersion, prefixLength: number): bigint {
  return (1n << BigInt(ADDRESS_BITS[version] - prefixLength)) - 1n;
}

/** A CIDR whose host bits are zero ("10.0.0.0/24"); "10.0.0.1/24" is refused like Neutron does. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > ADDRESS_BITS[ip.version]) return undefined;
  if ((ip.value & hostMask(ip.version, prefixLength)) !== 0n) return undefined;
  return { version: ip.version, network: ip.value, prefixLength };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefixLength}`;
}

export function lastAddress(cidr: Cidr): bigint {
  return cidr.network | hostMask(cidr.version, cidr.prefixLength);
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return ip.version === cidr.version && ip.value >= cidr.network && ip.value <= lastAddress(cidr);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);
}
