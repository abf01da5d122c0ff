// Codecs of the ONF bundle extension in OpenFlow 1.3 (EXT-230): bundle_control (2300) and bundle_add (2301).
import { ONF_VENDOR_ID } from '../constants/oxm.ts';
import * as M from '../constants/messages.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import type { BundleAdd, BundleControl, OfpMessage } from './types.ts';

function flagBits(m: { atomic: boolean; ordered: boolean }): number {
  return (m.atomic ? M.OFPBF_ATOMIC : 0) | (m.ordered ? M.OFPBF_ORDERED : 0);
}

export function bundleControlLength(m: BundleControl): number {
  return M.OFP_EXPERIMENTER_FIXED_LEN + M.BUNDLE_CTRL_FIXED_LEN + m.properties.length;
}

export function encodeBundleControl(w: Writer, m: BundleControl): void {
  const t = M.BUNDLE_CTRL_TYPES.indexOf(m.ctrlType);
  if (t < 0) throw new EncodeError(`unknown bundle control type '${m.ctrlType}'`);
  w.u32(ONF_VENDOR_ID);
  w.u32(M.ONFT_BUNDLE_CONTROL);
  w.u32(m.bundleId);
  w.u16(t);
  w.u16(flagBits(m));
  w.bytes(m.properties);
}

/** Body after experimenter id and exp_type. */
export function decodeBundleControl(r: Reader, xid: number): BundleControl {
  const bundleId = r.u32();
  const at = r.pos;
  const t = r.u16();
  const ctrlType = M.BUNDLE_CTRL_TYPES[t];
  if (ctrlType === undefined) r.fail('bad_value', `bundle control type ${t}`, at);
  const flags = r.u16();
  return {
    type: 'bundle_control', xid, bundleId, ctrlType,
    atomic: (flags & M.OFPBF_ATOMIC) !== 0, ordered: (flags & M.OFPBF_ORDERED) !== 0,
    properties: r.bytes(r.remaining),
  };
}

/** Bytes of a bundle_add, given the encoded length of its inner message. */
export function bundleAddLength(m: BundleAdd, innerLen: number): number {
  const props = m.properties.length > 0 ? pad8(innerLen) - innerLen + m.properties.length : 0;
  return M.OFP_EXPERIMENTER_FIXED_LEN + M.BUNDLE_ADD_FIXED_LEN + innerLen + props;
}

export function encodeBundleAdd(w: Writer, m: BundleAdd, encodeInner: (w: Writer, inner: OfpMessage) => void): void {
  w.u32(ONF_VENDOR_ID);
  w.u32(M.ONFT_BUNDLE_ADD_MESSAGE);
  w.u32(m.bundleId);
  w.zeros(2);
  w.u16(flagBits(m));
  // the inner length is read off the writer: a separate sizing pass doubled the cost of a bundle
  const innerStart = w.pos;
  encodeInner(w, m.message);
  const innerLen = w.pos - innerStart;
  if (m.properties.length > 0) {
    // properties start 8-aligned after the inner message (EXT-230)
    w.zeros(pad8(innerLen) - innerLen);
    w.bytes(m.properties);
  }
}

export function decodeBundleAdd(r: Reader, xid: number, decodeInner: (frame: Buffer, at: number) => OfpMessage): BundleAdd {
  const bundleId = r.u32();
  r.skip(2);
  const flags = r.u16();
  const at = r.pos;
  r.need(M.OFP_HEADER_LEN, 'bundled message header');
  const innerLen = r.buf.readUInt16BE(r.pos + 2);
  if (innerLen < M.OFP_HEADER_LEN) r.fail('bad_length', `bundled message length ${innerLen}`, at + 2);
  const inner = r.within(innerLen, 'bundled message', () => r.bytes(innerLen));
  const message = decodeInner(inner, at);
  let properties: Buffer = Buffer.alloc(0);
  if (r.remaining > 0) {
    r.skip(Math.min(r.remaining, pad8(innerLen) - innerLen));
    properties = r.bytes(r.remaining);
  }
  return {
    type: 'bundle_add', xid, bundleId,
    atomic: (flags & M.OFPBF_ATOMIC) !== 0, ordered: (flags & M.OFPBF_ORDERED) !== 0,
    message, properties,
  };
}
