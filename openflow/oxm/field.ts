// Encodes, decodes and sizes one OXM TLV (value and optional mask), and the bare field headers NX actions use.
import {
  lookupExperimenterOxm,
  lookupOxm,
  nxActionHeader,
  NXM_OF_IN_PORT_FIELD,
  OFPXMC_EXPERIMENTER,
  OFPXMC_NXM_0,
  OXM_BY_NAME,
  OXM_EXPERIMENTER_ID_LEN,
  OXM_HEADER_LEN,
  oxmHeader,
  type OxmFieldInfo,
} from '../constants/oxm.ts';
import type { KnownOxm, Oxm, OxmFieldName } from '../messages/types.ts';
import { getIpv4, getIpv6, getMac, putIpv4, putIpv6, putMac } from '../wire/addr.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { Writer } from '../wire/writer.ts';

const U64_MASK = (1n << 64n) - 1n;

/** A Map: much faster than a 90-key object on this hot path. */
const INFO = new Map<string, OxmFieldInfo>(Object.entries(OXM_BY_NAME));

export function fieldInfo(name: OxmFieldName): OxmFieldInfo {
  const f = INFO.get(name);
  if (f === undefined) throw new EncodeError(`unknown match field '${String(name)}'`);
  return f;
}

export function oxmLength(o: Oxm): number {
  if (o.field === 'unknown') {
    return OXM_HEADER_LEN + (o.experimenter !== undefined ? OXM_EXPERIMENTER_ID_LEN : 0) + o.body.length;
  }
  const f = fieldInfo(o.field);
  return OXM_HEADER_LEN + (f.experimenter !== undefined ? OXM_EXPERIMENTER_ID_LEN : 0) + (o.mask === undefined ? f.len : 2 * f.len);
}

/** Writes a value of the field's kind at the cursor. */
export function writeValue(w: Writer, f: OxmFieldInfo, v: unknown): void {
  const buf = w.buf;
  const at = w.pos;
  switch (f.kind) {
    case 'u8':
      buf[at] = v as number;
      break;
    case 'u16':
      buf.writeUInt16BE((v as number) & 0xffff, at);
      break;
    case 'u24':
      buf.writeUIntBE((v as number) & 0xffffff, at, 3);
      break;
    case 'u32':
      buf.writeUInt32BE((v as number) >>> 0, at);
      break;
    case 'u64':
      w.u64(v as bigint);
      return;
    case 'u128': {
      const big = BigInt.asUintN(128, v as bigint);
      buf.writeBigUInt64BE(big >> 64n, at);
      buf.writeBigUInt64BE(big & U64_MASK, at + 8);
      break;
    }
    case 'mac':
      putMac(buf, at, v as string);
      break;
    case 'ipv4':
      putIpv4(buf, at, v as string);
      break;
    case 'ipv6':
      putIpv6(buf, at, v as string);
      break;
  }
  w.pos = at + f.len;
}

/** Reads a value of the field's kind at buf[at] (bounds already checked by the caller). */
export function readValue(buf: Buffer, at: number, f: OxmFieldInfo): number | bigint | string {
  switch (f.kind) {
    case 'u8':
      return buf[at];
    case 'u16':
      return buf.readUInt16BE(at);
    case 'u24':
      return buf.readUIntBE(at, 3);
    case 'u32':
      return buf.readUInt32BE(at);
    case 'u64':
      return buf.readBigUInt64BE(at);
    case 'u128':
      return (buf.readBigUInt64BE(at) << 64n) | buf.readBigUInt64BE(at + 8);
    case 'mac':
      return getMac(buf, at);
    case 'ipv4':
      return getIpv4(buf, at);
    case 'ipv6':
      return getIpv6(buf, at);
  }
}

export function encodeOxm(w: Writer, o: Oxm): void {
  if (o.field === 'unknown') {
    const payload = (o.experimenter !== undefined ? OXM_EXPERIMENTER_ID_LEN : 0) + o.body.length;
    w.u32(((o.oxmClass << 16) | (o.oxmField << 9) | (o.hasMask ? 0x100 : 0) | payload) >>> 0);
    if (o.experimenter !== undefined) w.u32(o.experimenter);
    w.bytes(o.body);
    return;
  }
  const f = fieldInfo(o.field);
  const masked = o.mask !== undefined;
  w.u32(oxmHeader(f, masked));
  if (f.experimenter !== undefined) w.u32(f.experimenter);
  writeValue(w, f, o.value);
  if (masked) writeValue(w, f, o.mask);
}

/** Decodes one OXM TLV at the cursor; unknown fields come back raw. */
export function decodeOxm(r: Reader): Oxm {
  const start = r.pos;
  const header = r.u32();
  const oxmClass = header >>> 16;
  const oxmField = (header >>> 9) & 0x7f;
  const hasMask = (header & 0x100) !== 0;
  const len = header & 0xff;
  r.need(len, 'OXM payload');
  let experimenter: number | undefined;
  let payload = len;
  if (oxmClass === OFPXMC_EXPERIMENTER) {
    if (len < OXM_EXPERIMENTER_ID_LEN) r.fail('bad_length', `experimenter OXM with length ${len}`, start);
    experimenter = r.u32();
    payload -= OXM_EXPERIMENTER_ID_LEN;
  }
  const f = experimenter !== undefined ? lookupExperimenterOxm(experimenter, oxmField) : lookupOxm(oxmClass, oxmField);
  if (f === undefined) {
    const body = r.bytes(payload);
    return experimenter !== undefined
      ? { field: 'unknown', oxmClass, oxmField, hasMask, experimenter, body }
      : { field: 'unknown', oxmClass, oxmField, hasMask, body };
  }
  if (payload !== (hasMask ? 2 * f.len : f.len)) {
    r.fail('bad_length', `OXM ${f.name} has length ${payload}, expected ${hasMask ? 2 * f.len : f.len}`, start);
  }
  const at = r.pos;
  r.pos += payload;
  const value = readValue(r.buf, at, f);
  if (!hasMask) return { field: f.name, value } as KnownOxm;
  return { field: f.name, value, mask: readValue(r.buf, at + f.len, f) } as KnownOxm;
}

// --- bare field headers, as NXAST_REG_MOVE / REG_LOAD / LEARN / OUTPUT_REG carry them

export function fieldHeaderLength(name: OxmFieldName): number {
  return fieldInfo(name).experimenter !== undefined ? OXM_HEADER_LEN + OXM_EXPERIMENTER_ID_LEN : OXM_HEADER_LEN;
}

export function writeFieldHeader(w: Writer, name: OxmFieldName): void {
  const short = nxActionHeader(name);
  if (short !== undefined) {
    w.u32(short);
    return;
  }
  const f = fieldInfo(name);
  w.u32(oxmHeader(f, false));
  if (f.experimenter !== undefined) w.u32(f.experimenter);
}

/** Reads a field header; returns undefined for fields this library does not know. */
export function readFieldHeader(r: Reader): OxmFieldName | undefined {
  const header = r.u32();
  const oxmClass = header >>> 16;
  const field = (header >>> 9) & 0x7f;
  if (oxmClass === OFPXMC_EXPERIMENTER) return lookupExperimenterOxm(r.u32(), field)?.name;
  if (oxmClass === OFPXMC_NXM_0 && field === NXM_OF_IN_PORT_FIELD) return 'in_port';
  return lookupOxm(oxmClass, field)?.name;
}

/**
 * The field with its value ANDed with its mask (bits outside the mask do not matter, and OVS stores and
 * reports them as zero). Fields without a mask come back unchanged.
 */
export function applyMask(o: KnownOxm): KnownOxm {
  if (o.mask === undefined) return o;
  const f = fieldInfo(o.field);
  const w = new Writer(Buffer.alloc(2 * f.len));
  writeValue(w, f, o.value);
  writeValue(w, f, o.mask);
  for (let i = 0; i < f.len; i++) w.buf[i] &= w.buf[f.len + i];
  return { field: o.field, value: readValue(w.buf, 0, f), mask: o.mask } as KnownOxm;
}

/** A field value (address strings included) as an unsigned integer of the field's width. */
export function valueToBits(name: OxmFieldName, value: number | bigint | string): bigint {
  const f = fieldInfo(name);
  const w = new Writer(Buffer.alloc(f.len));
  writeValue(w, f, value);
  return BigInt(`0x${w.buf.toString('hex')}`);
}

/** The inverse of valueToBits. */
export function bitsToValue(name: OxmFieldName, bits: bigint): number | bigint | string {
  const f = fieldInfo(name);
  const b = Buffer.from(BigInt.asUintN(f.len * 8, bits).toString(16).padStart(f.len * 2, '0'), 'hex');
  return readValue(b, 0, f);
}
