// Parses the `actions=` part of ovs-ofctl flow text into instructions (apply_actions, goto_table, write_metadata, ...).
import { OFPCML_NO_BUFFER } from '../constants/actions.ts';
import { OFPP_CONTROLLER, OFPP_IN_PORT } from '../constants/ports.ts';
import type { Action, Controller2Action, CtAction, Instruction, LearnAction, LearnSpec, NatAction } from '../messages/types.ts';
import { CT_ALGS, LEARN_DELETE_LEARNED, LEARN_SEND_FLOW_REM, PACKET_IN_REASONS } from './actionText.ts';
import { parsePort } from './fields.ts';
import { valueToBits } from '../oxm/field.ts';
import { lookupFieldName, parseSlice } from './refs.ts';
import { parseValue, TextError } from './values.ts';

const REASON_ACTION = 1;
const NO_TABLE = 0xff;
const DEFAULT_LEARN_PRIORITY = 0x8000;
const DEFAULT_LEARN_TABLE = 1;
const U64_ALL = (1n << 64n) - 1n;

/** Splits on commas that are not inside (), [] or {}. */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (depth !== 0) throw new TextError(`unbalanced brackets in '${s}'`);
  const last = s.slice(start).trim();
  if (last !== '' || out.length > 0) out.push(last);
  return out.filter((x) => x !== '');
}

function num(s: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s.trim())) throw new TextError(`bad number '${s}'`);
  return Number(s.trim());
}

function big(s: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s.trim())) throw new TextError(`bad number '${s}'`);
  return BigInt(s.trim());
}

/** `name(args)` or `name:arg` or `name` */
function head(item: string): { name: string; arg?: string; args?: string } {
  const paren = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s.exec(item);
  if (paren !== null) return { name: paren[1].toLowerCase(), args: paren[2] };
  const colon = item.indexOf(':');
  if (colon > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(item.slice(0, colon))) return { name: item.slice(0, colon).toLowerCase(), arg: item.slice(colon + 1) };
  return { name: item.toLowerCase() };
}

function port(s: string): number {
  const p = parsePort(s.trim());
  if (p === undefined) throw new TextError(`bad port '${s}'`);
  return p;
}

function kv(s: string): [string, string | undefined] {
  const eq = s.indexOf('=');
  return eq < 0 ? [s.trim(), undefined] : [s.slice(0, eq).trim(), s.slice(eq + 1).trim()];
}

function natRange(s: string, nat: NatAction): void {
  // ADDR[-ADDR][:PORT[-PORT]]; IPv6 addresses in brackets
  const m = /^(\[[^\]]+\]|[0-9.]+)(?:-(\[[^\]]+\]|[0-9.]+))?(?::(\d+)(?:-(\d+))?)?$/.exec(s);
  if (m === null) throw new TextError(`bad nat range '${s}'`);
  const v6 = m[1].startsWith('[');
  const strip = (a: string): string => (v6 ? a.slice(1, -1) : a);
  const min = parseValue(v6 ? 'ipv6_src' : 'ipv4_src', strip(m[1])).value as string;
  if (v6) nat.ipv6Min = min;
  else nat.ipv4Min = min;
  if (m[2] !== undefined) {
    const max = parseValue(v6 ? 'ipv6_src' : 'ipv4_src', strip(m[2])).value as string;
    if (v6) nat.ipv6Max = max;
    else nat.ipv4Max = max;
  }
  if (m[3] !== undefined) nat.protoMin = Number(m[3]);
  if (m[4] !== undefined) nat.protoMax = Number(m[4]);
}

function parseNat(args: string | undefined): NatAction {
  const nat: NatAction = { type: 'nat', kind: null, persistent: false, hash: false, random: false };
  for (const part of args === undefined ? [] : splitTop(args)) {
    const [k, v] = kv(part);
    if (k === 'src' || k === 'dst') {
      nat.kind = k;
      if (v !== undefined) natRange(v, nat);
    } else if (k === 'persistent' || k === 'hash' || k === 'random') nat[k] = true;
    else throw new TextError(`unknown nat option '${k}'`);
  }
  return nat;
}

function parseCt(args: string): CtAction {
  const ct: CtAction = { type: 'ct', commit: false, force: false, zone: { imm: 0 }, recircTable: NO_TABLE, alg: 0, actions: [] };
  for (const part of splitTop(args)) {
    const h = head(part);
    if (h.name === 'nat') ct.actions.push(parseNat(h.args));
    else if (h.name === 'exec') ct.actions.push(...parseActionList(h.args ?? ''));
    else {
      const [k, v] = kv(part);
      if (k === 'commit') ct.commit = true;
      else if (k === 'force') ct.force = true;
      else if (k === 'table' && v !== undefined) ct.recircTable = num(v);
      else if (k === 'zone' && v !== undefined) ct.zone = /^(0x[0-9a-f]+|\d+)$/i.test(v) ? { imm: num(v) } : { src: parseSlice(v) };
      else if (k === 'alg' && v !== undefined) {
        const named = Object.entries(CT_ALGS).find(([, n]) => n === v);
        ct.alg = named !== undefined ? Number(named[0]) : num(v);
      } else throw new TextError(`unknown ct option '${part}'`);
    }
  }
  return ct;
}

function parseController(args: string | undefined): Action {
  let reason = REASON_ACTION;
  let maxLen = OFPCML_NO_BUFFER;
  let controllerId = 0;
  const c2: Controller2Action = { type: 'controller2', pause: false };
  let needs2 = false;
  for (const part of args === undefined ? [] : splitTop(args)) {
    const [k, v] = kv(part);
    if (k === 'reason' && v !== undefined) {
      const i = PACKET_IN_REASONS.indexOf(v);
      reason = i >= 0 ? i : num(v);
      c2.reason = reason;
    } else if (k === 'max_len' && v !== undefined) c2.maxLen = maxLen = num(v);
    else if (k === 'id' && v !== undefined) c2.controllerId = controllerId = num(v);
    else if (k === 'userdata' && v !== undefined) {
      c2.userdata = Buffer.from(v.replace(/\./g, ''), 'hex');
      needs2 = true;
    } else if (k === 'pause') needs2 = c2.pause = true;
    else if (k === 'meter_id' && v !== undefined) {
      c2.meterId = num(v);
      needs2 = true;
    } else throw new TextError(`unknown controller option '${part}'`);
  }
  if (needs2) return c2;
  if (reason === REASON_ACTION && controllerId === 0) return { type: 'output', port: OFPP_CONTROLLER, maxLen };
  return { type: 'controller', maxLen, controllerId, reason };
}

function parseLearnSpec(part: string): LearnSpec {
  const h = head(part);
  if (h.name === 'load' && h.arg !== undefined) {
    const [src, dst] = h.arg.split('->');
    const d = parseSlice(dst);
    return /^(0x[0-9a-f]+|\d+)$/i.test(src.trim())
      ? { kind: 'load', nBits: d.nBits, src: { value: big(src) }, dst: d }
      : { kind: 'load', nBits: d.nBits, src: { field: parseSlice(src) }, dst: d };
  }
  if (h.name === 'output' && h.arg !== undefined) {
    const s = parseSlice(h.arg);
    return { kind: 'output', nBits: s.nBits, src: { field: s } };
  }
  const [l, r] = kv(part);
  const dst = parseSlice(l);
  if (r === undefined) return { kind: 'match', nBits: dst.nBits, src: { field: { ...dst } }, dst };
  if (/^(0x[0-9a-f]+|\d+)$/i.test(r)) return { kind: 'match', nBits: dst.nBits, src: { value: big(r) }, dst };
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\[[0-9.]*\])?$/.test(r)) {
    // an address immediate: ip_dst=10.0.0.1, eth_src=fa:16:3e:00:00:01
    return { kind: 'match', nBits: dst.nBits, src: { value: valueToBits(dst.field, parseValue(dst.field, r).value) }, dst };
  }
  const src = parseSlice(r);
  return { kind: 'match', nBits: dst.nBits, src: { field: { ...src, nBits: dst.nBits } }, dst };
}

function parseLearn(args: string): LearnAction {
  const a: LearnAction = {
    type: 'learn', idleTimeout: 0, hardTimeout: 0, priority: DEFAULT_LEARN_PRIORITY, cookie: 0n, flags: 0,
    tableId: DEFAULT_LEARN_TABLE, finIdleTimeout: 0, finHardTimeout: 0, specs: [],
  };
  for (const part of splitTop(args)) {
    const [k, v] = kv(part);
    if (k === 'table' && v !== undefined) a.tableId = num(v);
    else if (k === 'idle_timeout' && v !== undefined) a.idleTimeout = num(v);
    else if (k === 'hard_timeout' && v !== undefined) a.hardTimeout = num(v);
    else if (k === 'fin_idle_timeout' && v !== undefined) a.finIdleTimeout = num(v);
    else if (k === 'fin_hard_timeout' && v !== undefined) a.finHardTimeout = num(v);
    else if (k === 'priority' && v !== undefined) a.priority = num(v);
    else if (k === 'cookie' && v !== undefined) a.cookie = big(v);
    else if (k === 'send_flow_rem') a.flags |= LEARN_SEND_FLOW_REM;
    else if (k === 'delete_learned') a.flags |= LEARN_DELETE_LEARNED;
    else a.specs.push(parseLearnSpec(part));
  }
  return a;
}

/** [offset, width] when `mask` is one run of ones (then OVS sends the masked set_field as a load). */
function contiguous(mask: bigint): [number, number] | undefined {
  if (mask === 0n) return undefined;
  let ofs = 0;
  while (((mask >> BigInt(ofs)) & 1n) === 0n) ofs++;
  let n = 0;
  while (((mask >> BigInt(ofs + n)) & 1n) === 1n) n++;
  return mask >> BigInt(ofs + n) === 0n ? [ofs, n] : undefined;
}

function setField(value: string, fieldName: string): Action {
  const field = lookupFieldName(fieldName.trim());
  if (field === undefined) throw new TextError(`unknown field '${fieldName}'`);
  const oxm = parseValue(field, value.trim());
  if (oxm.mask !== undefined && (typeof oxm.mask === 'number' || typeof oxm.mask === 'bigint') && field !== 'in_port') {
    const run = contiguous(BigInt(oxm.mask));
    // NXAST_REG_LOAD carries at most 64 bits
    if (run !== undefined && run[1] <= 64) return { type: 'reg_load', dst: { field, ofs: run[0], nBits: run[1] }, value: BigInt(oxm.value as number | bigint) >> BigInt(run[0]) };
  }
  return { type: 'set_field', field: oxm };
}

/** One action item (not an instruction). */
function parseAction(item: string): Action[] {
  const h = head(item);
  const arg = h.arg?.trim();
  const bare = parsePort(item);
  if (bare !== undefined && h.arg === undefined && h.args === undefined && item.toLowerCase() !== 'controller') {
    return [{ type: 'output', port: bare, maxLen: bare === OFPP_CONTROLLER ? OFPCML_NO_BUFFER : 0 }];
  }
  switch (h.name) {
    case 'drop': return [];
    case 'output':
      if (arg === undefined) break;
      if (/^[A-Za-z_][A-Za-z0-9_]*\[/.test(arg)) return [{ type: 'output_reg', src: parseSlice(arg), maxLen: 0 }];
      {
        const p = port(arg);
        return [{ type: 'output', port: p, maxLen: p === OFPP_CONTROLLER ? OFPCML_NO_BUFFER : 0 }];
      }
    case 'controller':
      if (arg !== undefined) return [{ type: 'output', port: OFPP_CONTROLLER, maxLen: num(arg) }];
      return [parseController(h.args)];
    case 'group': if (arg !== undefined) return [{ type: 'group', groupId: num(arg) }]; break;
    case 'set_queue': if (arg !== undefined) return [{ type: 'set_queue', queueId: num(arg) }]; break;
    case 'push_vlan': if (arg !== undefined) return [{ type: 'push_vlan', ethertype: num(arg) }]; break;
    case 'push_mpls': if (arg !== undefined) return [{ type: 'push_mpls', ethertype: num(arg) }]; break;
    case 'pop_mpls': if (arg !== undefined) return [{ type: 'pop_mpls', ethertype: num(arg) }]; break;
    case 'push_pbb': if (arg !== undefined) return [{ type: 'push_pbb', ethertype: num(arg) }]; break;
    case 'pop_vlan': case 'strip_vlan': return [{ type: 'pop_vlan' }];
    case 'pop_pbb': return [{ type: 'pop_pbb' }];
    case 'copy_ttl_in': return [{ type: 'copy_ttl_in' }];
    case 'copy_ttl_out': return [{ type: 'copy_ttl_out' }];
    case 'dec_mpls_ttl': return [{ type: 'dec_mpls_ttl' }];
    case 'set_mpls_ttl': return [{ type: 'set_mpls_ttl', ttl: num(h.args ?? arg ?? '') }];
    case 'mod_nw_ttl': if (arg !== undefined) return [{ type: 'set_nw_ttl', ttl: num(arg) }]; break;
    case 'dec_ttl':
      if (h.args === undefined) return [{ type: 'dec_nw_ttl' }];
      return [{ type: 'dec_ttl', controllerIds: splitTop(h.args).map(num) }];
    case 'set_field':
    case 'load': {
      if (arg === undefined || !arg.includes('->')) break;
      const [value, dst] = arg.split('->');
      if (h.name === 'set_field') return [setField(value, dst)];
      return [{ type: 'reg_load', dst: parseSlice(dst), value: big(value) }];
    }
    case 'move': {
      if (arg === undefined || !arg.includes('->')) break;
      const [s, d] = arg.split('->');
      const src = parseSlice(s);
      const dst = parseSlice(d);
      if (src.nBits !== dst.nBits) throw new TextError(`move widths differ in '${item}'`);
      return [{ type: 'reg_move', src, dst }];
    }
    case 'mod_dl_src': if (arg !== undefined) return [setField(arg, 'eth_src')]; break;
    case 'mod_dl_dst': if (arg !== undefined) return [setField(arg, 'eth_dst')]; break;
    case 'mod_nw_src': if (arg !== undefined) return [setField(arg, 'ip_src')]; break;
    case 'mod_nw_dst': if (arg !== undefined) return [setField(arg, 'ip_dst')]; break;
    case 'resubmit': {
      if (arg !== undefined) return [{ type: 'resubmit', port: port(arg), table: NO_TABLE, ct: false }];
      if (h.args === undefined) break;
      const [p, t, ct] = h.args.split(',').map((x) => x.trim());
      return [{ type: 'resubmit', port: p === '' ? OFPP_IN_PORT : port(p), table: t === undefined || t === '' ? NO_TABLE : num(t), ct: ct === 'ct' }];
    }
    case 'ct': return [parseCt(h.args ?? '')];
    case 'nat': return [parseNat(h.args)];
    case 'note': if (arg !== undefined) return [{ type: 'note', note: Buffer.from(arg.replace(/\./g, ''), 'hex') }]; break;
    case 'conjunction': {
      const m = /^\s*(\d+)\s*,\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(h.args ?? '');
      if (m === null) break;
      return [{ type: 'conjunction', id: Number(m[1]), clause: Number(m[2]) - 1, nClauses: Number(m[3]) }];
    }
    case 'learn': return [parseLearn(h.args ?? '')];
    case 'exit': return [{ type: 'exit' }];
    case 'ct_clear': return [{ type: 'ct_clear' }];
  }
  throw new TextError(`unsupported action '${item}'`);
}

export function parseActionList(text: string): Action[] {
  return splitTop(text).flatMap(parseAction);
}

/** The whole `actions=` value: apply-actions plus instructions, in the order OVS sends them. */
export function parseInstructions(text: string): Instruction[] {
  const apply: Action[] = [];
  let meter: Instruction | undefined;
  let clear: Instruction | undefined;
  let write: Instruction | undefined;
  let metadata: Instruction | undefined;
  let goto: Instruction | undefined;
  for (const item of splitTop(text)) {
    const h = head(item);
    if (h.name === 'goto_table' && h.arg !== undefined) goto = { type: 'goto_table', tableId: num(h.arg) };
    else if (h.name === 'meter' && h.arg !== undefined) meter = { type: 'meter', meterId: num(h.arg) };
    else if (h.name === 'clear_actions') clear = { type: 'clear_actions' };
    else if (h.name === 'write_actions') write = { type: 'write_actions', actions: parseActionList(h.args ?? '') };
    else if (h.name === 'write_metadata' && h.arg !== undefined) {
      const [v, m] = h.arg.split('/');
      metadata = { type: 'write_metadata', metadata: big(v), mask: m === undefined ? U64_ALL : big(m) };
    } else apply.push(...parseAction(item));
  }
  const out: Instruction[] = [];
  if (meter) out.push(meter);
  if (apply.length > 0) out.push({ type: 'apply_actions', actions: apply });
  for (const i of [clear, write, metadata, goto]) if (i) out.push(i);
  return out;
}

