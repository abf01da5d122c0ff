// fast-check arbitraries for flows that ovs-ofctl text can express exactly (for parseFlow(formatFlowMod(x)) properties).
import fc from 'fast-check';
import { OXM_FIELDS } from '../../../openflow/constants/oxm.ts';
import type { Action, FieldSlice, FlowSpec, Instruction, KnownOxm, LearnSpec, NatAction, OxmFieldName } from '../../../openflow/index.ts';
import { fieldBits } from '../../../openflow/text/fields.ts';
import { ipv4, ipv6, knownOxmOf, u16, u32, u64, u8 } from './arbitraries.ts';

const info = (name: OxmFieldName) => OXM_FIELDS.find((f) => f.name === name)!;

/** Fields a match can hold without protocol prerequisites, each printed under its own name. */
const FREE_FIELDS: OxmFieldName[] = [
  'in_port', 'metadata', 'eth_src', 'eth_dst', 'tunnel_id', 'tun_ipv4_src', 'tun_ipv4_dst', 'pkt_mark', 'conj_id', 'ct_zone',
  'ct_mark', 'ct_label', 'recirc_id', 'dp_hash', ...Array.from({ length: 16 }, (_, i) => `reg${i}` as OxmFieldName),
];

const ctState: fc.Arbitrary<KnownOxm> = fc
  .tuple(fc.integer({ min: 1, max: 0xff }), fc.integer({ min: 0, max: 0xff }))
  .map(([mask, v]) => ({ field: 'ct_state', value: v & mask, mask }));

/** An IPv4 scenario: ip or tcp/udp with addresses and ports (prerequisites first, as OVS wants). */
const ipScenario: fc.Arbitrary<KnownOxm[]> = fc
  .record({
    proto: fc.constantFrom(undefined, 6, 17),
    src: fc.option(knownOxmOf(info('ipv4_src')), { nil: undefined }),
    dst: fc.option(knownOxmOf(info('ipv4_dst')), { nil: undefined }),
    ttl: fc.option(u8, { nil: undefined }),
    tpDst: fc.option(u16, { nil: undefined }),
  })
  .map(({ proto, src, dst, ttl, tpDst }) => {
    const out: KnownOxm[] = [{ field: 'eth_type', value: 0x0800 }];
    if (proto !== undefined) out.push({ field: 'ip_proto', value: proto });
    if (src) out.push(src);
    if (dst) out.push(dst);
    if (ttl !== undefined) out.push({ field: 'nw_ttl', value: ttl });
    if (proto !== undefined && tpDst !== undefined) out.push({ field: proto === 6 ? 'tcp_dst' : 'udp_dst', value: tpDst });
    return out;
  });

export const textMatch: fc.Arbitrary<KnownOxm[]> = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...FREE_FIELDS), { maxLength: 5 }).chain((names) => fc.tuple(...names.map((n) => knownOxmOf(info(n))))),
    fc.option(ctState, { nil: undefined }),
    fc.option(ipScenario, { nil: undefined }),
  )
  .map(([free, ct, ip]) => [...(ip ?? []), ...(ct ? [ct] : []), ...free]);

/** A slice that fits its field (as text can name it). */
const slice: fc.Arbitrary<FieldSlice> = fc
  .constantFrom<OxmFieldName>('in_port', 'metadata', 'eth_src', 'eth_dst', 'tunnel_id', 'reg0', 'reg5', 'reg15', 'xreg3', 'ct_mark', 'ipv4_src', 'tun_ipv4_dst', 'arp_op')
  .chain((field) => {
    const w = fieldBits(field);
    return fc.integer({ min: 0, max: w - 1 }).chain((ofs) => fc.integer({ min: 1, max: w - ofs }).map((nBits) => ({ field, ofs, nBits })));
  });

const natAction: fc.Arbitrary<NatAction> = fc
  .record({
    kind: fc.constantFrom('src' as const, 'dst' as const, null),
    persistent: fc.boolean(), hash: fc.boolean(), random: fc.boolean(),
    v6: fc.boolean(), min: fc.option(fc.tuple(ipv4, ipv6), { nil: undefined }), max: fc.option(fc.tuple(ipv4, ipv6), { nil: undefined }),
    pmin: fc.option(u16, { nil: undefined }), pmax: fc.option(u16, { nil: undefined }),
  })
  .map(({ kind, persistent, hash, random, v6, min, max, pmin, pmax }) => {
    const n: NatAction = { type: 'nat', kind, persistent, hash, random };
    if (kind === null || min === undefined) return n;
    const i = v6 ? 1 : 0;
    if (v6) n.ipv6Min = min[i];
    else n.ipv4Min = min[i];
    if (max !== undefined && max[i] !== min[i]) {
      if (v6) n.ipv6Max = max[i];
      else n.ipv4Max = max[i];
    }
    if (pmin !== undefined) {
      n.protoMin = pmin;
      if (pmax !== undefined && pmax !== pmin) n.protoMax = pmax;
    }
    return n;
  });

const SETTABLE: OxmFieldName[] = [
  'eth_src', 'eth_dst', 'ipv4_src', 'ipv4_dst', 'tunnel_id', 'tun_ipv4_dst', 'reg3', 'xreg2', 'metadata', 'ct_mark', 'ct_label',
  'vlan_vid', 'ip_dscp', 'arp_op', 'arp_sha', 'arp_spa', 'ipv6_src', 'tcp_dst', 'udp_src', 'pkt_mark', 'in_port', 'eth_type',
];

const setField: fc.Arbitrary<Action> = fc.constantFrom(...SETTABLE).chain((n) => knownOxmOf(info(n), false).map((field): Action => ({ type: 'set_field', field })));

const learnSpec: fc.Arbitrary<LearnSpec> = fc.oneof(
  slice.map((s): LearnSpec => ({ kind: 'match', nBits: s.nBits, src: { field: { ...s } }, dst: s })),
  slice.chain((d) =>
    slice
      .filter((s) => fieldBits(s.field) - s.ofs >= d.nBits)
      .map((s): LearnSpec => ({ kind: 'match', nBits: d.nBits, src: { field: { ...s, nBits: d.nBits } }, dst: d })),
  ),
  fc.tuple(slice, u64).map(([d, v]): LearnSpec => ({ kind: 'load', nBits: d.nBits, src: { value: BigInt.asUintN(d.nBits, v) }, dst: d })),
  slice.map((s): LearnSpec => ({ kind: 'output', nBits: s.nBits, src: { field: s } })),
);

const flatTextAction: fc.Arbitrary<Action> = fc.oneof(
  fc.integer({ min: 1, max: 0xfeff }).map((port): Action => ({ type: 'output', port, maxLen: 0 })),
  u16.map((maxLen): Action => ({ type: 'output', port: 0xfffffffd, maxLen })),
  fc.constantFrom<Action>({ type: 'output', port: 0xfffffff8, maxLen: 0 }, { type: 'output', port: 0xfffffffe, maxLen: 0 }, { type: 'output', port: 0xfffffffa, maxLen: 0 }),
  fc.constantFrom<Action>(
    { type: 'copy_ttl_out' }, { type: 'copy_ttl_in' }, { type: 'dec_mpls_ttl' }, { type: 'pop_vlan' }, { type: 'dec_nw_ttl' }, { type: 'pop_pbb' }, { type: 'exit' }, { type: 'ct_clear' },
  ),
  u8.map((ttl): Action => ({ type: 'set_nw_ttl', ttl })),
  u8.map((ttl): Action => ({ type: 'set_mpls_ttl', ttl })),
  fc.record({ type: fc.constantFrom('push_vlan' as const, 'push_mpls' as const, 'pop_mpls' as const, 'push_pbb' as const), ethertype: u16 }),
  u32.map((queueId): Action => ({ type: 'set_queue', queueId })),
  u32.map((groupId): Action => ({ type: 'group', groupId })),
  setField,
  fc.record({ type: fc.constant('resubmit' as const), port: fc.oneof(fc.integer({ min: 0, max: 0xfeff }), fc.constant(0xfffffff8)), table: u8, ct: fc.boolean() }),
  slice.chain((src) => slice.filter((d) => fieldBits(d.field) - d.ofs >= src.nBits).map((d): Action => ({ type: 'reg_move', src, dst: { ...d, nBits: src.nBits } }))),
  fc.tuple(slice.filter((s) => s.nBits <= 64), u64).map(([dst, value]): Action => ({ type: 'reg_load', dst, value })),
  fc.array(u16, { maxLength: 4 }).map((controllerIds): Action => ({ type: 'dec_ttl', controllerIds })),
  fc.uint8Array({ maxLength: 12 }).map((b): Action => ({ type: 'note', note: Buffer.from(b) })),
  fc.record({ type: fc.constant('conjunction' as const), id: u32, clause: fc.integer({ min: 0, max: 62 }), nClauses: fc.integer({ min: 1, max: 64 }) }),
  fc.record(
    {
      type: fc.constant('learn' as const), idleTimeout: u16, hardTimeout: u16, priority: u16, cookie: u64, flags: fc.integer({ min: 0, max: 3 }),
      tableId: u8, finIdleTimeout: u16, finHardTimeout: u16, specs: fc.array(learnSpec, { maxLength: 4 }),
    },
  ),
  slice.map((src): Action => ({ type: 'output_reg', src, maxLen: 0 })),
  fc.record(
    {
      type: fc.constant('controller2' as const),
      maxLen: u16.filter((n) => n !== 0xffff), controllerId: fc.integer({ min: 1, max: 0xffff }), reason: fc.constantFrom(0, 2, 3, 4, 5),
      userdata: fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => Buffer.from(b)), pause: fc.constant(true), meterId: u32,
    },
    { requiredKeys: ['type', 'pause'] },
  ),
);

const ctAction: fc.Arbitrary<Action> = fc
  .record({
    commit: fc.boolean(), force: fc.boolean(), zone: fc.oneof(fc.record({ imm: u16 }), fc.record({ src: slice.filter((s) => s.field !== 'tunnel_id' && s.nBits <= 16) })),
    recircTable: u8, alg: fc.constantFrom(0, 21, 69, 7), nats: fc.array(natAction, { maxLength: 1 }), exec: fc.array(setField, { maxLength: 2 }),
  })
  .map(({ nats, exec, ...rest }): Action => ({ type: 'ct', ...rest, actions: [...nats, ...exec] }));

export const textActions: fc.Arbitrary<Action[]> = fc.array(fc.oneof({ arbitrary: flatTextAction, weight: 8 }, { arbitrary: ctAction, weight: 1 }), { minLength: 1, maxLength: 5 });

export const textInstructions: fc.Arbitrary<Instruction[]> = fc
  .record({
    meter: fc.option(u32, { nil: undefined }),
    apply: textActions,
    clear: fc.boolean(),
    write: fc.option(fc.array(flatTextAction, { maxLength: 2 }), { nil: undefined }),
    metadata: fc.option(fc.tuple(u64, u64), { nil: undefined }),
    goto: fc.option(u8, { nil: undefined }),
  })
  .map(({ meter, apply, clear, write, metadata, goto }) => {
    const out: Instruction[] = [];
    if (meter !== undefined) out.push({ type: 'meter', meterId: meter });
    out.push({ type: 'apply_actions', actions: apply });
    if (clear) out.push({ type: 'clear_actions' });
    if (write !== undefined) out.push({ type: 'write_actions', actions: write });
    if (metadata !== undefined) out.push({ type: 'write_metadata', metadata: metadata[0], mask: metadata[1] });
    if (goto !== undefined) out.push({ type: 'goto_table', tableId: goto });
    return out;
  });

export const textFlowSpec: fc.Arbitrary<FlowSpec> = fc.record({
  cookie: u64, tableId: u8, priority: u16, idleTimeout: u16, hardTimeout: u16, match: textMatch, instructions: textInstructions,
});

