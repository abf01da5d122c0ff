// Body of NXAST_LEARN: the new flow's parameters and its specs (OVS nicira-ext.h nx_action_learn, ofp-actions.c).
import * as C from '../constants/actions.ts';
import type { FieldSlice, LearnAction, LearnSpec } from '../messages/types.ts';
import { fieldHeaderLength, writeFieldHeader } from '../oxm/field.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import { readSlice } from './nxCommon.ts';

const SPEC_HEADER_LEN = 2;
const OFS_LEN = 2;
/** Immediates are carried in whole 16-bit units, right-aligned (ofp-actions.c learn_min_len). */
function immediateLen(nBits: number): number {
  return 2 * Math.ceil(nBits / 16);
}

function specLength(s: LearnSpec): number {
  let n = SPEC_HEADER_LEN;
  n += 'value' in s.src ? immediateLen(s.nBits) : fieldHeaderLength(s.src.field.field) + OFS_LEN;
  if (s.kind !== 'output' && s.dst !== undefined) n += fieldHeaderLength(s.dst.field) + OFS_LEN;
  return n;
}

export function learnLength(a: LearnAction): number {
  let n = C.NX_ACTION_LEARN_LEN;
  for (const s of a.specs) n += specLength(s);
  return pad8(n);
}

const DST_BITS: Record<LearnSpec['kind'], number> = {
  match: C.NX_LEARN_DST_MATCH,
  load: C.NX_LEARN_DST_LOAD,
  output: C.NX_LEARN_DST_OUTPUT,
};

function writeSlice(w: Writer, s: FieldSlice): void {
  writeFieldHeader(w, s.field);
  w.u16(s.ofs);
}

export function encodeLearn(w: Writer, a: LearnAction): void {
  w.u16(a.idleTimeout);
  w.u16(a.hardTimeout);
  w.u16(a.priority);
  w.u64(a.cookie);
  w.u16(a.flags);
  w.u8(a.tableId);
  w.u8(0);
  w.u16(a.finIdleTimeout);
  w.u16(a.finHardTimeout);
  for (const s of a.specs) {
    const imm = 'value' in s.src;
    w.u16((imm ? C.NX_LEARN_SRC_IMMEDIATE : 0) | DST_BITS[s.kind] | (s.nBits & C.NX_LEARN_N_BITS_MASK));
    if ('value' in s.src) {
      const len = immediateLen(s.nBits);
      let v = BigInt.asUintN(len * 8, s.src.value);
      for (let i = len - 1; i >= 0; i--) {
        w.buf[w.pos + i] = Number(v & 0xffn);
        v >>= 8n;
      }
      w.pos += len;
    } else {
      writeSlice(w, s.src.field);
    }
    if (s.kind !== 'output' && s.dst !== undefined) writeSlice(w, s.dst);
  }
}

export function decodeLearn(r: Reader): LearnAction {
  const idleTimeout = r.u16();
  const hardTimeout = r.u16();
  const priority = r.u16();
  const cookie = r.u64();
  const flags = r.u16();
  const tableId = r.u8();
  r.skip(1);
  const finIdleTimeout = r.u16();
  const finHardTimeout = r.u16();
  const specs: LearnSpec[] = [];
  while (r.remaining >= SPEC_HEADER_LEN) {
    const at = r.pos;
    const header = r.u16();
    if (header === 0) break; // the zero header starts the trailing padding
    const nBits = header & C.NX_LEARN_N_BITS_MASK;
    const dstBits = header & C.NX_LEARN_DST_MASK;
    const kind = dstBits === C.NX_LEARN_DST_MATCH ? 'match' : dstBits === C.NX_LEARN_DST_LOAD ? 'load' : dstBits === C.NX_LEARN_DST_OUTPUT ? 'output' : undefined;
    if (kind === undefined || nBits === 0) r.fail('bad_value', `learn spec header 0x${header.toString(16)}`, at);
    let src: LearnSpec['src'];
    if (header & C.NX_LEARN_SRC_IMMEDIATE) {
      const len = immediateLen(nBits);
      r.need(len, 'learn immediate');
      let v = 0n;
      for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(r.buf[r.pos + i]);
      r.pos += len;
      src = { value: v };
    } else {
      const slice = readSlice(r, 0, nBits);
      slice.ofs = r.u16();
      src = { field: slice };
    }
    const spec: LearnSpec = { kind, nBits, src };
    if (kind !== 'output') {
      const dst = readSlice(r, 0, nBits);
      dst.ofs = r.u16();
      spec.dst = dst;
    }
    specs.push(spec);
  }
  r.pos = r.end;
  return { type: 'learn', idleTimeout, hardTimeout, priority, cookie, flags, tableId, finIdleTimeout, finHardTimeout, specs };
}
