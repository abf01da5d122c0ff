// Addresses as match fields: an IP or CIDR from a port becomes an OXM value and mask; a MAC gives its IPv6 link-local address.
import { ADDRESS_BITS, formatIp, parseCidr, parseIp, type IpVersion } from '../../src/domain/ip/address.ts';
import type { KnownOxm } from '../../openflow/messages/types.ts';
import { m } from './flow.ts';

export interface IpMatch {
  version: IpVersion;
  /** a /0 prefix: every address of the version */
  any?: true;
  /** canonical address text */
  value: string;
  /** canonical mask text; absent for a single address */
  mask?: string;
}

/** An address ("10.0.0.5") or a prefix ("10.0.0.0/24", as allowed address pairs may give) as a match; undefined if invalid. */
export function ipMatch(text: string): IpMatch | undefined {
  if (!text.includes('/')) {
    const ip = parseIp(text);
    return ip && { version: ip.version, value: formatIp(ip) };
  }
  const cidr = parseCidr(text);
  if (!cidr) return undefined;
  const bits = BigInt(ADDRESS_BITS[cidr.version]);
  const full = (1n << bits) - 1n;
  if (BigInt(cidr.prefixLength) === bits) return { version: cidr.version, value: formatIp({ version: cidr.version, value: cidr.network }) };
  const mask = full ^ ((1n << (bits - BigInt(cidr.prefixLength))) - 1n);
  return {
    ...(cidr.prefixLength === 0 ? { any: true as const } : {}),
    version: cidr.version,
    value: formatIp({ version: cidr.version, value: cidr.network }),
    mask: formatIp({ version: cidr.version, value: mask }),
  };
}

type AddressField = 'ipv4_src' | 'ipv4_dst' | 'ipv6_src' | 'ipv6_dst' | 'arp_spa' | 'arp_tpa';

/**
 * The match entries for an address on one field: none for a /0 prefix, which matches every address.
 * OVS drops an all-zero mask from the flow it stores, so a flow sent with one would never read back
 * as sent and every resync would replace it.
 */
export function addressMatch(field: AddressField, a: IpMatch): KnownOxm[] {
  if (a.any) return [];
  return [a.mask === undefined ? m(field, a.value) : m(field, a.value, a.mask)];
}

/** Universal/local bit of the first MAC octet, flipped in the modified EUI-64 identifier (RFC 4291 appendix A). */
const EUI64_UL_BIT = 0x02;
const LINK_LOCAL_PREFIX = 0xfe80n << 112n;

/** The IPv6 link-local address a host derives from its MAC (SLAAC, modified EUI-64). */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const eui = [b[0] ^ EUI64_UL_BIT, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  let iid = 0n;
  for (const octet of eui) iid = (iid << 8n) | BigInt(octet);
  return formatIp({ version: 6, value: LINK_LOCAL_PREFIX | iid });
}
