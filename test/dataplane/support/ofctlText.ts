// Renders esdn's desired flows as ovs-ofctl add-flows lines, for loading them into a real switch before the controller exists.
//
// Covers exactly the fields and actions the L2 stages emit and throws on anything else, so a new
// stage cannot be silently mis-rendered. openflow/text/format.ts (formatFlowMod) is the general
// formatter; this file goes away once the reconciler pushes flows itself.
import type { Action, Instruction, KnownOxm, Oxm } from '../../../openflow/messages/types.ts';
import { formatFlowMod } from '../../../openflow/text/format.ts';
import { METADATA_ALL, OFPP_IN_PORT, type DesiredFlow } from '../../../projections/pipeline/flow.ts';

/** OXM names as ovs-ofctl spells them, where they differ. */
const FIELD_NAMES: Partial<Record<KnownOxm['field'], string>> = {
  eth_type: 'dl_type', eth_src: 'dl_src', eth_dst: 'dl_dst', ipv4_src: 'nw_src', ipv4_dst: 'nw_dst', ip_proto: 'nw_proto',
  tunnel_id: 'tun_id', tun_ipv4_dst: 'tun_dst', tun_ipv4_src: 'tun_src',
};
const HEX_FIELDS = new Set(['eth_type', 'metadata', 'tunnel_id']);

const name = (field: KnownOxm['field']): string => FIELD_NAMES[field] ?? field;

function value(field: string, v: unknown): string {
  if (typeof v === 'bigint') return `0x${v.toString(16)}`;
  if (typeof v === 'number' && HEX_FIELDS.has(field)) return `0x${v.toString(16).padStart(4, '0')}`;
  return String(v);
}

function matchText(o: Oxm): string {
  if (o.field === 'unknown') throw new Error('ofctlText: unknown OXM');
  const v = value(o.field, o.value);
  return o.mask === undefined ? `${name(o.field)}=${v}` : `${name(o.field)}=${v}/${value(o.field, o.mask)}`;
}

function actionText(a: Action): string {
  switch (a.type) {
    case 'output':
      return a.port === OFPP_IN_PORT ? 'IN_PORT' : `output:${a.port}`;
    case 'set_field':
      return `set_field:${value(a.field.field, a.field.value)}->${name(a.field.field)}`;
    case 'reg_move':
      return `move:${name(a.src.field)}[${a.src.ofs}..${a.src.ofs + a.src.nBits - 1}]->${name(a.dst.field)}[${a.dst.ofs}..${a.dst.ofs + a.dst.nBits - 1}]`;
    case 'resubmit':
      return `resubmit(,${a.table})`;
    default:
      throw new Error(`ofctlText: action ${a.type} not rendered`);
  }
}

function instructionText(i: Instruction): string[] {
  switch (i.type) {
    case 'apply_actions':
      return i.actions.map(actionText);
    case 'write_metadata':
      return [i.mask === METADATA_ALL ? `write_metadata:0x${i.metadata.toString(16)}` : `write_metadata:0x${i.metadata.toString(16)}/0x${i.mask.toString(16)}`];
    case 'goto_table':
      return [`goto_table:${i.tableId}`];
    default:
      throw new Error(`ofctlText: instruction ${i.type} not rendered`);
  }
}

/** Actions this file renders itself; flows with others (the L3 stages' ct, output_reg, controller) use the general formatter. */
const RENDERED = new Set(['output', 'set_field', 'reg_move', 'resubmit']);
const CONTROLLER_PORT = 0xfffffffd;

/** One add-flows line; no actions means drop. */
export function ofctlLine(f: DesiredFlow): string {
  const applied = f.instructions.flatMap((i) => (i.type === 'apply_actions' ? i.actions : []));
  if (applied.some((a) => !RENDERED.has(a.type) || (a.type === 'output' && a.port === CONTROLLER_PORT))) return formatFlowMod(f);
  const head = [`cookie=0x${f.cookie.toString(16)}`, `table=${f.tableId}`, `priority=${f.priority}`, ...f.match.map(matchText)];
  const actions = f.instructions.flatMap(instructionText);
  return `${head.join(',')} actions=${actions.length === 0 ? 'drop' : actions.join(',')}`;
}
