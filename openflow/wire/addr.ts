// Converts MAC, IPv4 and IPv6 address strings to and from their wire bytes without intermediate arrays.
import { EncodeError } from './errors.ts';
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

export const MAC_LEN = 6;
export const IPV4_LEN = 4;
export const IPV6_LEN = 16;
const IPV6_GROUPS = 8;
/** ::a.b.c.d has 6 leading zero groups, ::ffff:a.b.c.d 5 then 0xffff (RFC 4291 2.5.5) */
const IPV4_COMPAT_ZERO_GROUPS = 6;
const IPV4_MAPPED_ZERO_GROUPS = 5;

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Writes "aa:bb:cc:dd:ee:ff" (also accepts '-' separators) as 6 bytes at buf[at]. */
export function putMac(buf: Buffer, at: number, mac: string): void {
  if (mac.length !== 17) throw new EncodeError(`bad MAC address '${mac}'`);
  for (let i = 0; i < MAC_LEN; i++) {
    const hi = hexNibble(mac.charCodeAt(i * 3));
    const lo = hexNibble(mac.charCodeAt(i * 3 + 1));
    if (hi < 0 || lo < 0) throw new EncodeError(`bad MAC address '${mac}'`);
    buf[at + i] = (hi << 4) | lo;
  }
}

export function getMac(buf: Buffer, at: number): string {
  return `${HEX2[buf[at]]}:${HEX2[buf[at + 1]]}:${HEX2[buf[at + 2]]}:${HEX2[buf[at + 3]]}:${HEX2[buf[at + 4]]}:${HEX2[buf[at + 5]]}`;
}

/** Writes a dotted quad as 4 bytes at buf[at]. */
export function putIpv4(buf: Buffer, at: number, ip: string): void {
  let octet = 0;
  let digits = 0;
  let idx = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 46; // treat the end as a final '.'
    if (c === 46) {
      if (digits === 0 || idx >= IPV4_LEN) throw new EncodeError(`bad IPv4 address '${ip}'`);
      buf[at + idx++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) throw new EncodeError(`bad IPv4 address '${ip}'`);
    } else {
      throw new EncodeError(`bad IPv4 address '${ip}'`);
    }
  }
  if (idx !== IPV4_LEN) throw new EncodeError(`bad IPv4 address '${ip}'`);
}

export function getIpv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** Writes an IPv6 address (with optional '::' and trailing dotted quad) as 16 bytes at buf[at]. */
export function putIpv6(buf: Buffer, at: number, ip: string): void {
  const bad = (): never => {
    throw new EncodeError(`bad IPv6 address '${ip}'`);
  };
  const dbl = ip.indexOf('::');
  if (dbl !== ip.lastIndexOf('::')) bad();
  const headStr = dbl < 0 ? ip : ip.slice(0, dbl);
  const tailStr = dbl < 0 ? '' : ip.slice(dbl + 2);
  const head = headStr === '' ? [] : headStr.split(':');
  const tail = tailStr === '' ? [] : tailStr.split(':');
  const groups: number[] = [];
  const parseGroups = (parts: string[], out: number[]): void => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.includes('.') && i === parts.length - 1) {
        const tmp = Buffer.allocUnsafe(IPV4_LEN);
        putIpv4(tmp, 0, p);
        out.push((tmp[0] << 8) | tmp[1], (tmp[2] << 8) | tmp[3]);
        continue;
      }
      if (p.length === 0 || p.length > 4) bad();
      let v = 0;
      for (let k = 0; k < p.length; k++) {
        const n = hexNibble(p.charCodeAt(k));
        if (n < 0) bad();
        v = (v << 4) | n;
      }
      out.push(v);
    }
  };
  const tailGroups: number[] = [];
  parseGroups(head, groups);
  parseGroups(tail, tailGroups);
  if (dbl < 0) {
    if (groups.length !== IPV6_GROUPS) bad();
  } else {
    if (groups.length + tailGroups.length > IPV6_GROUPS - 1) bad();
    while (groups.length + tailGroups.length < IPV6_GROUPS) groups.push(0);
  }
  groups.push(...tailGroups);
  for (let i = 0; i < IPV6_GROUPS; i++) {
    buf[at + 2 * i] = groups[i] >> 8;
    buf[at + 2 * i + 1] = groups[i] & 0xff;
  }
}

/**
 * Canonical RFC 5952 text: lower case, longest run (>= 2) of zero groups as '::', and IPv4-mapped
 * (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses in dotted form, as glibc's inet_ntop and
 * therefore ovs-ofctl print them.
 */
export function getIpv6(buf: Buffer, at: number): string {
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let i = 0; i <= IPV6_GROUPS; i++) {
    const zero = i < IPV6_GROUPS && buf[at + 2 * i] === 0 && buf[at + 2 * i + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > bestLen) {
        bestStart = runStart;
        bestLen = i - runStart;
      }
      runStart = -1;
    }
  }
  const group = (i: number): number => (buf[at + 2 * i] << 8) | buf[at + 2 * i + 1];
  const v4 = (): string => `${buf[at + 12]}.${buf[at + 13]}.${buf[at + 14]}.${buf[at + 15]}`;
  if (bestStart === 0 && bestLen === IPV4_COMPAT_ZERO_GROUPS) return `::${v4()}`;
  if (bestStart === 0 && bestLen === IPV4_MAPPED_ZERO_GROUPS && group(IPV4_MAPPED_ZERO_GROUPS) === 0xffff) return `::ffff:${v4()}`;
  let s = '';
  for (let i = 0; i < IPV6_GROUPS; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s.length > 0 && !s.endsWith(':')) s += ':';
    s += ((buf[at + 2 * i] << 8) | buf[at + 2 * i + 1]).toString(16);
  }
  return s;
}

export function writeMac(w: Writer, mac: string): void {
  putMac(w.buf, w.pos, mac);
  w.pos += MAC_LEN;
}
export function writeIpv4(w: Writer, ip: string): void {
  putIpv4(w.buf, w.pos, ip);
  w.pos += IPV4_LEN;
}
export function writeIpv6(w: Writer, ip: string): void {
  putIpv6(w.buf, w.pos, ip);
  w.pos += IPV6_LEN;
}
export function readMac(r: Reader): string {
  r.need(MAC_LEN, 'MAC address');
  const s = getMac(r.buf, r.pos);
  r.pos += MAC_LEN;
  return s;
}
export function readIpv4(r: Reader): string {
  r.need(IPV4_LEN, 'IPv4 address');
  const s = getIpv4(r.buf, r.pos);
  r.pos += IPV4_LEN;
  return s;
}
export function readIpv6(r: Reader): string {
  r.need(IPV6_LEN, 'IPv6 address');
  const s = getIpv6(r.buf, r.pos);
  r.pos += IPV6_LEN;
  return s;
}
