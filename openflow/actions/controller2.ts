// Body of NXAST_CONTROLLER2: a list of properties (max_len, controller id, reason, userdata, pause, meter id).
import * as C from '../constants/actions.ts';
import type { Controller2Action } from '../messages/types.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';

/**
 * Payload sizes inside the property length, as OVS 3.1 writes them: a u16 property has length 8 (value then
 * 2 zero bytes; OpenFlow's convention for 16-bit properties), a u8 one length 5 (padding outside the length).
 */
const U8 = 1;
const U16 = 4;
const U32 = 4;
/** The zeros after the Nicira subtype in nx_action_controller2. */
const CONTROLLER2_PAD = 6;

function propLength(payload: number): number {
  return pad8(C.OFP_PROP_HEADER_LEN + payload);
}

export function controller2Length(a: Controller2Action): number {
  let n = C.NX_ACTION_CONTROLLER2_LEN;
  if (a.maxLen !== undefined) n += propLength(U16);
  if (a.controllerId !== undefined) n += propLength(U16);
  if (a.reason !== undefined) n += propLength(U8);
  if (a.userdata !== undefined) n += propLength(a.userdata.length);
  if (a.pause) n += propLength(0);
  if (a.meterId !== undefined) n += propLength(U32);
  return n;
}

function prop(w: Writer, type: number, payload: number, put: () => void): void {
  w.u16(type);
  w.u16(C.OFP_PROP_HEADER_LEN + payload);
  put();
  w.zeros(propLength(payload) - C.OFP_PROP_HEADER_LEN - payload);
}

export function encodeController2(w: Writer, a: Controller2Action): void {
  w.zeros(CONTROLLER2_PAD);
  if (a.maxLen !== undefined) prop(w, C.NXAC2PT_MAX_LEN, U16, () => { w.u16(a.maxLen!); w.zeros(2); });
  if (a.controllerId !== undefined) prop(w, C.NXAC2PT_CONTROLLER_ID, U16, () => { w.u16(a.controllerId!); w.zeros(2); });
  if (a.reason !== undefined) prop(w, C.NXAC2PT_REASON, U8, () => w.u8(a.reason!));
  if (a.userdata !== undefined) prop(w, C.NXAC2PT_USERDATA, a.userdata.length, () => w.bytes(a.userdata!));
  if (a.pause) prop(w, C.NXAC2PT_PAUSE, 0, () => undefined);
  if (a.meterId !== undefined) prop(w, C.NXAC2PT_METER_ID, U32, () => w.u32(a.meterId!));
}

export function decodeController2(r: Reader): Controller2Action {
  r.skip(CONTROLLER2_PAD);
  const a: Controller2Action = { type: 'controller2', pause: false };
  while (r.remaining > 0) {
    const at = r.pos;
    const type = r.u16();
    const len = r.u16();
    if (len < C.OFP_PROP_HEADER_LEN) r.fail('bad_length', `controller2 property length ${len}`, at);
    const payload = len - C.OFP_PROP_HEADER_LEN;
    r.within(payload, 'controller2 property', () => {
      switch (type) {
        case C.NXAC2PT_MAX_LEN:
          a.maxLen = r.u16();
          break;
        case C.NXAC2PT_CONTROLLER_ID:
          a.controllerId = r.u16();
          break;
        case C.NXAC2PT_REASON:
          a.reason = r.u8();
          break;
        case C.NXAC2PT_USERDATA:
          a.userdata = r.bytes(payload);
          break;
        case C.NXAC2PT_PAUSE:
          a.pause = true;
          break;
        case C.NXAC2PT_METER_ID:
          a.meterId = r.u32();
          break;
        default:
          r.fail('unsupported', `controller2 property ${type}`, at);
      }
    });
    // padding to 8 may be cut short by the end of the action
    r.pos = Math.min(r.end, at + pad8(len));
  }
  return a;
}
