// IP parsing and formatting: strict input, RFC 5952 output, CIDR containment and overlap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp, cidrsOverlap, formatCidr, parseCidr, parseIp } from '../../../src/domain/ip/address.ts';

describe('IP addresses', () => {
  it('parses IPv4 strictly', () => {
    expect(parseIp('10.0.0.1')).toEqual({ version: 4, value: 0x0a000001n });
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4.5', '', 'a.b.c.d', ' 1.2.3.4']) expect(parseIp(bad)).toBeUndefined();
  });
  it('parses and formats every IPv4 address like the dotted-quad definition, and refuses near misses', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(fc.property(octet, octet, octet, octet, (a, b, c, d) => {
      const text = `${a}.${b}.${c}.${d}`;
      const value = BigInt(((a * 256 + b) * 256 + c) * 256 + d);
      expect(parseIp(text)).toEqual({ version: 4, value });
      expect(canonicalIp(text)).toBe(text);
    }));
    // the strict definition (no leading zeros, 0-255, four parts) as a reference for arbitrary strings
    const strict = (t: string) => /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(t) && t.split('.').every((p) => Number(p) <= 255);
    fc.assert(fc.property(fc.stringMatching(/^[0-9.]{0,16}$/), (t) => {
      expect(parseIp(t) !== undefined, t).toBe(strict(t));
    }), { numRuns: 2000 });
    for (const bad of ['1.2.3.', '.1.2.3', '1..2.3', '256.0.0.1', '00.1.2.3', '1.2.3.4 ', '1.2.3.1000']) expect(parseIp(bad), bad).toBeUndefined();
  });
  it('formats IPv6 canonically (RFC 5952)', () => {
    expect(canonicalIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIp('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('::')).toBe('::');
    expect(canonicalIp('1:2:3:4:5:6:7:8')).toBe('1:2:3:4:5:6:7:8');
    expect(canonicalIp('1:0:3:4:5:6:7:8')).toBe('1:0:3:4:5:6:7:8');
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', ':::']) expect(parseIp(bad)).toBeUndefined();
  });
  it('parses CIDRs with host bits zero and detects overlap', () => {
    expect(formatCidr(parseCidr('10.0.0.0/8')!)).toBe('10.0.0.0/8');
    expect(parseCidr('10.0.0.1/8')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(cidrsOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.9.0.0/16')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false);
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('::/0')!)).toBe(false);
  });
});
