// Parses the match part of ovs-ofctl flow text (shorthands, OVS field names, masks) into OXM fields.
import type { KnownOxm, Match, OxmFieldName } from '../messages/types.ts';
import { lookupFieldName } from './refs.ts';
import { parseValue, TextError } from './values.ts';

const ETH_IP = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_ARP = 0x0806;
const ETH_RARP = 0x8035;
const IPPROTO_ICMP = 1;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_SCTP = 132;
const IPPROTO_ICMPV6 = 58;
const OFPVID_PRESENT = 0x1000;
const VLAN_VID_MASK = 0x1fff;
const VLAN_PCP_SHIFT = 13;
const DSCP_SHIFT = 2;

/** Protocol shorthands: ethertype and IP protocol they stand for (ovs-fields(7)). */
export const SHORTHANDS: Record<string, [number, number?]> = {
  ip: [ETH_IP], ipv4: [ETH_IP], ipv6: [ETH_IPV6], arp: [ETH_ARP], rarp: [ETH_RARP], mpls: [0x8847], mplsm: [0x8848],
  icmp: [ETH_IP, IPPROTO_ICMP], tcp: [ETH_IP, IPPROTO_TCP], udp: [ETH_IP, IPPROTO_UDP], sctp: [ETH_IP, IPPROTO_SCTP],
  icmp6: [ETH_IPV6, IPPROTO_ICMPV6], tcp6: [ETH_IPV6, IPPROTO_TCP], udp6: [ETH_IPV6, IPPROTO_UDP], sctp6: [ETH_IPV6, IPPROTO_SCTP],
};

const FRAG: Record<string, [number, number]> = { no: [0, 3], yes: [1, 1], first: [1, 3], later: [3, 3], not_later: [0, 2] };

/** Names whose meaning depends on the protocol matched (resolved once the whole match is read). */
const CONTEXTUAL = new Set(['tp_src', 'tp_dst', 'icmp_type', 'icmp_code', 'nw_src', 'nw_dst', 'ip_src', 'ip_dst']);

function exactValue(m: Match, field: OxmFieldName): number | undefined {
  const o = m.find((x) => x.field === field);
  return o !== undefined && o.field !== 'unknown' && o.mask === undefined ? (o.value as number) : undefined;
}

function contextualField(name: string, ethType: number | undefined, proto: number | undefined): OxmFieldName {
  const src = name.endsWith('src') || name.endsWith('type');
  if (name === 'nw_src' || name === 'nw_dst' || name === 'ip_src' || name === 'ip_dst') {
    if (ethType === ETH_ARP || ethType === ETH_RARP) return src ? 'arp_spa' : 'arp_tpa';
    return src ? 'ipv4_src' : 'ipv4_dst';
  }
  if (name === 'icmp_type' || name === 'icmp_code') {
    if (ethType === ETH_IPV6) return src ? 'icmpv6_type' : 'icmpv6_code';
    return src ? 'icmpv4_type' : 'icmpv4_code';
  }
  switch (proto) {
    case IPPROTO_TCP: return src ? 'tcp_src' : 'tcp_dst';
    case IPPROTO_UDP: return src ? 'udp_src' : 'udp_dst';
    case IPPROTO_SCTP: return src ? 'sctp_src' : 'sctp_dst';
    case IPPROTO_ICMP: return src ? 'icmpv4_type' : 'icmpv4_code';
    case IPPROTO_ICMPV6: return src ? 'icmpv6_type' : 'icmpv6_code';
    default: throw new TextError(`${name} needs a tcp, udp, sctp or icmp match`);
  }
}

function num(s: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new TextError(`bad number '${s}'`);
  return Number(s);
}

function vlanTci(value: string): KnownOxm[] {
  const [v, m] = value.split('/');
  const tci = num(v);
  const mask = m === undefined ? 0xffff : num(m);
  const out: KnownOxm[] = [];
  // CFI matched as 0: no VLAN at all, which OpenFlow 1.3 says as vlan_vid OFPVID_NONE (OVS sends 0x0000/0x1fff)
  if (mask & OFPVID_PRESENT && !(tci & OFPVID_PRESENT)) return [{ field: 'vlan_vid', value: 0, mask: VLAN_VID_MASK }];
  const vidMask = mask & VLAN_VID_MASK;
  if (vidMask !== 0) out.push(vidMask === VLAN_VID_MASK ? { field: 'vlan_vid', value: tci & VLAN_VID_MASK } : { field: 'vlan_vid', value: tci & VLAN_VID_MASK, mask: vidMask });
  if (mask >> VLAN_PCP_SHIFT !== 0) out.push({ field: 'vlan_pcp', value: tci >> VLAN_PCP_SHIFT });
  return out;
}

/** One `key=value` or bare word of the match; returns false if the key is not a match field. */
export function addMatchToken(m: Match, pending: Pending[], key: string, value: string | undefined): boolean {
  const k = key.toLowerCase();
  if (value === undefined) {
    const sh = SHORTHANDS[k];
    if (sh === undefined) return false;
    m.push({ field: 'eth_type', value: sh[0] });
    if (sh[1] !== undefined) m.push({ field: 'ip_proto', value: sh[1] });
    return true;
  }
  if (CONTEXTUAL.has(k)) {
    // keep the field's position: OVS wants prerequisites (icmp_type) before dependants (nd_target)
    pending.push({ at: m.length, key: k, value });
    m.push({ field: 'unknown', oxmClass: 0, oxmField: 0, hasMask: false, body: Buffer.alloc(0) });
    return true;
  }
  switch (k) {
    case 'dl_vlan':
      m.push({ field: 'vlan_vid', value: OFPVID_PRESENT | num(value) });
      return true;
    case 'vlan_tci':
      m.push(...vlanTci(value));
      return true;
    case 'nw_tos': {
      m.push({ field: 'ip_dscp', value: num(value) >> DSCP_SHIFT });
      return true;
    }
    case 'dl_vlan_pcp':
    case 'vlan_pcp':
      // a priority needs a VLAN: OVS adds "VLAN present" when the match has no vlan_vid
      if (!m.some((o) => o.field === 'vlan_vid')) m.push({ field: 'vlan_vid', value: OFPVID_PRESENT, mask: OFPVID_PRESENT });
      m.push({ field: 'vlan_pcp', value: num(value) });
      return true;
    case 'ip_frag':
    case 'nw_frag': {
      const f = FRAG[value];
      m.push(f === undefined ? parseValue('nw_frag', value) : { field: 'nw_frag', value: f[0], mask: f[1] });
      return true;
    }
  }
  const field = lookupFieldName(k);
  if (field === undefined) return false;
  m.push(parseValue(field, value));
  return true;
}

/** A protocol-dependent field waiting, at its place in the match, for the protocol to be known. */
export interface Pending {
  at: number;
  key: string;
  value: string;
}

/** Resolves tp_src/nw_src/icmp_type once the protocol is known, in place. */
export function resolvePending(m: Match, pending: Pending[]): void {
  const ethType = exactValue(m, 'eth_type');
  const proto = exactValue(m, 'ip_proto');
  for (const p of pending) m[p.at] = parseValue(contextualField(p.key, ethType, proto), p.value);
}
