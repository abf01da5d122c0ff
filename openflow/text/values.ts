// Prints and parses match/set_field values in ovs-ofctl's notation (hex, CIDR masks, ct_state flags, port names).
import { OXM_BY_NAME, type OxmFieldInfo } from '../constants/oxm.ts';
import type { KnownOxm, OxmFieldName } from '../messages/types.ts';
import { applyMask } from '../oxm/field.ts';
import { getIpv6, putIpv6 } from '../wire/addr.ts';
import { CT_STATE_FLAGS, FIELD_TEXT, parsePort, portText, TCP_FLAGS, TUN_FLAGS } from './fields.ts';

const FLAG_SETS: Record<string, [string, number][]> = { ct_state: CT_STATE_FLAGS, tun_flags: TUN_FLAGS, tcp_flags: TCP_FLAGS };

type Value = number | bigint | string;

/** C's %#x: "0" for zero, else 0x-prefixed hex. */
export function hex(v: number | bigint): string {
  return v === 0 || v === 0n ? '0' : `0x${v.toString(16)}`;
}

function allOnes(f: OxmFieldInfo): bigint {
  return (1n << BigInt(f.len * 8)) - 1n;
}

function big(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(v as number);
}

function ipv4Prefix(mask: string): number | undefined {
  const n = mask.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  for (let len = 0; len <= 32; len++) {
    const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if (m === n) return len;
  }
  return undefined;
}

function ipv6Prefix(mask: string): number | undefined {
  const b = Buffer.alloc(16);
  putIpv6(b, 0, mask);
  let len = 0;
  while (len < 128 && (b[len >> 3] & (0x80 >> (len & 7))) !== 0) len++;
  for (let i = len; i < 128; i++) if ((b[i >> 3] & (0x80 >> (i & 7))) !== 0) return undefined;
  return len;
}

function flagsText(value: number, mask: number, flags: [string, number][]): string | undefined {
  let known = 0;
  let s = '';
  for (const [name, bit] of flags) {
    known |= bit;
    if (mask & bit) s += (value & bit ? '+' : '-') + name;
  }
  return (mask & ~known) === 0 && s !== '' ? s : undefined;
}

/** Text of a field's value (and mask) as dump-flows prints it after `name=`. */
export function valueText(o: KnownOxm): string {
  const f = OXM_BY_NAME[o.field];
  const fmt = FIELD_TEXT[o.field].format;
  const masked = o.mask !== undefined && big2(o.mask, f) !== allOnes(f);
  switch (fmt) {
    case 'mac':
      return masked ? `${o.value}/${o.mask}` : String(o.value);
    case 'ipv4': {
      if (!masked) return String(o.value);
      const p = ipv4Prefix(o.mask as string);
      return p === undefined ? `${o.value}/${o.mask}` : `${o.value}/${p}`;
    }
    case 'ipv6': {
      if (!masked) return String(o.value);
      const p = ipv6Prefix(o.mask as string);
      return p === undefined ? `${o.value}/${o.mask}` : `${o.value}/${p}`;
    }
    case 'ct_state':
    case 'tun_flags':
    case 'tcp_flags': {
      const text = flagsText(o.value as number, masked ? (o.mask as number) : (o.value as number) | 0xff, FLAG_SETS[fmt]);
      if (text !== undefined) return text;
      return masked ? `${hex(o.value as number)}/${hex(o.mask as number)}` : hex(o.value as number);
    }
    case 'port':
      return masked ? `${hex(o.value as number)}/${hex(o.mask as number)}` : portText(o.value as number);
    case 'ethtype':
      return masked ? `0x${(o.value as number).toString(16).padStart(4, '0')}/0x${(o.mask as number).toString(16)}` : `0x${(o.value as number).toString(16).padStart(4, '0')}`;
    case 'flabel':
      return masked ? `0x${(o.value as number).toString(16).padStart(5, '0')}/0x${(o.mask as number).toString(16).padStart(5, '0')}` : `0x${(o.value as number).toString(16).padStart(5, '0')}`;
    case 'dec':
      return masked ? `0x${big(o.value).toString(16)}/0x${big(o.mask!).toString(16)}` : String(o.value);
    case 'hex':
      return masked ? `${hex(big(o.value))}/${hex(big(o.mask!))}` : hex(big(o.value));
  }
}

function big2(v: Value, f: OxmFieldInfo): bigint {
  if (typeof v === 'string') {
    if (f.kind === 'mac') return BigInt(`0x${v.replace(/:/g, '')}`);
    if (f.kind === 'ipv4') return BigInt(v.split('.').reduce((a, o) => a * 256 + Number(o), 0));
    const b = Buffer.alloc(16);
    putIpv6(b, 0, v);
    return BigInt(`0x${b.toString('hex')}`);
  }
  return big(v);
}

// --- parsing

export class TextError extends Error {}

function num(s: string, f: OxmFieldInfo): number | bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new TextError(`bad number '${s}' for ${f.name}`);
  const v = BigInt(s);
  if (v > allOnes(f)) throw new TextError(`${s} does not fit ${f.name}`);
  return f.kind === 'u64' || f.kind === 'u128' ? v : Number(v);
}

function ipv4FromPrefix(len: number): string {
  const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff].join('.');
}

function ipv6FromPrefix(len: number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < len; i++) b[i >> 3] |= 0x80 >> (i & 7);
  return getIpv6(b, 0);
}

function canonicalIpv6(s: string): string {
  const b = Buffer.alloc(16);
  putIpv6(b, 0, s.toLowerCase());
  return getIpv6(b, 0);
}

function parseFlags(s: string, flags: [string, number][], what: string): { value: number; mask: number } {
  let value = 0;
  let mask = 0;
  const re = /([+-])([a-z]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s)) !== null) {
    const bit = flags.find(([n]) => n === m![2])?.[1];
    if (bit === undefined) throw new TextError(`unknown ${what} flag '${m[2]}'`);
    mask |= bit;
    if (m[1] === '+') value |= bit;
    consumed = re.lastIndex;
  }
  if (consumed !== s.length) throw new TextError(`bad ${what} '${s}'`);
  return { value, mask };
}

/** Parses `value[/mask]` for a field, in any notation dump-flows or add-flow uses. */
export function parseValue(field: OxmFieldName, text: string): KnownOxm {
  const f = OXM_BY_NAME[field];
  const fmt = FIELD_TEXT[field].format;
  if (FLAG_SETS[fmt] !== undefined && /^[+-]/.test(text)) {
    const { value, mask } = parseFlags(text, FLAG_SETS[fmt], field);
    return { field, value, mask } as KnownOxm;
  }
  const slash = text.indexOf('/');
  const v = slash < 0 ? text : text.slice(0, slash);
  const m = slash < 0 ? undefined : text.slice(slash + 1);
  const one = (s: string, isMask: boolean): Value => {
    switch (f.kind) {
      case 'mac':
        if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(s)) throw new TextError(`bad MAC '${s}'`);
        return s.toLowerCase();
      case 'ipv4':
        if (isMask && /^\d+$/.test(s)) return ipv4FromPrefix(Number(s));
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(s) || s.split('.').some((o) => Number(o) > 255)) throw new TextError(`bad IPv4 address '${s}'`);
        return s;
      case 'ipv6':
        if (isMask && /^\d+$/.test(s)) return ipv6FromPrefix(Number(s));
        try {
          return canonicalIpv6(s);
        } catch {
          throw new TextError(`bad IPv6 address '${s}'`);
        }
      default:
        if (fmt === 'port' && !isMask) {
          const p = parsePort(s);
          if (p === undefined) throw new TextError(`bad port '${s}'`);
          return p;
        }
        return num(s, f);
    }
  };
  const value = one(v, false);
  if (m === undefined) return { field, value } as KnownOxm;
  // like ovs-ofctl, keep only the value bits the mask selects (OVS refuses others for some fields)
  return applyMask({ field, value, mask: one(m, true) } as KnownOxm);
}
