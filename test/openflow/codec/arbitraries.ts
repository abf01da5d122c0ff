// fast-check arbitraries for every OpenFlow 1.3 message, match field, instruction and action, in canonical form
// (so decode(encode(x)) deep-equals x). Exported for the fuzz and round-trip suites.
import fc from 'fast-check';
import { errorNames } from '../../../openflow/constants/errors.ts';
import { NX_VENDOR_ID, OXM_FIELDS, type OxmFieldInfo } from '../../../openflow/constants/oxm.ts';
import type {
  Action, Bucket, FieldSlice, FlowStats, Instruction, KnownOxm, LearnSpec, Match, MeterBand, MultipartReplyBody,
  MultipartRequestBody, OfpMessage, Oxm, OxmFieldName, PortDesc, UnknownOxm,
} from '../../../openflow/index.ts';

const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;

export const u8 = fc.integer({ min: 0, max: U8 });
export const u16 = fc.integer({ min: 0, max: U16 });
export const u32 = fc.integer({ min: 0, max: U32 });
export const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
export const xid = u32;

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
export const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => Array.from(b, hex2).join(':'));
export const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => Array.from(b).join('.'));
/** Canonical IPv6 text, produced independently of the codec by the WHATWG URL serializer (RFC 5952 form). */
export const ipv6 = fc.array(fc.integer({ min: 0, max: U16 }), { minLength: 8, maxLength: 8 }).chain((groups) =>
  // bias towards zero runs so '::' compression is exercised
  fc.constantFrom(0, 1, 2, 3).map((zeros) => {
    const g = groups.map((v, i) => (i >= 2 && i < 2 + zeros ? 0 : v));
    const text = new URL(`http://[${g.map((v) => v.toString(16)).join(':')}]/`).hostname.slice(1, -1);
    // inet_ntop (and so OVS) writes IPv4-mapped and -compatible addresses with a dotted tail
    const dotted = `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
    if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${dotted}`;
    if (g.slice(0, 6).every((x) => x === 0) && g[6] !== 0) return `::${dotted}`;
    return text;
  }),
);

export const bytes = (maxLength = 32): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));
/** Byte strings whose length is `rem` modulo 8 (so padded TLVs decode back to the same bytes). */
export const bytesMod8 = (rem: number, maxUnits = 3): fc.Arbitrary<Buffer> =>
  fc.integer({ min: 0, max: maxUnits }).chain((k) =>
    fc.uint8Array({ minLength: rem + 8 * k, maxLength: rem + 8 * k }).map((b) => Buffer.from(b)),
  );

function valueOf(f: OxmFieldInfo): fc.Arbitrary<number | bigint | string> {
  switch (f.kind) {
    case 'u8':
      return u8;
    case 'u16':
      return u16;
    case 'u24':
      return fc.integer({ min: 0, max: 0xffffff });
    case 'u32':
      return u32;
    case 'u64':
      return u64;
    case 'u128':
      return fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    case 'mac':
      return mac;
    case 'ipv4':
      return ipv4;
    case 'ipv6':
      return ipv6;
  }
}

export const fieldName: fc.Arbitrary<OxmFieldName> = fc.constantFrom(...OXM_FIELDS.map((f) => f.name));

export function knownOxmOf(f: OxmFieldInfo, masked: boolean | undefined = undefined): fc.Arbitrary<KnownOxm> {
  const withMask = masked === undefined ? fc.boolean() : fc.constant(masked);
  return fc
    .tuple(valueOf(f), valueOf(f), withMask)
    .map(([value, mask, m]) => (m ? { field: f.name, value, mask } : { field: f.name, value }) as KnownOxm);
}

export const knownOxm = (masked?: boolean): fc.Arbitrary<KnownOxm> =>
  fc.constantFrom(...OXM_FIELDS).chain((f) => knownOxmOf(f, masked));

/** Fields in classes this library does not know (0x0002 is unassigned; experimenter ids other than ONF/NX). */
export const unknownOxm: fc.Arbitrary<UnknownOxm> = fc.oneof(
  fc.record({ oxmField: fc.integer({ min: 0, max: 127 }), hasMask: fc.boolean(), body: bytes(40) }).map(
    (r): UnknownOxm => ({ field: 'unknown', oxmClass: 0x0002, ...r }),
  ),
  fc.record({ oxmField: fc.integer({ min: 0, max: 127 }), hasMask: fc.boolean(), body: bytes(40), experimenter: fc.constantFrom(0x1234, 0xaabbcc) }).map(
    (r): UnknownOxm => ({ field: 'unknown', oxmClass: 0xffff, ...r }),
  ),
);

export const oxm: fc.Arbitrary<Oxm> = fc.oneof({ arbitrary: knownOxm(), weight: 8 }, { arbitrary: unknownOxm, weight: 1 });
export const match: fc.Arbitrary<Match> = fc.array(oxm, { maxLength: 8 });

/** A slice of a known field: ofs/nBits in the ranges NXM ofs_nbits can carry (10 and 6 bits). */
export const slice: fc.Arbitrary<FieldSlice> = fc.record({
  field: fieldName,
  ofs: fc.integer({ min: 0, max: 1023 }),
  nBits: fc.integer({ min: 1, max: 64 }),
});

/** Slices of fields with 4-byte headers (NXAST_REG_LOAD, OUTPUT_REG and CT have no room for 8-byte ones). */
export const slice4: fc.Arbitrary<FieldSlice> = slice.filter((s) => OXM_FIELDS.find((f) => f.name === s.field)?.experimenter === undefined);

const natAction = fc.record(
  {
    type: fc.constant('nat' as const),
    kind: fc.constantFrom('src' as const, 'dst' as const, null),
    persistent: fc.boolean(),
    hash: fc.boolean(),
    random: fc.boolean(),
    ipv4Min: ipv4,
    ipv4Max: ipv4,
    ipv6Min: ipv6,
    ipv6Max: ipv6,
    protoMin: u16,
    protoMax: u16,
  },
  { requiredKeys: ['type', 'kind', 'persistent', 'hash', 'random'] },
);

const learnSpec: fc.Arbitrary<LearnSpec> = fc
  .record({
    kind: fc.constantFrom('match' as const, 'load' as const, 'output' as const),
    nBits: fc.integer({ min: 1, max: 128 }),
    imm: fc.boolean(),
    srcField: fieldName,
    srcOfs: u16,
    value: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
    dst: fc.record({ field: fieldName, ofs: u16 }),
  })
  .map(({ kind, nBits, imm, srcField, srcOfs, value, dst }): LearnSpec => {
    const src: LearnSpec['src'] = imm ? { value: BigInt.asUintN(nBits, value) } : { field: { field: srcField, ofs: srcOfs, nBits } };
    return kind === 'output' ? { kind, nBits, src } : { kind, nBits, src, dst: { ...dst, nBits } };
  });

/** Actions without nesting (usable inside ct). */
export const flatAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('output' as const), port: u32, maxLen: u16 }),
  fc.constantFrom<Action>(
    { type: 'copy_ttl_out' }, { type: 'copy_ttl_in' }, { type: 'dec_mpls_ttl' }, { type: 'pop_vlan' },
    { type: 'dec_nw_ttl' }, { type: 'pop_pbb' }, { type: 'exit' }, { type: 'ct_clear' },
  ),
  fc.record({ type: fc.constantFrom('set_mpls_ttl' as const, 'set_nw_ttl' as const), ttl: u8 }),
  fc.record({ type: fc.constantFrom('push_vlan' as const, 'push_mpls' as const, 'pop_mpls' as const, 'push_pbb' as const), ethertype: u16 }),
  fc.record({ type: fc.constant('set_queue' as const), queueId: u32 }),
  fc.record({ type: fc.constant('group' as const), groupId: u32 }),
  fc.record({ type: fc.constant('set_field' as const), field: knownOxm() }),
  fc.record({
    type: fc.constant('resubmit' as const),
    // ports that survive the 16-bit NXAST_RESUBMIT form: ordinary ones and the reserved range
    port: fc.oneof(fc.integer({ min: 0, max: 0xfeff }), fc.integer({ min: 0xffffff00, max: U32 })),
    table: u8,
    ct: fc.boolean(),
  }),
  fc.record({ type: fc.constant('reg_move' as const), src: slice, dst: slice }).map((a) => ({ ...a, dst: { ...a.dst, nBits: a.src.nBits } })),
  fc.record({ type: fc.constant('reg_load' as const), dst: slice4, value: u64 }),
  fc.record({ type: fc.constant('dec_ttl' as const), controllerIds: fc.array(u16, { maxLength: 6 }) }),
  fc.record({ type: fc.constant('controller' as const), maxLen: u16, controllerId: u16, reason: u8 }),
  fc.record(
    { type: fc.constant('controller2' as const), maxLen: u16, controllerId: u16, reason: u8, userdata: bytes(24), pause: fc.boolean(), meterId: u32 },
    { requiredKeys: ['type', 'pause'] },
  ),
  fc.record({ type: fc.constant('note' as const), note: bytesMod8(6) }),
  fc.record({ type: fc.constant('conjunction' as const), id: u32, clause: u8, nClauses: u8 }),
  fc.record({
    type: fc.constant('learn' as const), idleTimeout: u16, hardTimeout: u16, priority: u16, cookie: u64, flags: u16,
    tableId: u8, finIdleTimeout: u16, finHardTimeout: u16, specs: fc.array(learnSpec, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant('output_reg' as const), src: slice4, maxLen: u16 }),
  natAction,
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32.filter((e) => e !== NX_VENDOR_ID), data: bytesMod8(0) }),
  fc.record({
    type: fc.constant('unknown' as const),
    actionType: fc.integer({ min: 28, max: 0xfffe }),
    data: bytesMod8(4),
  }),
);

export const ctAction: fc.Arbitrary<Action> = fc.record({
  type: fc.constant('ct' as const),
  commit: fc.boolean(),
  force: fc.boolean(),
  zone: fc.oneof(fc.record({ imm: u16 }), fc.record({ src: slice4 })),
  recircTable: u8,
  alg: u16,
  actions: fc.array(flatAction, { maxLength: 3 }),
});

export const action: fc.Arbitrary<Action> = fc.oneof({ arbitrary: flatAction, weight: 10 }, { arbitrary: ctAction, weight: 1 });
export const actions: fc.Arbitrary<Action[]> = fc.array(action, { maxLength: 6 });

export const instruction: fc.Arbitrary<Instruction> = fc.oneof(
  fc.record({ type: fc.constant('goto_table' as const), tableId: u8 }),
  fc.record({ type: fc.constant('write_metadata' as const), metadata: u64, mask: u64 }),
  fc.record({ type: fc.constantFrom('write_actions' as const, 'apply_actions' as const), actions }),
  fc.constant<Instruction>({ type: 'clear_actions' }),
  fc.record({ type: fc.constant('meter' as const), meterId: u32 }),
  fc.record({ type: fc.constant('experimenter' as const), experimenter: u32, data: bytesMod8(0) }),
);
export const instructions: fc.Arbitrary<Instruction[]> = fc.array(instruction, { maxLength: 4 });

const name = (max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_. '), maxLength: max });

export const portDesc: fc.Arbitrary<PortDesc> = fc.record({
  portNo: u32, hwAddr: mac, name: name(15), config: u32, state: u32, curr: u32, advertised: u32, supported: u32,
  peer: u32, currSpeed: u32, maxSpeed: u32,
});

export const bucket: fc.Arbitrary<Bucket> = fc.record({ weight: u16, watchPort: u32, watchGroup: u32, actions: fc.array(flatAction, { maxLength: 3 }) });
export const meterBand: fc.Arbitrary<MeterBand> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), rate: u32, burstSize: u32 }),
  fc.record({ kind: fc.constant('dscp_remark' as const), rate: u32, burstSize: u32, precLevel: u8 }),
  fc.record({ kind: fc.constant('experimenter' as const), rate: u32, burstSize: u32, experimenter: u32, data: bytesMod8(4, 1).map((b) => b.subarray(4)) }),
);

const groupType = fc.constantFrom('all' as const, 'select' as const, 'indirect' as const, 'ff' as const);
const flowStatsRequest = fc.record({ tableId: u8, outPort: u32, outGroup: u32, cookie: u64, cookieMask: u64, match });
/** multipart type numbers this library does not decode (queue, group, group features, meter, ...) */
const unknownMpType = fc.constantFrom(5, 6, 8, 9, 11, 12, 0xffff);

export const multipartRequestBody: fc.Arbitrary<MultipartRequestBody> = fc.oneof(
  fc.constantFrom<MultipartRequestBody>({ kind: 'desc' }, { kind: 'table' }, { kind: 'port_desc' }, { kind: 'group_desc' }),
  flowStatsRequest.map((r) => ({ kind: 'flow' as const, ...r })),
  flowStatsRequest.map((r) => ({ kind: 'aggregate' as const, ...r })),
  fc.record({ kind: fc.constant('port_stats' as const), portNo: u32 }),
  fc.record({ kind: fc.constant('meter_config' as const), meterId: u32 }),
  fc.record({ kind: fc.constant('unknown' as const), mpType: unknownMpType, body: bytes(40) }),
);

const flowStats: fc.Arbitrary<FlowStats> = fc.record({
  tableId: u8, durationSec: u32, durationNsec: u32, priority: u16, idleTimeout: u16, hardTimeout: u16, flags: u16,
  cookie: u64, packetCount: u64, byteCount: u64, match, instructions,
});

export const multipartReplyBody: fc.Arbitrary<MultipartReplyBody> = fc.oneof(
  fc.record({ kind: fc.constant('desc' as const), mfrDesc: name(255), hwDesc: name(255), swDesc: name(255), serialNum: name(31), dpDesc: name(255) }),
  fc.record({ kind: fc.constant('flow' as const), flows: fc.array(flowStats, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('aggregate' as const), packetCount: u64, byteCount: u64, flowCount: u32 }),
  fc.record({ kind: fc.constant('table' as const), tables: fc.array(fc.record({ tableId: u8, activeCount: u32, lookupCount: u64, matchedCount: u64 }), { maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('port_stats' as const),
    ports: fc.array(
      fc.record({
        portNo: u32, rxPackets: u64, txPackets: u64, rxBytes: u64, txBytes: u64, rxDropped: u64, txDropped: u64,
        rxErrors: u64, txErrors: u64, rxFrameErr: u64, rxOverErr: u64, rxCrcErr: u64, collisions: u64,
        durationSec: u32, durationNsec: u32,
      }),
      { maxLength: 3 },
    ),
  }),
  fc.record({ kind: fc.constant('port_desc' as const), ports: fc.array(portDesc, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('group_desc' as const), groups: fc.array(fc.record({ groupType, groupId: u32, buckets: fc.array(bucket, { maxLength: 3 }) }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('meter_config' as const), meters: fc.array(fc.record({ flags: u16, meterId: u32, bands: fc.array(meterBand, { maxLength: 3 }) }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('unknown' as const), mpType: unknownMpType, body: bytes(40) }),
);

export const flowMod = fc.record({
  type: fc.constant('flow_mod' as const), xid, cookie: u64, cookieMask: u64, tableId: u8,
  command: fc.constantFrom('add' as const, 'modify' as const, 'modify_strict' as const, 'delete' as const, 'delete_strict' as const),
  idleTimeout: u16, hardTimeout: u16, priority: u16, bufferId: u32, outPort: u32, outGroup: u32, flags: u16, match, instructions,
});

const errorMsg = fc
  .record({ xid, version: u8, errType: u16, errCode: u16, experimenter: u32, data: bytes(64) })
  .map(({ experimenter, ...e }) => {
    const exp = e.errType === 0xffff ? { experimenter } : {};
    return { type: 'error' as const, ...e, ...exp, ...errorNames(e.errType, e.errCode, exp.experimenter) };
  });

/** Every message except bundle_add (which nests one of these). */
export const plainMessage: fc.Arbitrary<OfpMessage> = fc.oneof(
  fc.record({ type: fc.constant('hello' as const), xid, version: u8, versions: fc.uniqueArray(fc.integer({ min: 0, max: 95 }), { maxLength: 6 }).map((v) => v.sort((a, b) => a - b)) }),
  errorMsg,
  fc.record({ type: fc.constantFrom('echo_request' as const, 'echo_reply' as const), xid, data: bytes(64) }),
  fc.record({ type: fc.constant('experimenter' as const), xid, experimenter: u32.filter((e) => e !== 0x4f4e4600 && e !== NX_VENDOR_ID), expType: u32, data: bytes(40) }),
  fc.record({ type: fc.constantFrom('features_request' as const, 'get_config_request' as const, 'barrier_request' as const, 'barrier_reply' as const), xid }),
  fc.record({ type: fc.constant('features_reply' as const), xid, datapathId: u64, nBuffers: u32, nTables: u8, auxiliaryId: u8, capabilities: u32 }),
  fc.record({ type: fc.constantFrom('get_config_reply' as const, 'set_config' as const), xid, flags: u16, missSendLen: u16 }),
  fc.record({ type: fc.constant('packet_in' as const), xid, bufferId: u32, totalLen: u16, reason: u8, tableId: u8, cookie: u64, match, data: bytes(64) }),
  fc.record({ type: fc.constant('packet_out' as const), xid, bufferId: u32, inPort: u32, actions, data: bytes(64) }),
  fc.record({
    type: fc.constant('flow_removed' as const), xid, cookie: u64, priority: u16, reason: u8, tableId: u8, durationSec: u32,
    durationNsec: u32, idleTimeout: u16, hardTimeout: u16, packetCount: u64, byteCount: u64, match,
  }),
  fc.record({ type: fc.constant('port_status' as const), xid, reason: fc.constantFrom('add' as const, 'delete' as const, 'modify' as const), desc: portDesc }),
  flowMod,
  fc.record({ type: fc.constant('group_mod' as const), xid, command: fc.constantFrom('add' as const, 'modify' as const, 'delete' as const), groupType, groupId: u32, buckets: fc.array(bucket, { maxLength: 4 }) }),
  fc.record({ type: fc.constant('meter_mod' as const), xid, command: fc.constantFrom('add' as const, 'modify' as const, 'delete' as const), flags: u16, meterId: u32, bands: fc.array(meterBand, { maxLength: 4 }) }),
  fc.record({
    type: fc.constantFrom('role_request' as const, 'role_reply' as const), xid,
    role: fc.constantFrom('nochange' as const, 'equal' as const, 'master' as const, 'slave' as const), generationId: u64,
  }),
  fc.record({ type: fc.constant('multipart_request' as const), xid, flags: u16, body: multipartRequestBody }),
  fc.record({ type: fc.constant('multipart_reply' as const), xid, flags: u16, body: multipartReplyBody }),
  fc.record({
    type: fc.constant('bundle_control' as const), xid, bundleId: u32,
    ctrlType: fc.constantFrom('open_request' as const, 'open_reply' as const, 'close_request' as const, 'close_reply' as const, 'commit_request' as const, 'commit_reply' as const, 'discard_request' as const, 'discard_reply' as const),
    atomic: fc.boolean(), ordered: fc.boolean(), properties: bytes(24),
  }),
);

const nxPacketInProps = fc.record(
  {
    xid, data: bytes(64), fullLen: u32, bufferId: u32, tableId: u8, cookie: u64, reason: u8,
    match: fc.array(knownOxm(), { maxLength: 4 }), userdata: bytes(16), continuation: bytes(40),
  },
  { requiredKeys: ['xid', 'data', 'match'] },
);

const maskPair = fc.tuple(u32, u32);
export const asyncMessage: fc.Arbitrary<OfpMessage> = fc.oneof(
  fc.record({ type: fc.constantFrom('set_async' as const, 'get_async_reply' as const), xid, packetInMask: maskPair, portStatusMask: maskPair, flowRemovedMask: maskPair }),
  fc.record({ type: fc.constant('get_async_request' as const), xid }),
);

export const nxMessage: fc.Arbitrary<OfpMessage> = fc.oneof(
  fc.record({ type: fc.constant('nx_set_packet_in_format' as const), xid, format: fc.constantFrom('standard' as const, 'nxt_packet_in' as const, 'nxt_packet_in2' as const) }),
  fc.tuple(fc.constantFrom('nx_packet_in2' as const, 'nx_resume' as const), nxPacketInProps).map(([type, p]) => ({ type, ...p })),
);

export const bundleAdd = fc
  .record({ xid, bundleId: u32, atomic: fc.boolean(), ordered: fc.boolean(), message: plainMessage, properties: bytes(24) })
  .map((b) => ({ type: 'bundle_add' as const, ...b }));

export const message: fc.Arbitrary<OfpMessage> = fc.oneof(
  { arbitrary: plainMessage, weight: 12 },
  { arbitrary: bundleAdd, weight: 1 },
  { arbitrary: nxMessage, weight: 1 },
  { arbitrary: asyncMessage, weight: 1 },
);
