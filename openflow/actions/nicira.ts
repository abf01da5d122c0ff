// Encodes, decodes and sizes Nicira extension actions (experimenter 0x00002320, OVS nicira-ext.h and ofp-actions.c).
import * as C from '../constants/actions.ts';
import { NX_VENDOR_ID, OXM_HEADER_LEN } from '../constants/oxm.ts';
import { OFPP10_MAX, OFPP_MAX } from '../constants/ports.ts';
import type { Action, KnownOxm, OxmFieldName } from '../messages/types.ts';
import { decodeOxm, encodeOxm, fieldHeaderLength, oxmLength, writeFieldHeader } from '../oxm/field.ts';
import { DecodeFailure, EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import { ctLength, decodeCt, decodeNat, encodeCt, encodeNat, natLength } from './conntrack.ts';
import { controller2Length, decodeController2, encodeController2 } from './controller2.ts';
import { decodeLearn, encodeLearn, learnLength } from './learn.ts';
import { readSlice, sliceFromOfsNbits } from './nxCommon.ts';

/** Fixed sizes of the simple NX actions (nicira-ext.h struct sizes). */
const NX_RESUBMIT_LEN = 16;
const NX_REG_LOAD_LEN = 24;
const NX_OUTPUT_REG_LEN = 24;
const NX_SIMPLE_LEN = 16;
/** nx_action_reg_move: header(10) n_bits(2) src_ofs(2) dst_ofs(2), then two field headers */
const NX_REG_MOVE_FIXED = 16;
/** nx_action_cnt_ids: header(10) n_controllers(2) zeros(4), then u16 ids */
const NX_CNT_IDS_FIXED = 16;
/** nx_action_output_reg2: header(10) ofs_nbits(2) max_len(2), then the field header */
const NX_OUTPUT_REG2_FIXED = 14;

/** OF1.0 16-bit port numbers (NXAST_RESUBMIT) <-> OF1.3 32-bit ones: reserved ports live at the top of both. */
export function port16to32(p: number): number {
  return p >= OFPP10_MAX ? (p + (OFPP_MAX - OFPP10_MAX)) >>> 0 : p;
}
export function port32to16(p: number): number {
  return p >= OFPP_MAX ? p - (OFPP_MAX - OFPP10_MAX) : p & 0xffff;
}

function nxHeader(w: Writer, len: number, subtype: number): void {
  w.u16(C.OFPAT_EXPERIMENTER);
  w.u16(len);
  w.u32(NX_VENDOR_ID);
  w.u16(subtype);
}

/** Bytes of a Nicira action, or -1 when `a` is not one. */
export function niciraActionLength(a: Action): number {
  switch (a.type) {
    case 'resubmit':
      return NX_RESUBMIT_LEN;
    case 'dec_ttl':
      return pad8(NX_CNT_IDS_FIXED + 2 * a.controllerIds.length);
    case 'controller':
    case 'conjunction':
    case 'exit':
    case 'ct_clear':
      return NX_SIMPLE_LEN;
    case 'reg_move':
      return pad8(NX_REG_MOVE_FIXED + fieldHeaderLength(a.src.field) + fieldHeaderLength(a.dst.field));
    case 'reg_load':
    case 'output_reg':
      return a.type === 'reg_load' ? NX_REG_LOAD_LEN : NX_OUTPUT_REG_LEN;
    case 'set_field':
      // masked set_field travels as NXAST_REG_LOAD2
      return pad8(C.NX_ACTION_HEADER_LEN + oxmLength(a.field));
    case 'note':
      return pad8(C.NX_ACTION_HEADER_LEN + a.note.length);
    case 'ct':
      return ctLength(a);
    case 'nat':
      return natLength(a);
    case 'controller2':
      return controller2Length(a);
    case 'learn':
      return learnLength(a);
    case 'experimenter':
      return pad8(C.OFP_ACTION_EXPERIMENTER_HEADER_LEN + a.data.length);
    default:
      return -1;
  }
}

/** NXAST_REG_LOAD, NXAST_OUTPUT_REG and NXAST_CT have room for a 4-byte field header only. */
export function requireShortHeader(field: OxmFieldName, action: string): void {
  if (fieldHeaderLength(field) !== OXM_HEADER_LEN) throw new EncodeError(`${action} cannot name experimenter field ${field}`);
}

/** Writes a Nicira (or raw experimenter) action; its length is patched once the body (padded to 8) is written. */
export function encodeNiciraAction(w: Writer, a: Action): void {
  const start = w.pos;
  const len = 0;
  if (a.type === 'experimenter') {
    w.u16(C.OFPAT_EXPERIMENTER);
    w.u16(len);
    w.u32(a.experimenter);
    w.bytes(a.data);
    w.patchU16(start + 2, w.padFrom(start));
    return;
  }
  switch (a.type) {
    case 'resubmit': {
      // ovs-ofctl sends even `resubmit:N` as NXAST_RESUBMIT_TABLE with table 255, and the switch echoes
      // back the subtype it was given, so always using the TABLE form keeps flow stats byte-identical
      nxHeader(w, len, a.ct ? C.NXAST_RESUBMIT_TABLE_CT : C.NXAST_RESUBMIT_TABLE);
      w.u16(port32to16(a.port));
      w.u8(a.table);
      break;
    }
    case 'reg_move':
      nxHeader(w, len, C.NXAST_REG_MOVE);
      w.u16(a.src.nBits);
      w.u16(a.src.ofs);
      w.u16(a.dst.ofs);
      writeFieldHeader(w, a.src.field);
      writeFieldHeader(w, a.dst.field);
      break;
    case 'reg_load':
      requireShortHeader(a.dst.field, 'reg_load');
      nxHeader(w, len, C.NXAST_REG_LOAD);
      w.u16((a.dst.ofs << 6) | (a.dst.nBits - 1));
      writeFieldHeader(w, a.dst.field);
      w.u64(a.value);
      break;
    case 'set_field':
      nxHeader(w, len, C.NXAST_REG_LOAD2);
      encodeOxm(w, a.field);
      break;
    case 'note':
      nxHeader(w, len, C.NXAST_NOTE);
      w.bytes(a.note);
      break;
    case 'dec_ttl':
      // OVS knows only the CNT_IDS form in OpenFlow 1.3 (NXAST_DEC_TTL is 1.0/1.1 only)
      nxHeader(w, len, C.NXAST_DEC_TTL_CNT_IDS);
      w.u16(a.controllerIds.length);
      w.zeros(4);
      for (const id of a.controllerIds) w.u16(id);
      break;
    case 'controller':
      nxHeader(w, len, C.NXAST_CONTROLLER);
      w.u16(a.maxLen);
      w.u16(a.controllerId);
      w.u8(a.reason);
      break;
    case 'conjunction':
      nxHeader(w, len, C.NXAST_CONJUNCTION);
      w.u8(a.clause);
      w.u8(a.nClauses);
      w.u32(a.id);
      break;
    case 'output_reg':
      requireShortHeader(a.src.field, 'output_reg');
      nxHeader(w, len, C.NXAST_OUTPUT_REG);
      w.u16((a.src.ofs << 6) | (a.src.nBits - 1));
      writeFieldHeader(w, a.src.field);
      w.u16(a.maxLen);
      break;
    case 'exit':
      nxHeader(w, len, C.NXAST_EXIT);
      break;
    case 'ct_clear':
      nxHeader(w, len, C.NXAST_CT_CLEAR);
      break;
    case 'ct':
      nxHeader(w, len, C.NXAST_CT);
      encodeCt(w, a);
      break;
    case 'nat':
      nxHeader(w, len, C.NXAST_NAT);
      encodeNat(w, a);
      break;
    case 'controller2':
      nxHeader(w, len, C.NXAST_CONTROLLER2);
      encodeController2(w, a);
      break;
    case 'learn':
      nxHeader(w, len, C.NXAST_LEARN);
      encodeLearn(w, a);
      break;
    default:
      throw new EncodeError(`not a Nicira action: ${a.type}`);
  }
  w.patchU16(start + 2, w.padFrom(start));
}

/**
 * Decodes an experimenter action body (reader narrowed to everything after type and length).
 * Nicira actions this library does not know, or that name unknown fields, come back raw.
 */
export function decodeExperimenterAction(r: Reader): Action {
  const bodyStart = r.pos;
  const experimenter = r.u32();
  if (experimenter === NX_VENDOR_ID) {
    try {
      const a = decodeNicira(r, r.u16());
      if (a !== undefined) return a;
    } catch (e) {
      if (!(e instanceof DecodeFailure) || e.code !== 'unsupported') throw e;
    }
    r.pos = bodyStart + 4;
  }
  return { type: 'experimenter', experimenter, data: r.bytes(r.remaining) };
}

function decodeNicira(r: Reader, subtype: number): Action | undefined {
  switch (subtype) {
    case C.NXAST_RESUBMIT:
    case C.NXAST_RESUBMIT_TABLE:
    case C.NXAST_RESUBMIT_TABLE_CT: {
      const port = port16to32(r.u16());
      const table = r.u8();
      return { type: 'resubmit', port, table: subtype === C.NXAST_RESUBMIT ? 0xff : table, ct: subtype === C.NXAST_RESUBMIT_TABLE_CT };
    }
    case C.NXAST_REG_MOVE: {
      const nBits = r.u16();
      const srcOfs = r.u16();
      const dstOfs = r.u16();
      const src = readSlice(r, srcOfs, nBits);
      const dst = readSlice(r, dstOfs, nBits);
      return { type: 'reg_move', src, dst };
    }
    case C.NXAST_REG_LOAD: {
      const ofsNbits = r.u16();
      const dst = sliceFromOfsNbits(r, ofsNbits);
      return { type: 'reg_load', dst, value: r.u64() };
    }
    case C.NXAST_REG_LOAD2: {
      const field = decodeOxm(r);
      if (field.field === 'unknown') return undefined;
      return { type: 'set_field', field: field as KnownOxm };
    }
    case C.NXAST_NOTE:
      return { type: 'note', note: r.bytes(r.remaining) };
    case C.NXAST_DEC_TTL:
      return { type: 'dec_ttl', controllerIds: [] };
    case C.NXAST_DEC_TTL_CNT_IDS: {
      const n = r.u16();
      r.skip(4);
      const controllerIds: number[] = [];
      for (let i = 0; i < n; i++) controllerIds.push(r.u16());
      return { type: 'dec_ttl', controllerIds };
    }
    case C.NXAST_CONTROLLER: {
      const maxLen = r.u16();
      const controllerId = r.u16();
      return { type: 'controller', maxLen, controllerId, reason: r.u8() };
    }
    case C.NXAST_CONJUNCTION: {
      const clause = r.u8();
      const nClauses = r.u8();
      return { type: 'conjunction', clause, nClauses, id: r.u32() };
    }
    case C.NXAST_OUTPUT_REG: {
      const ofsNbits = r.u16();
      const src = sliceFromOfsNbits(r, ofsNbits);
      return { type: 'output_reg', src, maxLen: r.u16() };
    }
    case C.NXAST_OUTPUT_REG2: {
      const ofsNbits = r.u16();
      const maxLen = r.u16();
      return { type: 'output_reg', src: sliceFromOfsNbits(r, ofsNbits), maxLen };
    }
    case C.NXAST_EXIT:
      return { type: 'exit' };
    case C.NXAST_CT_CLEAR:
      return { type: 'ct_clear' };
    case C.NXAST_CT:
      return decodeCt(r);
    case C.NXAST_NAT:
      return decodeNat(r);
    case C.NXAST_CONTROLLER2:
      return decodeController2(r);
    case C.NXAST_LEARN:
      return decodeLearn(r);
    default:
      return undefined;
  }
}

