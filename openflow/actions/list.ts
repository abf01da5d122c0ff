// Encodes, decodes and sizes action lists (standard actions first, then Nicira/experimenter ones).
import * as C from '../constants/actions.ts';
import type { Action } from '../messages/types.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import type { Writer } from '../wire/writer.ts';
import { decodeExperimenterAction, encodeNiciraAction, niciraActionLength } from './nicira.ts';
import { decodeStandardAction, encodeStandardAction, standardActionLength } from './standard.ts';

function isNxEncoded(a: Action): boolean {
  // a masked set_field has no OpenFlow 1.3 form: it becomes NXAST_REG_LOAD2
  return a.type === 'set_field' && a.field.mask !== undefined;
}

export function actionLength(a: Action): number {
  const n = isNxEncoded(a) ? -1 : standardActionLength(a);
  if (n >= 0) return n;
  const m = niciraActionLength(a);
  if (m < 0) throw new EncodeError(`unknown action type '${(a as { type: string }).type}'`);
  return m;
}

export function actionsLength(list: readonly Action[]): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) n += actionLength(list[i]);
  return n;
}

export function encodeAction(w: Writer, a: Action): void {
  if (!isNxEncoded(a) && encodeStandardAction(w, a)) return;
  encodeNiciraAction(w, a);
}

export function encodeActions(w: Writer, list: readonly Action[]): void {
  for (let i = 0; i < list.length; i++) encodeAction(w, list[i]);
}

/** Decodes `len` bytes of actions at the cursor. */
export function decodeActions(r: Reader, len: number): Action[] {
  const out: Action[] = [];
  r.within(len, 'action list', () => {
    while (r.remaining > 0) out.push(decodeAction(r));
  });
  return out;
}

export function decodeAction(r: Reader): Action {
  const at = r.pos;
  const type = r.u16();
  const len = r.u16();
  if (len < C.OFP_ACTION_MIN_LEN || len % 8 !== 0) r.fail('bad_length', `action type ${type} with length ${len}`, at + 2);
  return r.within(len - C.OFP_ACTION_HEADER_LEN, 'action', () =>
    type === C.OFPAT_EXPERIMENTER ? decodeExperimenterAction(r) : decodeStandardAction(r, type),
  );
}
