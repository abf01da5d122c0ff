// A small OpenFlow table interpreter for tests: what the desired flows do to one packet, without a switch.
//
// Enough of OpenFlow 1.3 for esdn's L2 pipeline: highest-priority match per table, masks, goto_table,
// write_metadata, apply_actions (output, set_field, reg_move, resubmit), IN_PORT, and the rule that a
// packet is never output to its own in_port. The real switch is checked by test/dataplane.
import type { DesiredFlow } from '../../../projections/pipeline/flow.ts';
import { OFPP_IN_PORT } from '../../../projections/pipeline/flow.ts';
import { parseIp } from '../../../src/domain/ip/address.ts';
import type { Action, KnownOxm, Oxm } from '../../../openflow/messages/types.ts';

export type Packet = Record<string, string | number | bigint>;
export interface Emitted { port: number; packet: Packet }
export interface Trace { outputs: Emitted[]; tables: number[] }

/** Resubmits and gotos allowed before the interpreter calls it a loop. */
const MAX_STEPS = 64;

function bits(v: string | number | bigint): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(v)) return BigInt(`0x${v.replace(/:/g, '')}`);
  const ip = parseIp(v);
  if (ip) return ip.value;
  throw new Error(`interpreter: cannot read value ${v}`);
}

function matches(o: Oxm, pkt: Packet): boolean {
  if (o.field === 'unknown') return false;
  const have = pkt[o.field];
  if (have === undefined) return false;
  const mask = o.mask === undefined ? undefined : bits(o.mask);
  const a = bits(have);
  const b = bits(o.value);
  return mask === undefined ? a === b : (a & mask) === (b & mask);
}

function lookup(flows: readonly DesiredFlow[], table: number, pkt: Packet): DesiredFlow | undefined {
  let best: DesiredFlow | undefined;
  for (const f of flows) {
    if (f.tableId !== table || !f.match.every((o) => matches(o, pkt))) continue;
    if (best && best.priority === f.priority) throw new Error(`interpreter: two flows of priority ${f.priority} match in table ${table}`);
    if (!best || f.priority > best.priority) best = f;
  }
  return best;
}

function setFieldValue(pkt: Packet, field: KnownOxm): void {
  pkt[field.field] = field.value as string | number | bigint;
}

function run(flows: readonly DesiredFlow[], table: number, pkt: Packet, trace: Trace, depth: number): void {
  if (depth > MAX_STEPS) throw new Error('interpreter: too many steps');
  trace.tables.push(table);
  const f = lookup(flows, table, pkt);
  if (!f) return;
  let next: number | undefined;
  for (const ins of f.instructions) {
    if (ins.type === 'apply_actions') for (const a of ins.actions) act(flows, a, pkt, trace, depth);
    else if (ins.type === 'write_metadata') pkt.metadata = (bits(pkt.metadata ?? 0n) & ~ins.mask) | (ins.metadata & ins.mask);
    else if (ins.type === 'goto_table') next = ins.tableId;
    else throw new Error(`interpreter: instruction ${ins.type} not supported`);
  }
  if (next !== undefined) run(flows, next, pkt, trace, depth + 1);
}

function act(flows: readonly DesiredFlow[], a: Action, pkt: Packet, trace: Trace, depth: number): void {
  switch (a.type) {
    case 'output': {
      const port = a.port === OFPP_IN_PORT ? Number(pkt.in_port) : a.port;
      // OpenFlow: output to the ingress port is dropped unless it is sent to IN_PORT explicitly
      if (a.port !== OFPP_IN_PORT && port === Number(pkt.in_port)) return;
      trace.outputs.push({ port, packet: { ...pkt } });
      return;
    }
    case 'set_field':
      setFieldValue(pkt, a.field);
      return;
    case 'reg_move':
      if (a.src.ofs !== 0 || a.dst.ofs !== 0) throw new Error('interpreter: partial moves not supported');
      pkt[a.dst.field] = pkt[a.src.field];
      return;
    case 'resubmit':
      run(flows, a.table, pkt, trace, depth + 1);
      return;
    case 'dec_nw_ttl':
      // the TTL is tracked only when the test gave one
      if (pkt.nw_ttl !== undefined) pkt.nw_ttl = Number(pkt.nw_ttl) - 1;
      return;
    default:
      throw new Error(`interpreter: action ${a.type} not supported`);
  }
}

/** Runs one packet through the flows from table 0; registers and metadata start at zero. */
export function sendPacket(flows: Iterable<DesiredFlow>, packet: Packet): Trace {
  const trace: Trace = { outputs: [], tables: [] };
  run([...flows], 0, { metadata: 0n, reg6: 0, ...packet }, trace, 0);
  return trace;
}
