// Codecs of the Nicira packet-in extensions OVS speaks in OpenFlow 1.3: NXT_SET_PACKET_IN_FORMAT, NXT_PACKET_IN2, NXT_RESUME.
import * as M from '../constants/messages.ts';
import { NX_VENDOR_ID } from '../constants/oxm.ts';
import { decodeOxm, encodeOxm, oxmLength } from '../oxm/field.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import type { NxPacketIn2, NxPacketInProps, NxResume, NxSetPacketInFormat, PacketInFormat } from './types.ts';

const PROP_HEADER_LEN = 4;
const FORMAT_LEN = 4;
/** ofpprop_put_be64 puts 4 zero bytes before a 64-bit value so it is 8-aligned (OVS ofp-prop.c). */
const BE64_PROP_PAD = 4;
/** u8 properties have length 5 (header + the byte; padding outside the length), as OVS writes them. */
const U8 = 1;
const U32 = 4;
const U64 = 8;

function nxHeader(w: Writer, subtype: number): void {
  w.u32(NX_VENDOR_ID);
  w.u32(subtype);
}

export function setPacketInFormatLength(): number {
  return M.OFP_EXPERIMENTER_FIXED_LEN + FORMAT_LEN;
}

export function encodeSetPacketInFormat(w: Writer, m: NxSetPacketInFormat): void {
  const f = M.PACKET_IN_FORMATS.indexOf(m.format);
  if (f < 0) throw new EncodeError(`unknown packet-in format '${m.format}'`);
  nxHeader(w, M.NXT_SET_PACKET_IN_FORMAT);
  w.u32(f);
}

export function decodeSetPacketInFormat(r: Reader, xid: number): NxSetPacketInFormat {
  const at = r.pos;
  const n = r.u32();
  const format: PacketInFormat | undefined = M.PACKET_IN_FORMATS[n];
  if (format === undefined) r.fail('bad_value', `packet-in format ${n}`, at);
  return { type: 'nx_set_packet_in_format', xid, format };
}

function metadataLength(m: NxPacketInProps): number {
  let n = 0;
  for (const o of m.match) n += oxmLength(o);
  return n;
}

export function packetIn2Length(m: NxPacketIn2 | NxResume): number {
  const prop = (payload: number): number => pad8(PROP_HEADER_LEN + payload);
  let n = M.OFP_EXPERIMENTER_FIXED_LEN + prop(m.data.length);
  if (m.fullLen !== undefined) n += prop(U32);
  if (m.bufferId !== undefined) n += prop(U32);
  if (m.tableId !== undefined) n += prop(U8);
  if (m.cookie !== undefined) n += prop(BE64_PROP_PAD + U64);
  if (m.reason !== undefined) n += prop(U8);
  if (m.match.length > 0) n += prop(metadataLength(m));
  if (m.userdata !== undefined) n += prop(m.userdata.length);
  if (m.continuation !== undefined) n += prop(m.continuation.length);
  return n;
}

function prop(w: Writer, type: number, write: () => void): void {
  const start = w.pos;
  w.u16(type);
  w.u16(0);
  write();
  w.patchU16(start + 2, w.pos - start);
  w.padFrom(start);
}

export function encodePacketIn2(w: Writer, m: NxPacketIn2 | NxResume): void {
  nxHeader(w, m.type === 'nx_packet_in2' ? M.NXT_PACKET_IN2 : M.NXT_RESUME);
  prop(w, M.NXPINT_PACKET, () => w.bytes(m.data));
  if (m.fullLen !== undefined) prop(w, M.NXPINT_FULL_LEN, () => w.u32(m.fullLen!));
  if (m.bufferId !== undefined) prop(w, M.NXPINT_BUFFER_ID, () => w.u32(m.bufferId!));
  if (m.tableId !== undefined) prop(w, M.NXPINT_TABLE_ID, () => w.u8(m.tableId!));
  if (m.cookie !== undefined) prop(w, M.NXPINT_COOKIE, () => {
    w.zeros(BE64_PROP_PAD);
    w.u64(m.cookie!);
  });
  if (m.reason !== undefined) prop(w, M.NXPINT_REASON, () => w.u8(m.reason!));
  if (m.match.length > 0) prop(w, M.NXPINT_METADATA, () => m.match.forEach((o) => encodeOxm(w, o)));
  // OVS writes the continuation before the userdata
  if (m.continuation !== undefined) prop(w, M.NXPINT_CONTINUATION, () => w.bytes(m.continuation!));
  if (m.userdata !== undefined) prop(w, M.NXPINT_USERDATA, () => w.bytes(m.userdata!));
}

/** Body after experimenter id and subtype. Unknown properties are skipped. */
export function decodePacketIn2(r: Reader, xid: number, type: 'nx_packet_in2' | 'nx_resume'): NxPacketIn2 | NxResume {
  const m: NxPacketIn2 | NxResume = { type, xid, data: Buffer.alloc(0), match: [] };
  let sawPacket = false;
  while (r.remaining > 0) {
    const at = r.pos;
    const t = r.u16();
    const len = r.u16();
    if (len < PROP_HEADER_LEN) r.fail('bad_length', `packet-in property length ${len}`, at + 2);
    r.within(len - PROP_HEADER_LEN, 'packet-in property', () => {
      switch (t) {
        case M.NXPINT_PACKET: m.data = r.bytes(r.remaining); sawPacket = true; break;
        case M.NXPINT_FULL_LEN: m.fullLen = r.u32(); break;
        case M.NXPINT_BUFFER_ID: m.bufferId = r.u32(); break;
        case M.NXPINT_TABLE_ID: m.tableId = r.u8(); break;
        case M.NXPINT_COOKIE: r.skip(BE64_PROP_PAD); m.cookie = r.u64(); break;
        case M.NXPINT_REASON: m.reason = r.u8(); break;
        case M.NXPINT_METADATA: while (r.remaining > 0) m.match.push(decodeOxm(r)); break;
        case M.NXPINT_USERDATA: m.userdata = r.bytes(r.remaining); break;
        case M.NXPINT_CONTINUATION: m.continuation = r.bytes(r.remaining); break;
        default: break;
      }
    });
    // the last property's padding may be cut short by the end of the message
    r.pos = Math.min(r.end, at + pad8(len));
  }
  if (!sawPacket) r.fail('bad_value', 'packet-in2 without a packet property');
  return m;
}
