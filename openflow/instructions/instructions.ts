// Encodes, decodes and sizes instruction lists (spec 7.2.4): goto_table, write_metadata, write/apply/clear actions, meter.
import * as C from '../constants/actions.ts';
import type { Instruction } from '../messages/types.ts';
import { actionsLength, decodeActions, encodeActions } from '../actions/list.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';

/** The smallest instruction: type(2) len(2) and 4 bytes (spec 7.2.4). */
const OFP_INSTRUCTION_MIN_LEN = 8;
const INSTRUCTION_HEADER_LEN = 4;

export function instructionLength(i: Instruction): number {
  switch (i.type) {
    case 'goto_table':
      return C.OFP_INSTRUCTION_GOTO_TABLE_LEN;
    case 'write_metadata':
      return C.OFP_INSTRUCTION_WRITE_METADATA_LEN;
    case 'write_actions':
    case 'apply_actions':
      return C.OFP_INSTRUCTION_ACTIONS_LEN + actionsLength(i.actions);
    case 'clear_actions':
      return C.OFP_INSTRUCTION_ACTIONS_LEN;
    case 'meter':
      return C.OFP_INSTRUCTION_METER_LEN;
    case 'experimenter':
      return pad8(C.OFP_INSTRUCTION_EXPERIMENTER_HEADER_LEN + i.data.length);
  }
}

export function instructionsLength(list: readonly Instruction[]): number {
  let n = 0;
  for (let i = 0; i < list.length; i++) n += instructionLength(list[i]);
  return n;
}

export function encodeInstruction(w: Writer, i: Instruction): void {
  // action lists are sized by writing them: the length is patched at the end
  const len = i.type === 'write_actions' || i.type === 'apply_actions' ? 0 : instructionLength(i);
  const start = w.pos;
  switch (i.type) {
    case 'goto_table':
      w.u16(C.OFPIT_GOTO_TABLE);
      w.u16(len);
      w.u8(i.tableId);
      break;
    case 'write_metadata':
      w.u16(C.OFPIT_WRITE_METADATA);
      w.u16(len);
      w.zeros(4);
      w.u64(i.metadata);
      w.u64(i.mask);
      break;
    case 'write_actions':
    case 'apply_actions':
      w.u16(i.type === 'write_actions' ? C.OFPIT_WRITE_ACTIONS : C.OFPIT_APPLY_ACTIONS);
      w.u16(len);
      w.zeros(4);
      encodeActions(w, i.actions);
      w.patchU16(start + 2, w.pos - start);
      return;
    case 'clear_actions':
      w.u16(C.OFPIT_CLEAR_ACTIONS);
      w.u16(len);
      break;
    case 'meter':
      w.u16(C.OFPIT_METER);
      w.u16(len);
      w.u32(i.meterId);
      break;
    case 'experimenter':
      w.u16(C.OFPIT_EXPERIMENTER);
      w.u16(len);
      w.u32(i.experimenter);
      w.bytes(i.data);
      break;
  }
  w.zeros(start + len - w.pos);
}

export function encodeInstructions(w: Writer, list: readonly Instruction[]): void {
  for (let i = 0; i < list.length; i++) encodeInstruction(w, list[i]);
}

function decodeInstruction(r: Reader): Instruction {
  const at = r.pos;
  const type = r.u16();
  const len = r.u16();
  if (len < OFP_INSTRUCTION_MIN_LEN || len % 8 !== 0) r.fail('bad_length', `instruction type ${type} with length ${len}`, at + 2);
  return r.within(len - INSTRUCTION_HEADER_LEN, 'instruction', (): Instruction => {
    switch (type) {
      case C.OFPIT_GOTO_TABLE:
        return { type: 'goto_table', tableId: r.u8() };
      case C.OFPIT_WRITE_METADATA: {
        r.skip(4);
        const metadata = r.u64();
        return { type: 'write_metadata', metadata, mask: r.u64() };
      }
      case C.OFPIT_WRITE_ACTIONS:
      case C.OFPIT_APPLY_ACTIONS: {
        r.skip(4);
        const actions = decodeActions(r, r.remaining);
        return { type: type === C.OFPIT_WRITE_ACTIONS ? 'write_actions' : 'apply_actions', actions };
      }
      case C.OFPIT_CLEAR_ACTIONS:
        return { type: 'clear_actions' };
      case C.OFPIT_METER:
        return { type: 'meter', meterId: r.u32() };
      case C.OFPIT_EXPERIMENTER: {
        const experimenter = r.u32();
        return { type: 'experimenter', experimenter, data: r.bytes(r.remaining) };
      }
      default:
        return r.fail('unknown_type', `instruction type ${type}`, at);
    }
  });
}

/** Decodes instructions until the reader's window ends. */
export function decodeInstructions(r: Reader): Instruction[] {
  const out: Instruction[] = [];
  while (r.remaining > 0) out.push(decodeInstruction(r));
  return out;
}
