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

// Interning. A flow is ~9 small objects, and most of them are the same for thousands of flows
// (goto_table, eth_type=0x800, in_port=N, metadata=VNI, output:N): at 5000 ports they were half of the
// desired tables' live heap. Leaves with a primitive value are therefore made once and shared, frozen,
// since a shared object must never change under another flow. A pool that reaches POOL_LIMIT entries
// starts over: objects already in flows stay shared, and the pool never holds more than that.
const POOL_LIMIT = 1 << 16;
type Primitive = string | number | bigint | boolean;
const isPrimitive = (v: unknown): v is Primitive => typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';

function pooled<K, V extends object>(pool: Map<K, V>, key: K, make: () => V): V {
  let v = pool.get(key);
  if (v === undefined) {
    if (pool.size >= POOL_LIMIT) pool.clear();
    pool.set(key, (v = Object.freeze(make())));
  }
  return v;
}

/** field -> value (or "value/mask") -> the one OXM object for it */
const oxmPool = new Map<string, Map<Primitive, KnownOxm>>();

/** One match field (builds the typed OXM; the same field and value give the same frozen object). */
export function m<K extends OxmFieldName>(field: K, value: OxmValueTypes[K], mask?: OxmValueTypes[K]): KnownOxm {
  const make = () => (mask === undefined ? { field, value } : { field, value, mask }) as KnownOxm;
  if (!isPrimitive(value) || (mask !== undefined && !isPrimitive(mask))) return make();
  // masked fields in a pool of their own, so a value never meets a "value/mask" text
  const poolKey = mask === undefined ? field : `${field}/`;
  let byValue = oxmPool.get(poolKey);
  if (!byValue) oxmPool.set(poolKey, (byValue = new Map()));
  return pooled(byValue, mask === undefined ? value : `${String(value)}/${String(mask)}`, make);
}

const outputPool = new Map<number, Action>();
let setFieldPool = new WeakMap<KnownOxm, Action>();
const resubmitPool = new Map<number, Action>();
const gotoPool = new Map<number, Instruction>();
const gotoOnlyPool = new Map<number, Instruction[]>();
const metadataPool = new Map<bigint, Instruction>();
const movePool = new Map<string, Action>();

export const output = (port: number): Action => pooled(outputPool, port, () => ({ type: 'output', port, maxLen: NO_MAX_LEN }));
export function setField<K extends OxmFieldName>(field: K, value: OxmValueTypes[K]): Action {
  const oxm = m(field, value);
  if (!Object.isFrozen(oxm)) return { type: 'set_field', field: oxm };
  let a = setFieldPool.get(oxm);
  if (!a) setFieldPool.set(oxm, (a = Object.freeze<Action>({ type: 'set_field', field: oxm })));
  return a;
}
export const move = (src: OxmFieldName, dst: OxmFieldName, nBits: number): Action =>
  pooled(movePool, `${src}>${dst}/${nBits}`, () => ({
    type: 'reg_move', src: Object.freeze({ field: src, ofs: 0, nBits }), dst: Object.freeze({ field: dst, ofs: 0, nBits }),
  }));
export const resubmit = (table: number): Action => pooled(resubmitPool, table, () => ({ type: 'resubmit', port: OFPP_IN_PORT, table, ct: false }));
export const gotoTable = (tableId: number): Instruction => pooled(gotoPool, tableId, () => ({ type: 'goto_table', tableId }));
/** The instruction list [goto_table:N], shared (frozen: build a new list to add to it). */
export const gotoOnly = (tableId: number): Instruction[] => pooled(gotoOnlyPool, tableId, () => [gotoTable(tableId)]);
export const applyActions = (actions: Action[]): Instruction => ({ type: 'apply_actions', actions });
export const writeMetadata = (metadata: bigint): Instruction => pooled(metadataPool, metadata, () => ({ type: 'write_metadata', metadata, mask: METADATA_ALL }));

/**
 * Empties every pool. The flows keep the objects they share; only the pools' own tables go (~2.7 MB at
 * 5000 ports: the in_port, eth_src, IP and metadata pools hold 5000 values each). A pool only saves
 * memory while flows are being built: after a release the next flows share among themselves, and at
 * worst each value is made once more. Called once esdn is idle after a burst (src/main.ts).
 */
export function releaseInternPools(): void {
  for (const pool of [oxmPool, outputPool, resubmitPool, gotoPool, gotoOnlyPool, metadataPool, movePool]) pool.clear();
  // a WeakMap cannot be cleared; its entries live as long as their (shared) match objects
  setFieldPool = new WeakMap();
}

/**
 * A flow with no timeouts (esdn's flows live until the reconciler removes them). The match is copied:
 * a literal with a spread in it (`[inPort, src, ...addressMatch(..)]`) gets room for ~17 more elements
 * from V8 (+120-145 B per array), which a flow keeps for its whole life; a copy is exact (10,000 port
 * security matches at 5000 ports held 1.4 MB of such room).
 */
export function flow(tableId: number, priority: number, match: Match, instructions: Instruction[], cookie: bigint): DesiredFlow {
  return { cookie, tableId, priority, idleTimeout: 0, hardTimeout: 0, match: match.slice(), instructions };
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
  // join makes one flat string; a template literal made a rope of three (at 65k keys, ~3.7 MB more)
  return [f.tableId, f.priority, canonicalMatch(f.match)].join('/');
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
