// Entry points that encode and decode whole OpenFlow 1.3 frames (header included): dispatch by message type.
import { NX_VENDOR_ID, ONF_VENDOR_ID } from '../constants/oxm.ts';
import * as M from '../constants/messages.ts';
import { DecodeFailure, EncodeError, guardDecode } from '../wire/errors.ts';
import { Reader } from '../wire/reader.ts';
import { Writer } from '../wire/writer.ts';
import * as B from './basic.ts';
import { bundleAddLength, bundleControlLength, decodeBundleAdd, decodeBundleControl, encodeBundleAdd, encodeBundleControl } from './bundle.ts';
import * as Mod from './modify.ts';
import * as NX from './nxPacketIn.ts';
import * as MP from './multipart.ts';
import * as MR from './multipartReply.ts';
import * as P from './packet.ts';
import type { DecodeResult, OfpMessage } from './types.ts';

/** Body length (after the 8-byte header) of a message. */
function bodyLength(m: OfpMessage): number {
  switch (m.type) {
    case 'hello':
      return B.helloLength(m);
    case 'error':
      return B.errorLength(m);
    case 'echo_request':
    case 'echo_reply':
      return m.data.length;
    case 'experimenter':
      return M.OFP_EXPERIMENTER_FIXED_LEN + m.data.length;
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
      return 0;
    case 'features_reply':
      return M.OFP_SWITCH_FEATURES_BODY_LEN;
    case 'get_config_reply':
    case 'set_config':
      return B.SWITCH_CONFIG_LEN;
    case 'packet_in':
      return P.packetInLength(m);
    case 'packet_out':
      return P.packetOutLength(m);
    case 'flow_removed':
      return P.flowRemovedLength(m);
    case 'port_status':
      return P.PORT_STATUS_LEN;
    case 'flow_mod':
      return Mod.flowModLength(m);
    case 'group_mod':
      return Mod.groupModLength(m);
    case 'meter_mod':
      return Mod.meterModLength(m);
    case 'role_request':
    case 'role_reply':
      return M.OFP_ROLE_BODY_LEN;
    case 'multipart_request':
      return M.OFP_MULTIPART_FIXED_LEN + MP.requestBodyLength(m.body);
    case 'multipart_reply':
      return M.OFP_MULTIPART_FIXED_LEN + MR.replyBodyLength(m.body);
    case 'bundle_control':
      return bundleControlLength(m);
    case 'bundle_add':
      return bundleAddLength(m, encodingLength(m.message));
    case 'nx_set_packet_in_format':
      return NX.setPacketInFormatLength();
    case 'set_async':
    case 'get_async_reply':
      return M.OFP_ASYNC_CONFIG_BODY_LEN;
    case 'get_async_request':
      return 0;
    case 'nx_packet_in2':
    case 'nx_resume':
      return NX.packetIn2Length(m);
  }
}

const TYPE_CODES: Record<OfpMessage['type'], number> = {
  hello: M.OFPT_HELLO,
  error: M.OFPT_ERROR,
  echo_request: M.OFPT_ECHO_REQUEST,
  echo_reply: M.OFPT_ECHO_REPLY,
  experimenter: M.OFPT_EXPERIMENTER,
  features_request: M.OFPT_FEATURES_REQUEST,
  features_reply: M.OFPT_FEATURES_REPLY,
  get_config_request: M.OFPT_GET_CONFIG_REQUEST,
  get_config_reply: M.OFPT_GET_CONFIG_REPLY,
  set_config: M.OFPT_SET_CONFIG,
  packet_in: M.OFPT_PACKET_IN,
  flow_removed: M.OFPT_FLOW_REMOVED,
  port_status: M.OFPT_PORT_STATUS,
  packet_out: M.OFPT_PACKET_OUT,
  flow_mod: M.OFPT_FLOW_MOD,
  group_mod: M.OFPT_GROUP_MOD,
  meter_mod: M.OFPT_METER_MOD,
  barrier_request: M.OFPT_BARRIER_REQUEST,
  barrier_reply: M.OFPT_BARRIER_REPLY,
  role_request: M.OFPT_ROLE_REQUEST,
  role_reply: M.OFPT_ROLE_REPLY,
  multipart_request: M.OFPT_MULTIPART_REQUEST,
  multipart_reply: M.OFPT_MULTIPART_REPLY,
  bundle_control: M.OFPT_EXPERIMENTER,
  bundle_add: M.OFPT_EXPERIMENTER,
  set_async: M.OFPT_SET_ASYNC,
  get_async_request: M.OFPT_GET_ASYNC_REQUEST,
  get_async_reply: M.OFPT_GET_ASYNC_REPLY,
  nx_set_packet_in_format: M.OFPT_EXPERIMENTER,
  nx_packet_in2: M.OFPT_EXPERIMENTER,
  nx_resume: M.OFPT_EXPERIMENTER,
};

function encodeBody(w: Writer, m: OfpMessage): void {
  switch (m.type) {
    case 'hello':
      return B.encodeHello(w, m);
    case 'error':
      return B.encodeError(w, m);
    case 'echo_request':
    case 'echo_reply':
      return w.bytes(m.data);
    case 'experimenter':
      return B.encodeExperimenter(w, m);
    case 'features_request':
    case 'get_config_request':
    case 'barrier_request':
    case 'barrier_reply':
      return;
    case 'features_reply':
      return B.encodeFeaturesReply(w, m);
    case 'get_config_reply':
    case 'set_config':
      return B.encodeSwitchConfig(w, m);
    case 'packet_in':
      return P.encodePacketIn(w, m);
    case 'packet_out':
      return P.encodePacketOut(w, m);
    case 'flow_removed':
      return P.encodeFlowRemoved(w, m);
    case 'port_status':
      return P.encodePortStatus(w, m);
    case 'flow_mod':
      return Mod.encodeFlowMod(w, m);
    case 'group_mod':
      return Mod.encodeGroupMod(w, m);
    case 'meter_mod':
      return Mod.encodeMeterMod(w, m);
    case 'role_request':
    case 'role_reply':
      return B.encodeRole(w, m);
    case 'multipart_request':
    case 'multipart_reply':
      w.u16(MP.multipartCode(m.body));
      w.u16(m.flags);
      w.zeros(4);
      if (m.type === 'multipart_request') MP.encodeRequestBody(w, m.body);
      else MR.encodeReplyBody(w, m.body);
      return;
    case 'bundle_control':
      return encodeBundleControl(w, m);
    case 'bundle_add':
      return encodeBundleAdd(w, m, encodeInto);
    case 'nx_set_packet_in_format':
      return NX.encodeSetPacketInFormat(w, m);
    case 'set_async':
    case 'get_async_reply':
      return B.encodeAsyncConfig(w, m);
    case 'get_async_request':
      return;
    case 'nx_packet_in2':
    case 'nx_resume':
      return NX.encodePacketIn2(w, m);
  }
}

/** Number of bytes encodeMessage(msg) produces. */
export function encodingLength(msg: OfpMessage): number {
  return M.OFP_HEADER_LEN + bodyLength(msg);
}

/**
 * Writes the whole frame of `msg` at the writer's cursor and patches its header length. The writer must
 * have room (encodingLength(msg) bytes); frames over 65535 bytes throw EncodeError. `xid` goes in the
 * header (the body encoders never read msg.xid): a message without one is framed without a copy.
 */
export function encodeInto(w: Writer, msg: OfpMessage, xid: number = msg.xid): void {
  const start = w.pos;
  w.u8(msg.type === 'hello' || msg.type === 'error' ? msg.version : M.OFP_VERSION_13);
  w.u8(TYPE_CODES[msg.type]);
  w.u16(0);
  w.u32(xid);
  encodeBody(w, msg);
  const len = w.pos - start;
  if (len > M.OFP_MAX_LENGTH) throw new EncodeError(`${msg.type} of ${len} bytes exceeds the OpenFlow maximum of 65535`);
  w.patchU16(start + 2, len);
}

/**
 * Room for any legal frame plus slack: encoding goes here first and is copied out, which costs less than
 * a separate sizing pass. Writes past the end of a Buffer are dropped by the engine, and the length
 * check in encodeInto then rejects the frame.
 */
const SCRATCH = new Writer(Buffer.alloc(2 * (M.OFP_MAX_LENGTH + 1)));

function encodeToScratch(msg: OfpMessage): number {
  SCRATCH.pos = 0;
  try {
    encodeInto(SCRATCH, msg);
  } catch (e) {
    // Buffer.set past the end (huge payloads) throws RangeError: report it as the typed error it is
    if (e instanceof RangeError) throw new EncodeError(`${msg.type} exceeds the OpenFlow maximum of 65535 bytes`);
    throw e;
  }
  return SCRATCH.pos;
}

/**
 * Encodes a message into one frame with the header length filled in. Throws EncodeError
 * (also when the frame would exceed 65535 bytes) for values that cannot be put on the wire.
 */
export function encodeMessage(msg: OfpMessage): Buffer {
  const len = encodeToScratch(msg);
  const out = Buffer.allocUnsafe(len);
  SCRATCH.buf.copy(out, 0, 0, len);
  return out;
}

/** Encodes several messages back to back into one Buffer (one socket write for a batch). */
export function encodeMessages(msgs: readonly OfpMessage[]): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (const m of msgs) {
    const len = encodeToScratch(m);
    const out = Buffer.allocUnsafe(len);
    SCRATCH.buf.copy(out, 0, 0, len);
    chunks.push(out);
    total += len;
  }
  return Buffer.concat(chunks, total);
}

/** Decodes one whole frame; never throws. */
export function decodeMessage(frame: Uint8Array): DecodeResult<OfpMessage> {
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  return guardDecode(() => decodeFrame(buf, 0, 0));
}

/** Bundles inside bundles are refused, so nesting (and recursion) stays bounded. */
const MAX_BUNDLE_DEPTH = 1;

function decodeFrame(buf: Buffer, base: number, depth: number): OfpMessage {
  if (buf.length < M.OFP_HEADER_LEN) {
    throw new DecodeFailure('truncated', `frame of ${buf.length} bytes is shorter than the 8-byte header`, base);
  }
  const version = buf[0];
  const type = buf[1];
  const len = buf.readUInt16BE(2);
  const xid = buf.readUInt32BE(4);
  if (len < M.OFP_HEADER_LEN) throw new DecodeFailure('bad_length', `header length ${len} < 8`, base + 2);
  if (len > buf.length) throw new DecodeFailure('truncated', `header says ${len} bytes, frame has ${buf.length}`, base + 2);
  if (len < buf.length) throw new DecodeFailure('bad_length', `header says ${len} bytes, frame has ${buf.length}`, base + 2);
  // hellos and errors of other versions still decode, so version negotiation can fail cleanly
  if (version !== M.OFP_VERSION_13 && type !== M.OFPT_HELLO && type !== M.OFPT_ERROR) {
    throw new DecodeFailure('bad_version', `OpenFlow version 0x${version.toString(16)} (only 0x04)`, base);
  }
  const r = new Reader(buf, M.OFP_HEADER_LEN, len);
  try {
    const msg = decodeBody(r, type, xid, version, depth);
    if (r.remaining !== 0) r.fail('bad_length', `${r.remaining} unexpected bytes after the ${msg.type} body`);
    return msg;
  } catch (e) {
    if (e instanceof DecodeFailure && base !== 0) throw new DecodeFailure(e.code, e.message, e.offset + base);
    throw e;
  }
}

function decodeBody(r: Reader, type: number, xid: number, version: number, depth: number): OfpMessage {
  switch (type) {
    case M.OFPT_HELLO:
      return B.decodeHello(r, xid, version);
    case M.OFPT_ERROR:
      return B.decodeError(r, xid, version);
    case M.OFPT_ECHO_REQUEST:
      return B.decodeEcho(r, xid, 'echo_request');
    case M.OFPT_ECHO_REPLY:
      return B.decodeEcho(r, xid, 'echo_reply');
    case M.OFPT_EXPERIMENTER:
      return decodeExperimenter(r, xid, depth);
    case M.OFPT_FEATURES_REQUEST:
      return { type: 'features_request', xid };
    case M.OFPT_FEATURES_REPLY:
      return B.decodeFeaturesReply(r, xid);
    case M.OFPT_GET_CONFIG_REQUEST:
      return { type: 'get_config_request', xid };
    case M.OFPT_GET_CONFIG_REPLY:
      return B.decodeSwitchConfig(r, xid, 'get_config_reply');
    case M.OFPT_SET_CONFIG:
      return B.decodeSwitchConfig(r, xid, 'set_config');
    case M.OFPT_PACKET_IN:
      return P.decodePacketIn(r, xid);
    case M.OFPT_FLOW_REMOVED:
      return P.decodeFlowRemoved(r, xid);
    case M.OFPT_PORT_STATUS:
      return P.decodePortStatus(r, xid);
    case M.OFPT_PACKET_OUT:
      return P.decodePacketOut(r, xid);
    case M.OFPT_FLOW_MOD:
      return Mod.decodeFlowMod(r, xid);
    case M.OFPT_GROUP_MOD:
      return Mod.decodeGroupMod(r, xid);
    case M.OFPT_METER_MOD:
      return Mod.decodeMeterMod(r, xid);
    case M.OFPT_BARRIER_REQUEST:
      return { type: 'barrier_request', xid };
    case M.OFPT_BARRIER_REPLY:
      return { type: 'barrier_reply', xid };
    case M.OFPT_ROLE_REQUEST:
      return B.decodeRole(r, xid, 'role_request');
    case M.OFPT_ROLE_REPLY:
      return B.decodeRole(r, xid, 'role_reply');
    case M.OFPT_SET_ASYNC:
      return { type: 'set_async', xid, ...B.decodeAsyncConfig(r) };
    case M.OFPT_GET_ASYNC_REQUEST:
      return { type: 'get_async_request', xid };
    case M.OFPT_GET_ASYNC_REPLY:
      return { type: 'get_async_reply', xid, ...B.decodeAsyncConfig(r) };
    case M.OFPT_MULTIPART_REQUEST:
    case M.OFPT_MULTIPART_REPLY: {
      const mpType = r.u16();
      const flags = r.u16();
      r.skip(4);
      return type === M.OFPT_MULTIPART_REQUEST
        ? { type: 'multipart_request', xid, flags, body: MP.decodeRequestBody(r, mpType) }
        : { type: 'multipart_reply', xid, flags, body: MR.decodeReplyBody(r, mpType) };
    }
    default:
      return r.fail('unknown_type', `message type ${type}`, 1);
  }
}

function decodeExperimenter(r: Reader, xid: number, depth: number): OfpMessage {
  const experimenter = r.u32();
  const expType = r.u32();
  if (experimenter === ONF_VENDOR_ID && expType === M.ONFT_BUNDLE_CONTROL) return decodeBundleControl(r, xid);
  if (experimenter === ONF_VENDOR_ID && expType === M.ONFT_BUNDLE_ADD_MESSAGE) {
    if (depth >= MAX_BUNDLE_DEPTH) r.fail('unsupported', 'bundle_add inside bundle_add');
    return decodeBundleAdd(r, xid, (inner, at) => decodeFrame(inner, at, depth + 1));
  }
  if (experimenter === NX_VENDOR_ID) {
    if (expType === M.NXT_SET_PACKET_IN_FORMAT) return NX.decodeSetPacketInFormat(r, xid);
    if (expType === M.NXT_PACKET_IN2) return NX.decodePacketIn2(r, xid, 'nx_packet_in2');
    if (expType === M.NXT_RESUME) return NX.decodePacketIn2(r, xid, 'nx_resume');
  }
  return B.decodeExperimenterMsg(r, xid, experimenter, expType);
}
