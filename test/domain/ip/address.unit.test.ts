// IP parsing and formatting: strict input, RFC 5952 output, CIDR containment and overlap.
import { describe, expect, it } from 'vitest';
import { canonicalIp, cidrsOverlap, formatCidr, parseCidr, parseIp } from '../../../src/domain/ip/address.ts';

describe('IP addresses', () => {
  it('parses IPv4 strictly', () => {
    expect(parseIp('10.0.0.1')).toEqual({ version: 4, value: 0x0a000001n });
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '1.2.3.4.5', '', 'a.b.c.d', ' 1.2.3.4']) expect(parseIp(bad)).toBeUndefined();
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
