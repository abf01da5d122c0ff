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

/**
 * The IPv6 link-local address a host derives from its MAC (SLAAC, modified EUI-64), written out as
 * formatIp would (RFC 5952): fe80:0:0:0:g4:g5:g6:g7, where g5 (low byte ff) and g6 (high byte fe) are
 * never zero, so the run to compress is groups 1-3, or 1-4 when g4 is zero. Built from the octets
 * directly: through a bigint and formatIp it was ~25 ms of a 1000-port bring-up's main thread.
 */
export function linkLocalOf(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const g4 = ((b[0] ^ EUI64_UL_BIT) << 8) | b[1];
  const tail = `${((b[2] << 8) | 0xff).toString(16)}:${(0xfe00 | b[3]).toString(16)}:${((b[4] << 8) | b[5]).toString(16)}`;
  return g4 === 0 ? `fe80::${tail}` : `fe80::${g4.toString(16)}:${tail}`;
}
