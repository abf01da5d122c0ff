// Prints actions and instructions in ovs-ofctl syntax (`actions=...` of dump-flows), Nicira extensions included.
import { OFPCML_NO_BUFFER } from '../constants/actions.ts';
import { OFPP_CONTROLLER, OFPP_IN_PORT } from '../constants/ports.ts';
import type { Action, Controller2Action, CtAction, FieldSlice, Instruction, LearnAction, LearnSpec, NatAction } from '../messages/types.ts';
import { OXM_BY_NAME } from '../constants/oxm.ts';
import { bitsToValue } from '../oxm/field.ts';
import { FIELD_TEXT, fieldBits, portText, refName } from './fields.ts';
import { hex, valueText } from './values.ts';

/** Packet-in reasons by number as OVS names them (ofp_packet_in_reason plus OVS's). */
export const PACKET_IN_REASONS = ['no_match', 'action', 'invalid_ttl', 'action_set', 'group', 'packet_out'];
const REASON_ACTION = 1;
/** Connection-tracking helpers OVS names (IANA ports of FTP and TFTP). */
export const CT_ALGS: Record<number, string> = { 21: 'ftp', 69: 'tftp' };
/** NX_LEARN_F_* flags */
export const LEARN_SEND_FLOW_REM = 1;
export const LEARN_DELETE_LEARNED = 2;
/** learn's default priority and table (OVS learn action defaults) */
const DEFAULT_PRIORITY = 0x8000;
const U64_ALL = (1n << 64n) - 1n;

/** `NXM_NX_REG0[]`, `NXM_NX_REG0[3]`, `NXM_NX_REG0[0..15]` */
export function sliceText(s: FieldSlice): string {
  const name = refName(s.field);
  if (s.ofs === 0 && s.nBits === fieldBits(s.field)) return `${name}[]`;
  if (s.nBits === 1) return `${name}[${s.ofs}]`;
  return `${name}[${s.ofs}..${s.ofs + s.nBits - 1}]`;
}

function natRange(min: string | undefined, max: string | undefined, v6: boolean): string {
  const w = (a: string): string => (v6 ? `[${a}]` : a);
  if (min === undefined) return '';
  return max === undefined || max === min ? w(min) : `${w(min)}-${w(max)}`;
}

function natText(a: NatAction): string {
  const parts: string[] = [];
  if (a.kind !== null) {
    const v6 = a.ipv6Min !== undefined;
    let range = v6 ? natRange(a.ipv6Min, a.ipv6Max, true) : natRange(a.ipv4Min, a.ipv4Max, false);
    if (a.protoMin !== undefined) range += `:${a.protoMin}${a.protoMax !== undefined && a.protoMax !== a.protoMin ? `-${a.protoMax}` : ''}`;
    parts.push(range === '' ? a.kind : `${a.kind}=${range}`);
  }
  if (a.persistent) parts.push('persistent');
  if (a.hash) parts.push('hash');
  if (a.random) parts.push('random');
  return parts.length === 0 ? 'nat' : `nat(${parts.join(',')})`;
}

function ctText(a: CtAction): string {
  const parts: string[] = [];
  if (a.commit) parts.push('commit');
  if (a.force) parts.push('force');
  if (a.recircTable !== 0xff) parts.push(`table=${a.recircTable}`);
  if ('imm' in a.zone) {
    if (a.zone.imm !== 0) parts.push(`zone=${a.zone.imm}`);
  } else parts.push(`zone=${sliceText(a.zone.src)}`);
  if (a.alg !== 0) parts.push(`alg=${CT_ALGS[a.alg] ?? a.alg}`);
  const nats = a.actions.filter((x) => x.type === 'nat');
  const rest = a.actions.filter((x) => x.type !== 'nat');
  for (const n of nats) parts.push(natText(n as NatAction));
  if (rest.length > 0) parts.push(`exec(${formatActions(rest)})`);
  return `ct(${parts.join(',')})`;
}

function controller2Text(a: Controller2Action): string {
  const parts: string[] = [];
  if (a.reason !== undefined && a.reason !== REASON_ACTION) parts.push(`reason=${PACKET_IN_REASONS[a.reason] ?? a.reason}`);
  if (a.maxLen !== undefined && a.maxLen !== OFPCML_NO_BUFFER) parts.push(`max_len=${a.maxLen}`);
  if (a.controllerId !== undefined && a.controllerId !== 0) parts.push(`id=${a.controllerId}`);
  if (a.userdata !== undefined) parts.push(`userdata=${dotted(a.userdata)}`);
  if (a.pause) parts.push('pause');
  if (a.meterId !== undefined) parts.push(`meter_id=${a.meterId}`);
  return parts.length === 0 ? `CONTROLLER:${OFPCML_NO_BUFFER}` : `controller(${parts.join(',')})`;
}

function dotted(b: Buffer): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('.');
}

/** `eth_type=0x800`, `ip_dst=10.0.0.1`: how OVS prints an immediate matched against a whole field. */
function wholeFieldImmediate(dst: FieldSlice, value: bigint): string | undefined {
  if (dst.ofs !== 0 || dst.nBits !== fieldBits(dst.field) || dst.field === 'in_port') return undefined;
  const kind = OXM_BY_NAME[dst.field].kind;
  const v = kind === 'mac' || kind === 'ipv4' || kind === 'ipv6' ? String(bitsToValue(dst.field, value)) : hex(value);
  return `${FIELD_TEXT[dst.field].set}=${v}`;
}

function learnSpecText(s: LearnSpec): string {
  const src = 'value' in s.src ? hex(s.src.value) : sliceText(s.src.field);
  if (s.kind === 'match' && 'value' in s.src && s.dst !== undefined) {
    const whole = wholeFieldImmediate(s.dst, s.src.value);
    if (whole !== undefined) return whole;
  }
  switch (s.kind) {
    case 'match':
      if ('field' in s.src && s.dst !== undefined && s.src.field.field === s.dst.field && s.src.field.ofs === s.dst.ofs) return sliceText(s.dst);
      return `${s.dst === undefined ? '?' : sliceText(s.dst)}=${src}`;
    case 'load':
      return `load:${src}->${s.dst === undefined ? '?' : sliceText(s.dst)}`;
    case 'output':
      return `output:${src}`;
  }
}

function learnText(a: LearnAction): string {
  const parts = [`table=${a.tableId}`];
  if (a.idleTimeout !== 0) parts.push(`idle_timeout=${a.idleTimeout}`);
  if (a.hardTimeout !== 0) parts.push(`hard_timeout=${a.hardTimeout}`);
  if (a.finIdleTimeout !== 0) parts.push(`fin_idle_timeout=${a.finIdleTimeout}`);
  if (a.finHardTimeout !== 0) parts.push(`fin_hard_timeout=${a.finHardTimeout}`);
  if (a.priority !== DEFAULT_PRIORITY) parts.push(`priority=${a.priority}`);
  if (a.flags & LEARN_SEND_FLOW_REM) parts.push('send_flow_rem');
  if (a.flags & LEARN_DELETE_LEARNED) parts.push('delete_learned');
  if (a.cookie !== 0n) parts.push(`cookie=${hex(a.cookie)}`);
  for (const s of a.specs) parts.push(learnSpecText(s));
  return `learn(${parts.join(',')})`;
}

function outputText(port: number, maxLen: number): string {
  if (port === OFPP_CONTROLLER) return `CONTROLLER:${maxLen}`;
  const name = portText(port);
  return name === String(port) ? `output:${port}` : name;
}

export function actionText(a: Action): string {
  switch (a.type) {
    case 'output': return outputText(a.port, a.maxLen);
    case 'copy_ttl_out': return 'copy_ttl_out';
    case 'copy_ttl_in': return 'copy_ttl_in';
    case 'set_mpls_ttl': return `set_mpls_ttl(${a.ttl})`;
    case 'dec_mpls_ttl': return 'dec_mpls_ttl';
    case 'push_vlan': return `push_vlan:0x${a.ethertype.toString(16)}`;
    case 'pop_vlan': return 'pop_vlan';
    case 'push_mpls': return `push_mpls:0x${a.ethertype.toString(16)}`;
    case 'pop_mpls': return `pop_mpls:0x${a.ethertype.toString(16).padStart(4, '0')}`;
    case 'set_queue': return `set_queue:${a.queueId}`;
    case 'group': return `group:${a.groupId}`;
    case 'set_nw_ttl': return `mod_nw_ttl:${a.ttl}`;
    case 'dec_nw_ttl': return 'dec_ttl';
    case 'set_field': return `set_field:${valueText(a.field)}->${FIELD_TEXT[a.field.field].set}`;
    case 'push_pbb': return `push_pbb:0x${a.ethertype.toString(16)}`;
    case 'pop_pbb': return 'pop_pbb';
    case 'resubmit': {
      if (a.table === 0xff && !a.ct) return `resubmit:${portText(a.port)}`;
      const port = a.port === OFPP_IN_PORT ? '' : portText(a.port);
      return `resubmit(${port},${a.table === 0xff ? '' : a.table}${a.ct ? ',ct' : ''})`;
    }
    case 'reg_move': return `move:${sliceText(a.src)}->${sliceText(a.dst)}`;
    case 'reg_load': return `load:${hex(a.value)}->${sliceText(a.dst)}`;
    case 'ct': return ctText(a);
    case 'nat': return natText(a);
    case 'dec_ttl': return `dec_ttl(${a.controllerIds.join(',')})`;
    case 'controller': {
      const parts: string[] = [];
      if (a.reason !== REASON_ACTION) parts.push(`reason=${PACKET_IN_REASONS[a.reason] ?? a.reason}`);
      if (a.maxLen !== OFPCML_NO_BUFFER) parts.push(`max_len=${a.maxLen}`);
      if (a.controllerId !== 0) parts.push(`id=${a.controllerId}`);
      return parts.length === 0 ? `CONTROLLER:${OFPCML_NO_BUFFER}` : `controller(${parts.join(',')})`;
    }
    case 'controller2': return controller2Text(a);
    case 'note': return `note:${dotted(a.note)}`;
    case 'conjunction': return `conjunction(${a.id},${a.clause + 1}/${a.nClauses})`;
    case 'learn': return learnText(a);
    case 'output_reg': return `output:${sliceText(a.src)}`;
    case 'exit': return 'exit';
    case 'ct_clear': return 'ct_clear';
    case 'experimenter': return `experimenter(0x${a.experimenter.toString(16)},${a.data.toString('hex')})`;
    case 'unknown': return `action(type=${a.actionType},${a.data.toString('hex')})`;
  }
}

export function formatActions(list: readonly Action[]): string {
  return list.map(actionText).join(',');
}

/** Instructions in the order OVS prints them (meter, apply, clear, write, write_metadata, goto_table); `drop` when empty. */
export function formatInstructions(list: readonly Instruction[]): string {
  const rank: Record<Instruction['type'], number> = {
    meter: 0, apply_actions: 1, clear_actions: 2, write_actions: 3, write_metadata: 4, goto_table: 5, experimenter: 6,
  };
  const parts: string[] = [];
  for (const i of [...list].sort((a, b) => rank[a.type] - rank[b.type])) {
    switch (i.type) {
      case 'meter': parts.push(`meter:${i.meterId}`); break;
      case 'apply_actions': if (i.actions.length > 0) parts.push(formatActions(i.actions)); break;
      case 'clear_actions': parts.push('clear_actions'); break;
      case 'write_actions': parts.push(`write_actions(${formatActions(i.actions)})`); break;
      case 'write_metadata': parts.push(`write_metadata:${hex(i.metadata)}${i.mask === U64_ALL ? '' : `/${hex(i.mask)}`}`); break;
      case 'goto_table': parts.push(`goto_table:${i.tableId}`); break;
      case 'experimenter': parts.push(`instruction(experimenter=0x${i.experimenter.toString(16)},${i.data.toString('hex')})`); break;
    }
  }
  return parts.length === 0 ? 'drop' : parts.join(',');
}
