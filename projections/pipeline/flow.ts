// Desired flows: the FlowSpec shape of the openflow library, keyed by (table, priority, match) so a reconciler can diff them.
import type { Action, FlowSpec, Instruction, KnownOxm, Match, OxmFieldName, OxmValueTypes } from '../../openflow/messages/types.ts';

/** A flow esdn wants on a switch. Its cookie carries esdn's marker and provenance (./cookie.ts). */
export type DesiredFlow = FlowSpec;

/** Ethernet types (IEEE 802 numbers). */
export const ETH_TYPE_IPV4 = 0x0800;
export const ETH_TYPE_ARP = 0x0806;
export const ETH_TYPE_IPV6 = 0x86dd;
/** IP protocol numbers (IANA). */
export const IP_PROTO_UDP = 17;
export const IP_PROTO_ICMPV6 = 58;
/** ARP opcodes (RFC 826). */
export const ARP_OP_REQUEST = 1;
export const ARP_OP_REPLY = 2;
/** OFPP_IN_PORT (OpenFlow 1.3.5 section 7.2.1): send the packet back where it came from. */
export const OFPP_IN_PORT = 0xfffffff8;
/** No output length limit on output actions (only meaningful for the controller port). */
export const NO_MAX_LEN = 0;
/** ovs-ofctl's field widths for full-field moves. */
export const MAC_BITS = 48;
export const IPV4_BITS = 32;
/** Every bit of the 64-bit metadata register. */
export const METADATA_ALL = 0xffff_ffff_ffff_ffffn;

/** One match field (builds the typed OXM). */
export function m<K extends OxmFieldName>(field: K, value: OxmValueTypes[K], mask?: OxmValueTypes[K]): KnownOxm {
  return (mask === undefined ? { field, value } : { field, value, mask }) as KnownOxm;
}

export const output = (port: number): Action => ({ type: 'output', port, maxLen: NO_MAX_LEN });
export const setField = <K extends OxmFieldName>(field: K, value: OxmValueTypes[K]): Action =>
  ({ type: 'set_field', field: { field, value } as KnownOxm });
export const move = (src: OxmFieldName, dst: OxmFieldName, nBits: number): Action =>
  ({ type: 'reg_move', src: { field: src, ofs: 0, nBits }, dst: { field: dst, ofs: 0, nBits } });
export const resubmit = (table: number): Action => ({ type: 'resubmit', port: OFPP_IN_PORT, table, ct: false });
export const gotoTable = (tableId: number): Instruction => ({ type: 'goto_table', tableId });
export const applyActions = (actions: Action[]): Instruction => ({ type: 'apply_actions', actions });
export const writeMetadata = (metadata: bigint): Instruction => ({ type: 'write_metadata', metadata, mask: METADATA_ALL });

/** A flow with no timeouts (esdn's flows live until the reconciler removes them). */
export function flow(tableId: number, priority: number, match: Match, instructions: Instruction[], cookie: bigint): DesiredFlow {
  return { cookie, tableId, priority, idleTimeout: 0, hardTimeout: 0, match, instructions };
}

function text(v: unknown): string {
  return typeof v === 'bigint' ? `0x${v.toString(16)}` : String(v);
}

function oxmText(o: Match[number]): string {
  if (o.field === 'unknown') return `unknown(${o.oxmClass},${o.oxmField})=${o.body.toString('hex')}`;
  return o.mask === undefined ? `${o.field}=${text(o.value)}` : `${o.field}=${text(o.value)}/${text(o.mask)}`;
}

/** The match in one canonical text: fields sorted by name, so field order never changes the key. */
export function canonicalMatch(match: Match): string {
  return match.map(oxmText).sort().join(',');
}

/** The identity of a flow on a switch, as OpenFlow sees it: (table, priority, match). */
export function flowKey(f: Pick<DesiredFlow, 'tableId' | 'priority' | 'match'>): string {
  return `${f.tableId}/${f.priority}/${canonicalMatch(f.match)}`;
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') return v;
  return v;
}

/** Everything a flow carries besides its key (cookie, timeouts, instructions): equal text = nothing to modify. */
export function flowBody(f: DesiredFlow): string {
  return JSON.stringify([f.cookie, f.idleTimeout, f.hardTimeout, f.instructions], replacer);
}
