// Annotates whole OpenFlow 1.3 frames (flow/group/meter mods and switch replies) field by field, with expected decoded values.
import { Annotator, annotateActions, annotateInstructions, annotateMatch, annotateOxm, type Expect, type Span } from './annotateActions.ts';

export type { Span, Expect } from './annotateActions.ts';

const FLOW_MOD_COMMANDS = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'];
const GROUP_COMMANDS = ['add', 'modify', 'delete'];
const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'];
const METER_BANDS: Record<number, string> = { 1: 'drop', 2: 'dscp_remark', 0xffff: 'experimenter' };
const MSG_TYPES: Record<number, string> = {
  0: 'hello', 1: 'error', 2: 'echo_request', 3: 'echo_reply', 4: 'experimenter', 5: 'features_request', 6: 'features_reply',
  7: 'get_config_request', 8: 'get_config_reply', 9: 'set_config', 10: 'packet_in', 11: 'flow_removed', 12: 'port_status',
  13: 'packet_out', 14: 'flow_mod', 15: 'group_mod', 18: 'multipart_request', 19: 'multipart_reply', 20: 'barrier_request',
  21: 'barrier_reply', 24: 'role_request', 25: 'role_reply', 29: 'meter_mod',
};
/** Multipart types (spec 7.3.5) with the codec's body kind names. */
const MP_KINDS: Record<number, string> = { 0: 'desc', 1: 'flow', 2: 'aggregate', 3: 'table', 4: 'port_stats', 7: 'group_desc', 10: 'meter_config', 13: 'port_desc' };
/** sizeof(struct ofp_port) (spec 7.2.1). */
const OFP_PORT_LEN = 64;

export interface Annotated {
  spans: Span[];
  /** what decodeMessage should return (compared with toMatchObject) */
  expect: Expect;
}

export function annotateFrame(frame: Buffer): Annotated {
  const a = new Annotator(frame);
  a.u8(0, 'header.version');
  const type = frame[1];
  const typeName = MSG_TYPES[type] ?? 'unknown';
  a.add(1, 1, 'header.type', `${type} (${typeName})`);
  a.u16(2, 'header.length');
  const xid = a.u32(4, 'header.xid');
  const body = bodyOf(a, typeName);
  return { spans: a.spans, expect: { type: typeName, xid, ...body } };
}

function bodyOf(a: Annotator, typeName: string): Expect {
  switch (typeName) {
    case 'flow_mod': return flowMod(a);
    case 'group_mod': return groupMod(a);
    case 'meter_mod': return meterMod(a);
    case 'features_reply': return featuresReply(a);
    case 'multipart_reply': return multipartReply(a);
    case 'error': return error(a);
    case 'experimenter': return experimenter(a);
    case 'packet_out': return packetOut(a);
    case 'packet_in': return packetIn(a);
    case 'port_status': return portStatus(a);
    case 'flow_removed': return flowRemoved(a);
    default: if (a.buf.length > 8) a.add(8, a.buf.length - 8, 'body'); return {};
  }
}

function flowMod(a: Annotator): Expect {
  const e: Expect = {
    cookie: a.u64(8, 'cookie'), cookieMask: a.u64(16, 'cookie_mask'), tableId: a.u8(24, 'table_id'),
    command: FLOW_MOD_COMMANDS[a.u8(25, 'command')], idleTimeout: a.u16(26, 'idle_timeout'), hardTimeout: a.u16(28, 'hard_timeout'),
    priority: a.u16(30, 'priority'), bufferId: a.u32(32, 'buffer_id'), outPort: a.u32(36, 'out_port'), outGroup: a.u32(40, 'out_group'),
    flags: a.u16(44, 'flags'),
  };
  a.pad(46, 2);
  const m = annotateMatch(a, 48, 'match');
  return { ...e, match: m.expect, instructions: annotateInstructions(a, 48 + m.len, a.buf.length, 'instructions') };
}

/** Buckets filling [off, end) (spec 7.3.4.2). */
function buckets(a: Annotator, off: number, end: number, prefix: string): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const pre = `${prefix}[${i}]`;
    const len = a.u16(p, `${pre}.len`);
    const weight = a.u16(p + 2, `${pre}.weight`);
    const watchPort = a.u32(p + 4, `${pre}.watch_port`);
    const watchGroup = a.u32(p + 8, `${pre}.watch_group`);
    a.pad(p + 12, 4);
    out.push({ weight, watchPort, watchGroup, actions: annotateActions(a, p + 16, p + len, `${pre}.actions`) });
    if (len < 16) throw new Error(`bucket at ${p} has length ${len}`);
    p += len;
  }
  return out;
}

function groupMod(a: Annotator): Expect {
  const command = GROUP_COMMANDS[a.u16(8, 'command')];
  const groupType = GROUP_TYPES[a.u8(10, 'type')];
  a.pad(11, 1);
  const groupId = a.u32(12, 'group_id');
  return { command, groupType, groupId, buckets: buckets(a, 16, a.buf.length, 'buckets') };
}

/** Meter bands filling [off, end) (spec 7.3.4.4). */
function bands(a: Annotator, off: number, end: number, prefix: string): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const pre = `${prefix}[${i}]`;
    const kind = METER_BANDS[a.u16(p, `${pre}.type`)] ?? 'unknown';
    const len = a.u16(p + 2, `${pre}.len`);
    const e: Expect = { kind, rate: a.u32(p + 4, `${pre}.rate`), burstSize: a.u32(p + 8, `${pre}.burst_size`) };
    if (kind === 'dscp_remark') { e.precLevel = a.u8(p + 12, `${pre}.prec_level`); a.pad(p + 13, 3); }
    else if (kind === 'experimenter') e.experimenter = a.u32(p + 12, `${pre}.experimenter`);
    else a.pad(p + 12, 4);
    out.push(e);
    if (len < 16) throw new Error(`band at ${p} has length ${len}`);
    p += len;
  }
  return out;
}

function meterMod(a: Annotator): Expect {
  const command = GROUP_COMMANDS[a.u16(8, 'command')];
  const flags = a.u16(10, 'flags');
  const meterId = a.u32(12, 'meter_id');
  return { command, flags, meterId, bands: bands(a, 16, a.buf.length, 'bands') };
}

function featuresReply(a: Annotator): Expect {
  const e: Expect = { datapathId: a.u64(8, 'datapath_id'), nBuffers: a.u32(16, 'n_buffers'), nTables: a.u8(20, 'n_tables'), auxiliaryId: a.u8(21, 'auxiliary_id') };
  a.pad(22, 2);
  e.capabilities = a.u32(24, 'capabilities');
  a.add(28, 4, 'reserved');
  return e;
}

function error(a: Annotator): Expect {
  const errType = a.u16(8, 'err_type');
  const errCode = a.u16(10, 'err_code');
  a.add(12, a.buf.length - 12, 'data');
  return { version: 4, errType, errCode, data: { $hex: a.buf.subarray(12).toString('hex') } };
}

/** ONF bundle extension in OpenFlow 1.3: experimenter 0x4f4e4600, types 2300 (control) and 2301 (add message). */
const ONF = 0x4f4e4600;
const BUNDLE_CTRL_TYPES = ['open_request', 'open_reply', 'close_request', 'close_reply', 'commit_request', 'commit_reply', 'discard_request', 'discard_reply'];
/** OFPBF_ATOMIC = 1, OFPBF_ORDERED = 2 */
const BUNDLE_ATOMIC = 1;
const BUNDLE_ORDERED = 2;

function experimenter(a: Annotator): Expect {
  const exp = a.u32(8, 'experimenter');
  const expType = a.u32(12, 'exp_type');
  const end = a.buf.length;
  if (exp === ONF && expType === 2300) {
    const bundleId = a.u32(16, 'bundle_id');
    const ctrlType = BUNDLE_CTRL_TYPES[a.u16(20, 'type')];
    const flags = a.u16(22, 'flags');
    if (end > 24) a.add(24, end - 24, 'properties');
    return { type: 'bundle_control', bundleId, ctrlType, atomic: (flags & BUNDLE_ATOMIC) !== 0, ordered: (flags & BUNDLE_ORDERED) !== 0 };
  }
  if (exp === ONF && expType === 2301) {
    const bundleId = a.u32(16, 'bundle_id');
    a.pad(20, 2);
    const flags = a.u16(22, 'flags');
    const inner = a.buf.readUInt16BE(24 + 2);
    // the inner message is a whole frame of its own: annotate it with its offsets shifted
    const sub = annotateFrame(Buffer.from(a.buf.subarray(24, 24 + inner)));
    for (const s of sub.spans) a.add(24 + s.off, s.len, `message.${s.name}`, s.value);
    const padded = 24 + ((inner + 7) & ~7);
    if (padded > 24 + inner) a.pad(24 + inner, Math.min(padded, end) - 24 - inner);
    if (end > padded) a.add(padded, end - padded, 'properties');
    return { type: 'bundle_add', bundleId, atomic: (flags & BUNDLE_ATOMIC) !== 0, ordered: (flags & BUNDLE_ORDERED) !== 0, message: sub.expect };
  }
  if (exp === NICIRA && expType === NXT_PACKET_IN2) return packetIn2(a);
  if (end > 16) a.add(16, end - 16, 'data');
  return { experimenter: exp, expType };
}

/** Nicira NXT_PACKET_IN2 (OVS include/openflow/nicira-ext.h): properties after the 16-byte header. */
const NICIRA = 0x00002320;
const NXT_PACKET_IN2 = 30;
const NXPINT = ['packet', 'full_len', 'buffer_id', 'table_id', 'cookie', 'reason', 'metadata', 'userdata', 'continuation'];

function packetIn2(a: Annotator): Expect {
  const e: Expect = { type: 'nx_packet_in2' };
  for (let p = 16; p + 4 <= a.buf.length; ) {
    const type = a.buf.readUInt16BE(p);
    const len = a.buf.readUInt16BE(p + 2);
    const name = NXPINT[type] ?? `prop${type}`;
    a.add(p, 2, `${name}.type`, type);
    a.u16(p + 2, `${name}.len`);
    const body = p + 4;
    const valueEnd = p + len;
    switch (name) {
      case 'packet': a.add(body, len - 4, 'packet'); e.data = hex(a.buf.subarray(body, valueEnd)); break;
      case 'full_len': e.fullLen = a.u32(body, 'full_len'); break;
      case 'buffer_id': e.bufferId = a.u32(body, 'buffer_id'); break;
      case 'table_id': e.tableId = a.u8(body, 'table_id'); break;
      case 'cookie': a.pad(body, 4); e.cookie = a.u64(body + 4, 'cookie'); break;
      case 'reason': e.reason = a.u8(body, 'reason'); break;
      case 'metadata': {
        // raw OXMs, no ofp_match header (OVS oxm_put_raw)
        const oxms: Expect[] = [];
        for (let q = body, i = 0; q < valueEnd; i++) {
          const r = annotateOxm(a, q, `metadata.oxm[${i}]`);
          oxms.push(r.expect);
          q += r.len;
        }
        e.match = oxms;
        break;
      }
      case 'userdata': a.add(body, len - 4, 'userdata'); e.userdata = hex(a.buf.subarray(body, valueEnd)); break;
      default: a.add(body, len - 4, name); if (name === 'continuation') e.continuation = hex(a.buf.subarray(body, valueEnd));
    }
    const used = a.spans.filter((s) => s.off >= body && s.off < valueEnd).reduce((m, s) => Math.max(m, s.off + s.len), body);
    const padded = p + ((len + 7) & ~7);
    if (padded > used) a.pad(used, padded - used);
    p = padded;
  }
  return e;
}

function multipartReply(a: Annotator): Expect {
  const mpType = a.u16(8, 'mp_type');
  const flags = a.u16(10, 'flags');
  a.pad(12, 4);
  const kind = MP_KINDS[mpType] ?? 'unknown';
  const end = a.buf.length;
  const body: Expect = { kind };
  if (kind === 'port_desc') body.ports = portDescs(a, 16, end);
  else if (kind === 'flow') body.flows = flowStats(a, 16, end);
  else if (kind === 'group_desc') body.groups = groupDescs(a, 16, end);
  else if (kind === 'meter_config') body.meters = meterConfigs(a, 16, end);
  else if (end > 16) a.add(16, end - 16, 'body');
  return { flags, body };
}

const hex = (b: Buffer): Expect => ({ $hex: b.toString('hex') });

/** ofp_packet_out (spec 7.3.7): the packet follows the actions. */
function packetOut(a: Annotator): Expect {
  const bufferId = a.u32(8, 'buffer_id');
  const inPort = a.u32(12, 'in_port');
  const actionsLen = a.u16(16, 'actions_len');
  a.pad(18, 6);
  const actions = annotateActions(a, 24, 24 + actionsLen, 'actions');
  if (a.buf.length > 24 + actionsLen) a.add(24 + actionsLen, a.buf.length - 24 - actionsLen, 'data');
  return { bufferId, inPort, actions, data: hex(a.buf.subarray(24 + actionsLen)) };
}

/** ofp_packet_in (spec 7.4.1): match, 2 pad bytes, then the packet. */
function packetIn(a: Annotator): Expect {
  const e: Expect = { bufferId: a.u32(8, 'buffer_id'), totalLen: a.u16(12, 'total_len'), reason: a.u8(14, 'reason'), tableId: a.u8(15, 'table_id'), cookie: a.u64(16, 'cookie') };
  const m = annotateMatch(a, 24, 'match');
  a.pad(24 + m.len, 2);
  const data = 24 + m.len + 2;
  if (a.buf.length > data) a.add(data, a.buf.length - data, 'data');
  return { ...e, match: m.expect, data: hex(a.buf.subarray(data)) };
}

const PORT_REASONS = ['add', 'delete', 'modify'];

/** ofp_port_status (spec 7.4.3). */
function portStatus(a: Annotator): Expect {
  const reason = PORT_REASONS[a.u8(8, 'reason')];
  a.pad(9, 7);
  const [desc] = portDescs(a, 16, a.buf.length, 'desc');
  return { reason, desc };
}

/** ofp_flow_removed (spec 7.4.2). */
function flowRemoved(a: Annotator): Expect {
  const e: Expect = {
    cookie: a.u64(8, 'cookie'), priority: a.u16(16, 'priority'), reason: a.u8(18, 'reason'), tableId: a.u8(19, 'table_id'),
    durationSec: a.u32(20, 'duration_sec'), durationNsec: a.u32(24, 'duration_nsec'), idleTimeout: a.u16(28, 'idle_timeout'),
    hardTimeout: a.u16(30, 'hard_timeout'), packetCount: a.u64(32, 'packet_count'), byteCount: a.u64(40, 'byte_count'),
  };
  return { ...e, match: annotateMatch(a, 48, 'match').expect };
}

function portDescs(a: Annotator, off: number, end: number, prefix = 'ports'): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p + OFP_PORT_LEN <= end; p += OFP_PORT_LEN, i++) {
    const pre = prefix === 'ports' ? `ports[${i}]` : prefix;
    const portNo = a.u32(p, `${pre}.port_no`);
    a.pad(p + 4, 4);
    const hwAddr = [...a.buf.subarray(p + 8, p + 14)].map((x) => x.toString(16).padStart(2, '0')).join(':');
    a.add(p + 8, 6, `${pre}.hw_addr`, hwAddr);
    a.pad(p + 14, 2);
    const name = a.buf.subarray(p + 16, p + 32).toString('latin1').replace(/\0.*$/s, '');
    a.add(p + 16, 16, `${pre}.name`, name);
    const names = ['config', 'state', 'curr', 'advertised', 'supported', 'peer', 'curr_speed', 'max_speed'];
    const v = names.map((n, k) => a.u32(p + 32 + 4 * k, `${pre}.${n}`));
    out.push({ portNo, hwAddr, name, config: v[0], state: v[1], curr: v[2], advertised: v[3], supported: v[4], peer: v[5], currSpeed: v[6], maxSpeed: v[7] });
  }
  return out;
}

function flowStats(a: Annotator, off: number, end: number): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const pre = `flows[${i}]`;
    const len = a.u16(p, `${pre}.length`);
    const e: Expect = { tableId: a.u8(p + 2, `${pre}.table_id`) };
    a.pad(p + 3, 1);
    a.u32(p + 4, `${pre}.duration_sec`); a.u32(p + 8, `${pre}.duration_nsec`);
    e.priority = a.u16(p + 12, `${pre}.priority`); e.idleTimeout = a.u16(p + 14, `${pre}.idle_timeout`);
    e.hardTimeout = a.u16(p + 16, `${pre}.hard_timeout`); e.flags = a.u16(p + 18, `${pre}.flags`);
    a.pad(p + 20, 4);
    e.cookie = a.u64(p + 24, `${pre}.cookie`);
    a.u64(p + 32, `${pre}.packet_count`); a.u64(p + 40, `${pre}.byte_count`);
    const m = annotateMatch(a, p + 48, `${pre}.match`);
    e.match = m.expect;
    e.instructions = annotateInstructions(a, p + 48 + m.len, p + len, `${pre}.instructions`);
    out.push(e);
    p += len;
  }
  return out;
}

function groupDescs(a: Annotator, off: number, end: number): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const pre = `groups[${i}]`;
    const len = a.u16(p, `${pre}.length`);
    const groupType = GROUP_TYPES[a.u8(p + 2, `${pre}.type`)];
    a.pad(p + 3, 1);
    const groupId = a.u32(p + 4, `${pre}.group_id`);
    out.push({ groupType, groupId, buckets: buckets(a, p + 8, p + len, `${pre}.buckets`) });
    p += len;
  }
  return out;
}

function meterConfigs(a: Annotator, off: number, end: number): Expect[] {
  const out: Expect[] = [];
  for (let p = off, i = 0; p < end; i++) {
    const pre = `meters[${i}]`;
    const len = a.u16(p, `${pre}.length`);
    const flags = a.u16(p + 2, `${pre}.flags`);
    const meterId = a.u32(p + 4, `${pre}.meter_id`);
    out.push({ flags, meterId, bands: bands(a, p + 8, p + len, `${pre}.bands`) });
    p += len;
  }
  return out;
}
