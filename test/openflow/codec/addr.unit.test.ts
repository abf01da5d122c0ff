// IPv6 text against glibc's inet_ntop (what ovs-ofctl prints), through python3's socket module as the oracle.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getIpv6, putIpv6 } from '../../../openflow/wire/addr.ts';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.warn('skipping inet_ntop comparison: python3 is not installed');

/** 16-byte addresses biased towards zero runs, IPv4-mapped and IPv4-compatible forms. */
const address = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 8 }), fc.constantFrom('plain', 'mapped', 'compat'))
  .map(([g, start, len, form]) => {
    const groups = g.map((v, i) => (i >= start && i < start + len ? 0 : v));
    if (form === 'mapped') groups.splice(0, 6, 0, 0, 0, 0, 0, 0xffff);
    if (form === 'compat') groups.splice(0, 6, 0, 0, 0, 0, 0, 0);
    const b = Buffer.alloc(16);
    groups.forEach((v, i) => b.writeUInt16BE(v, 2 * i));
    return b;
  });

describe.skipIf(!python)('IPv6 text', () => {
  it('matches inet_ntop for generated addresses, and parses back', () => {
    const samples = fc.sample(address, { numRuns: 400, seed: 42 });
    const script = 'import socket,sys\nfor l in sys.stdin: print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(l.strip())))';
    const out = spawnSync('python3', ['-c', script], { input: samples.map((b) => b.toString('hex')).join('\n'), encoding: 'utf8' });
    const expected = out.stdout.trim().split('\n');
    samples.forEach((b, i) => {
      expect(getIpv6(b, 0), b.toString('hex')).toBe(expected[i]);
      const back = Buffer.alloc(16);
      putIpv6(back, 0, expected[i]);
      expect(back.equals(b)).toBe(true);
    });
  });
});
