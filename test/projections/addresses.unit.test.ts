// linkLocalOf writes the link-local address from the MAC's octets; it must equal the address built
// through a bigint and formatIp (RFC 5952), including the MACs whose groups are zero.
import { describe, expect, it } from 'vitest';
import { formatIp } from '../../src/domain/ip/address.ts';
import { linkLocalOf } from '../../projections/pipeline/addresses.ts';

/** The modified EUI-64 identifier under fe80::/64, as an integer, printed by formatIp. */
function reference(mac: string): string {
  const b = mac.split(':').map((x) => Number.parseInt(x, 16));
  const eui = [b[0] ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]];
  let iid = 0n;
  for (const octet of eui) iid = (iid << 8n) | BigInt(octet);
  return formatIp({ version: 6, value: (0xfe80n << 112n) | iid });
}

const macOf = (octets: readonly number[]): string => octets.map((o) => o.toString(16).padStart(2, '0')).join(':');

/** A small deterministic generator (mulberry32), so a failure names a MAC that fails again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('linkLocalOf', () => {
  it('gives the RFC 5952 text of fe80::/64 with the modified EUI-64 identifier', () => {
    expect(linkLocalOf('fa:16:3e:12:34:56')).toBe('fe80::f816:3eff:fe12:3456');
    // the U/L bit flips to zero and the first identifier group is zero: the compressed run grows
    expect(linkLocalOf('02:00:00:00:00:00')).toBe('fe80::ff:fe00:0');
    expect(linkLocalOf('02:00:5e:00:00:01')).toBe('fe80::5eff:fe00:1');
  });

  it('equals formatIp of the address as an integer, zero groups and upper case included', () => {
    const next = random(1);
    // octets drawn so zero groups are common: 0 and 2 (the U/L bit) often, anything else otherwise
    const octet = (): number => (next() < 0.3 ? (next() < 0.5 ? 0 : 2) : Math.floor(next() * 256));
    for (let i = 0; i < 20_000; i++) {
      const mac = macOf(Array.from({ length: 6 }, octet));
      const text = i % 3 === 0 ? mac.toUpperCase() : mac;
      expect(linkLocalOf(text), text).toBe(reference(text));
    }
  });
});
