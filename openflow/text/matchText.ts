// Prints a match the way `ovs-ofctl dump-flows` does: priority, OVS's field order, protocol shorthands (ip, tcp, arp, ...).
import type { KnownOxm, Match, Oxm, OxmFieldName } from '../messages/types.ts';
import { FIELD_TEXT } from './fields.ts';
import { hex, valueText } from './values.ts';

/** OFP_DEFAULT_PRIORITY: dump-flows omits priority when it equals this (spec 7.3.4.1). */
export const OFP_DEFAULT_PRIORITY = 0x8000;

const ETH_IP = 0x0800;
const ETH_IPV6 = 0x86dd;
/** Shorthands for ethertype alone and for (ethertype, IP protocol) pairs (OVS lib/match.c). */
const ETH_SHORTHANDS: Record<number, string> = { [ETH_IP]: 'ip', [ETH_IPV6]: 'ipv6', 0x0806: 'arp', 0x8035: 'rarp', 0x8847: 'mpls', 0x8848: 'mplsm' };
const PROTO_SHORTHANDS: Record<number, Record<number, string>> = {
  [ETH_IP]: { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' },
  [ETH_IPV6]: { 58: 'icmp6', 6: 'tcp6', 17: 'udp6', 132: 'sctp6' },
};

/** Where each field prints, as OVS's match_format orders them. */
const ORDER: Partial<Record<OxmFieldName, number>> = {};
const SEQUENCE: OxmFieldName[] = [
  'pkt_mark', 'recirc_id', 'dp_hash', 'conj_id', 'ct_state', 'ct_zone', 'ct_mark', 'ct_label', 'ct_nw_src', 'ct_nw_dst',
  'ct_ipv6_src', 'ct_ipv6_dst', 'ct_nw_proto', 'ct_tp_src', 'ct_tp_dst',
  // (protocol shorthand here, then registers)
  'tunnel_id', 'tun_ipv4_src', 'tun_ipv4_dst', 'tun_ipv6_src', 'tun_ipv6_dst', 'tun_flags', 'metadata', 'in_port', 'in_phy_port',
  'vlan_vid', 'vlan_tci', 'vlan_pcp', 'eth_src', 'eth_dst', 'eth_type', 'ipv6_src', 'ipv6_dst', 'ipv6_flabel',
  'ipv4_src', 'arp_spa', 'ipv4_dst', 'arp_tpa', 'ip_proto', 'arp_op', 'arp_sha', 'arp_tha', 'ip_dscp', 'ip_ecn', 'nw_ttl',
  'mpls_label', 'mpls_tc', 'mpls_bos', 'nw_frag', 'tcp_src', 'udp_src', 'sctp_src', 'icmpv4_type', 'icmpv6_type',
  'tcp_dst', 'udp_dst', 'sctp_dst', 'icmpv4_code', 'icmpv6_code', 'ipv6_nd_target', 'ipv6_nd_sll', 'ipv6_nd_tll',
  'tcp_flags', 'pbb_isid', 'ipv6_exthdr',
];
const SHORTHAND_RANK = 15;
const REG_RANK = 15.5;
SEQUENCE.forEach((f, i) => (ORDER[f] = i < SHORTHAND_RANK ? i : i + 1));

/** nw_frag names for (value, mask) pairs (OVS meta-flow.xml "nw_frag"). */
const FRAG_NAMES: Record<string, string> = { '0/3': 'no', '1/1': 'yes', '1/3': 'first', '3/3': 'later', '0/2': 'not_later' };
const NW_FRAG_MASK = 3;
const VLAN_VID_MASK = 0x1fff;
const VLAN_VID_BITS = 0xfff;
const OFPVID_PRESENT = 0x1000;
/** PCP: 3 bits at the top of the TCI */
const PCP_BITS = 0x7;
const PCP_SHIFT = 13;
const U32_MASK = 0xffffffffn;
/** ip_dscp occupies the top 6 bits of the IPv4 TOS byte (OVS prints nw_tos). */
const DSCP_SHIFT = 2;

interface Item {
  rank: number;
  text: string;
}

function exact(match: Match, field: OxmFieldName): number | undefined {
  const o = match.find((x) => x.field === field);
  return o !== undefined && o.field !== 'unknown' && o.mask === undefined ? (o.value as number) : undefined;
}

function regItems(o: KnownOxm): Item[] {
  if (o.field.startsWith('xreg')) {
    const n = Number(o.field.slice(4));
    const v = o.value as bigint;
    const m = o.mask as bigint | undefined;
    const out: Item[] = [];
    const halves: [number, bigint, bigint | undefined][] = [
      [2 * n, v >> 32n, m === undefined ? undefined : m >> 32n],
      [2 * n + 1, v & U32_MASK, m === undefined ? undefined : m & U32_MASK],
    ];
    for (const [reg, hv, hm] of halves) {
      if (hm === 0n) continue;
      const masked = hm !== undefined && hm !== U32_MASK;
      out.push({ rank: REG_RANK + reg / 100, text: `reg${reg}=${hex(hv)}${masked ? `/${hex(hm)}` : ''}` });
    }
    return out;
  }
  const n = Number(o.field.slice(3));
  return [{ rank: REG_RANK + n / 100, text: `reg${n}=${valueText(o)}` }];
}

function itemOf(o: KnownOxm, skip: Set<OxmFieldName>): Item[] {
  if (skip.has(o.field)) return [];
  if (/^x?reg\d+$/.test(o.field)) return regItems(o);
  const rank = ORDER[o.field] ?? SEQUENCE.length + 1;
  const name = FIELD_TEXT[o.field].match;
  switch (o.field) {
    case 'ip_dscp':
      return [{ rank, text: o.mask === undefined ? `nw_tos=${o.value << DSCP_SHIFT}` : `nw_tos=${o.value << DSCP_SHIFT}/${o.mask << DSCP_SHIFT}` }];
    case 'nw_frag': {
      const named = FRAG_NAMES[`${o.value}/${o.mask ?? NW_FRAG_MASK}`];
      return [{ rank, text: `nw_frag=${named ?? valueText(o)}` }];
    }
    default:
      return [{ rank, text: `${name}=${valueText(o)}` }];
  }
}

function unknownText(o: Extract<Oxm, { field: 'unknown' }>): string {
  const exp = o.experimenter !== undefined ? `,experimenter=0x${o.experimenter.toString(16)}` : '';
  return `oxm(class=0x${o.oxmClass.toString(16)},field=${o.oxmField}${exp},${o.hasMask ? 'masked,' : ''}0x${o.body.toString('hex')})`;
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** vlan_vid and vlan_pcp as OVS prints the 802.1Q TCI they make up together (lib/match.c). */
function vlanText(vid: KnownOxm | undefined, pcp: KnownOxm | undefined): string {
  let tci = 0;
  let mask = 0;
  if (vid !== undefined) {
    tci |= (vid.value as number) & VLAN_VID_MASK;
    mask |= (vid.mask as number | undefined ?? VLAN_VID_MASK) & VLAN_VID_MASK;
  }
  if (pcp !== undefined) {
    tci |= ((pcp.value as number) & PCP_BITS) << PCP_SHIFT;
    mask |= PCP_BITS << PCP_SHIFT;
  }
  const vidMask = mask & VLAN_VID_BITS;
  const pcpMask = mask & (PCP_BITS << PCP_SHIFT);
  if (mask & OFPVID_PRESENT && tci & OFPVID_PRESENT && (vidMask === 0 || vidMask === VLAN_VID_BITS) && (vidMask !== 0 || pcpMask !== 0)) {
    const parts: string[] = [];
    if (vidMask) parts.push(`dl_vlan=${tci & VLAN_VID_BITS}`);
    if (pcpMask) parts.push(`dl_vlan_pcp=${tci >> PCP_SHIFT}`);
    return parts.join(',');
  }
  return `vlan_tci=${hex4(tci)}/${hex4(mask)}`;
}

/** `priority=N,field=value,...` in dump-flows order; empty string for a default-priority catch-all. */
export function formatMatch(match: Match, priority: number): string {
  const items: Item[] = [];
  if (priority !== OFP_DEFAULT_PRIORITY) items.push({ rank: -1, text: `priority=${priority}` });
  const skip = new Set<OxmFieldName>();
  const ethType = exact(match, 'eth_type');
  if (ethType !== undefined && ETH_SHORTHANDS[ethType] !== undefined) {
    skip.add('eth_type');
    const proto = exact(match, 'ip_proto');
    const both = proto !== undefined ? PROTO_SHORTHANDS[ethType]?.[proto] : undefined;
    if (both !== undefined) skip.add('ip_proto');
    items.push({ rank: SHORTHAND_RANK, text: both ?? ETH_SHORTHANDS[ethType] });
  }
  const vid = match.find((o): o is KnownOxm => o.field === 'vlan_vid');
  const pcp = match.find((o): o is KnownOxm => o.field === 'vlan_pcp');
  if (vid !== undefined || pcp !== undefined) {
    items.push({ rank: ORDER.vlan_vid!, text: vlanText(vid, pcp) });
    skip.add('vlan_vid').add('vlan_pcp');
  }
  for (const o of match) {
    if (o.field === 'unknown') items.push({ rank: 1000, text: unknownText(o) });
    else items.push(...itemOf(o, skip));
  }
  // stable sort keeps the wire order among equal ranks
  return items
    .map((it, i) => ({ ...it, i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((it) => it.text)
    .join(',');
}
