// Checks the committed golden vectors themselves: coverage of fields, actions and message kinds, and byte-exact annotations.
import { describe, expect, it } from 'vitest';
import { annotateFrame } from './golden/annotate.ts';
import { loadVectors, type Vector } from './golden/vectors.ts';

const requests = loadVectors('requests.json');
const replies = loadVectors('replies.json');
const all = [...requests, ...replies];

/** Every action type name the vectors contain, nested ct actions included. */
function actionTypes(v: Vector): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (Array.isArray(o.actions)) for (const a of o.actions as Record<string, unknown>[]) out.push(String(a.type));
      Object.values(o).forEach(walk);
    }
  };
  walk(v.expect);
  return out;
}

describe('golden vectors (captured from ovs-ofctl and ovs-vswitchd 3.1)', () => {
  it('hold at least 100 requests and every reply kind asked for', () => {
    expect(requests.length).toBeGreaterThanOrEqual(100);
    const kinds = new Set(replies.map((v) => `${v.expect.type}/${(v.expect.body as { kind?: string } | undefined)?.kind ?? ''}`));
    for (const k of ['features_reply/', 'multipart_reply/port_desc', 'multipart_reply/flow', 'multipart_reply/group_desc', 'multipart_reply/meter_config', 'error/',
      'packet_in/', 'port_status/', 'flow_removed/']) {
      expect(kinds).toContain(k);
    }
    const requestKinds = new Set(requests.map((v) => v.expect.type));
    for (const k of ['flow_mod', 'group_mod', 'meter_mod', 'packet_out', 'bundle_control', 'bundle_add']) expect(requestKinds).toContain(k);
  });

  it('cover every match field esdn names that Open vSwitch encodes', () => {
    // fields in matches and in set_field actions (OVS matches xregs as pairs of 32-bit regs, sets them as xregs)
    const fields = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if (typeof o.field === 'string' && 'value' in o) fields.add(o.field);
        Object.values(o).forEach(walk);
      }
    };
    requests.forEach((v) => walk(v.expect));
    const wanted = ['in_port', 'metadata', 'eth_dst', 'eth_src', 'eth_type', 'vlan_vid', 'vlan_pcp', 'ip_dscp', 'ip_ecn', 'ip_proto',
      'ipv4_src', 'ipv4_dst', 'tcp_src', 'tcp_dst', 'udp_src', 'udp_dst', 'sctp_src', 'sctp_dst', 'icmpv4_type', 'icmpv4_code',
      'arp_op', 'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha', 'ipv6_src', 'ipv6_dst', 'ipv6_flabel', 'icmpv6_type', 'icmpv6_code',
      'ipv6_nd_target', 'ipv6_nd_sll', 'ipv6_nd_tll', 'mpls_label', 'mpls_tc', 'mpls_bos', 'tunnel_id', 'tcp_flags',
      ...Array.from({ length: 16 }, (_, i) => `reg${i}`), 'xreg1', 'nw_frag', 'nw_ttl', 'tun_ipv4_src',
      'tun_ipv4_dst', 'tun_ipv6_src', 'tun_ipv6_dst', 'tun_flags', 'pkt_mark', 'dp_hash', 'recirc_id', 'conj_id', 'ct_state',
      'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_proto', 'ct_nw_src', 'ct_nw_dst', 'ct_ipv6_src', 'ct_ipv6_dst', 'ct_tp_src', 'ct_tp_dst'];
    expect(wanted.filter((f) => !fields.has(f))).toEqual([]);
  });

  it('cover every instruction and action kind', () => {
    const inst = new Set(requests.flatMap((v) => ((v.expect.instructions as { type: string }[] | undefined) ?? []).map((i) => i.type)));
    expect([...inst].sort()).toEqual(['apply_actions', 'clear_actions', 'goto_table', 'meter', 'write_actions', 'write_metadata']);
    const acts = new Set(requests.flatMap(actionTypes));
    const wanted = ['output', 'group', 'set_field', 'push_vlan', 'pop_vlan', 'push_mpls', 'pop_mpls', 'set_mpls_ttl', 'dec_mpls_ttl',
      'set_nw_ttl', 'dec_nw_ttl', 'dec_ttl', 'set_queue', 'resubmit', 'reg_move', 'ct', 'nat', 'controller', 'controller2', 'note',
      'conjunction', 'learn', 'output_reg', 'exit'];
    expect(wanted.filter((a) => !acts.has(a))).toEqual([]);
    const groupTypes = new Set(requests.filter((v) => v.expect.type === 'group_mod').map((v) => v.expect.groupType));
    expect([...groupTypes].sort()).toEqual(['all', 'ff', 'indirect', 'select']);
    expect(requests.filter((v) => v.expect.type === 'meter_mod').length).toBeGreaterThanOrEqual(5);
  });

  it.each(all.map((v) => [v.id, v] as const))('%s: annotations tile the frame exactly and match the bytes', (_id, v) => {
    const frame = Buffer.from(v.hex, 'hex');
    expect(frame.readUInt16BE(2)).toBe(frame.length);
    const covered = new Array<number>(frame.length).fill(0);
    for (const s of v.spans) for (let i = s.off; i < s.off + s.len; i++) covered[i]++;
    expect(covered.every((c) => c === 1)).toBe(true);
    // the committed annotation is what the annotator says today: regenerated vectors stay reviewable
    expect(annotateFrame(frame)).toEqual({ spans: v.spans, expect: v.expect });
    expect(v.ofpPrint).not.toMatch(/^ovs-ofctl: /);
  });
});
