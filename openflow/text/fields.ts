// How each match field is named and written in ovs-ofctl flow text (OVS lib/match.c and lib/meta-flow.xml conventions).
import { OXM_BY_NAME } from '../constants/oxm.ts';
import { RESERVED_PORT_NAMES } from '../constants/ports.ts';
import type { OxmFieldName } from '../messages/types.ts';

/** How values print: hex (0x5), decimal, or a named representation. */
export type TextFormat = 'hex' | 'dec' | 'mac' | 'ipv4' | 'ipv6' | 'port' | 'ethtype' | 'ct_state' | 'tun_flags' | 'tcp_flags' | 'flabel';

export interface FieldText {
  /** name in a match as dump-flows prints it */
  match: string;
  /** name after `set_field:...->` (the meta-flow name) */
  set: string;
  format: TextFormat;
}

const T = (match: string, set: string, format: TextFormat): FieldText => ({ match, set, format });

export const FIELD_TEXT: Record<OxmFieldName, FieldText> = {
  in_port: T('in_port', 'in_port', 'port'),
  in_phy_port: T('in_phy_port', 'in_phy_port', 'port'),
  metadata: T('metadata', 'metadata', 'hex'),
  eth_dst: T('dl_dst', 'eth_dst', 'mac'),
  eth_src: T('dl_src', 'eth_src', 'mac'),
  eth_type: T('dl_type', 'eth_type', 'ethtype'),
  vlan_vid: T('vlan_vid', 'vlan_vid', 'dec'),
  vlan_pcp: T('dl_vlan_pcp', 'vlan_pcp', 'dec'),
  vlan_tci: T('vlan_tci', 'vlan_tci', 'hex'),
  ip_dscp: T('ip_dscp', 'ip_dscp', 'dec'),
  ip_ecn: T('nw_ecn', 'nw_ecn', 'dec'),
  ip_proto: T('nw_proto', 'nw_proto', 'dec'),
  ipv4_src: T('nw_src', 'ip_src', 'ipv4'),
  ipv4_dst: T('nw_dst', 'ip_dst', 'ipv4'),
  tcp_src: T('tp_src', 'tcp_src', 'dec'),
  tcp_dst: T('tp_dst', 'tcp_dst', 'dec'),
  udp_src: T('tp_src', 'udp_src', 'dec'),
  udp_dst: T('tp_dst', 'udp_dst', 'dec'),
  sctp_src: T('tp_src', 'sctp_src', 'dec'),
  sctp_dst: T('tp_dst', 'sctp_dst', 'dec'),
  icmpv4_type: T('icmp_type', 'icmp_type', 'dec'),
  icmpv4_code: T('icmp_code', 'icmp_code', 'dec'),
  arp_op: T('arp_op', 'arp_op', 'dec'),
  arp_spa: T('arp_spa', 'arp_spa', 'ipv4'),
  arp_tpa: T('arp_tpa', 'arp_tpa', 'ipv4'),
  arp_sha: T('arp_sha', 'arp_sha', 'mac'),
  arp_tha: T('arp_tha', 'arp_tha', 'mac'),
  ipv6_src: T('ipv6_src', 'ipv6_src', 'ipv6'),
  ipv6_dst: T('ipv6_dst', 'ipv6_dst', 'ipv6'),
  ipv6_flabel: T('ipv6_label', 'ipv6_label', 'flabel'),
  icmpv6_type: T('icmp_type', 'icmpv6_type', 'dec'),
  icmpv6_code: T('icmp_code', 'icmpv6_code', 'dec'),
  ipv6_nd_target: T('nd_target', 'nd_target', 'ipv6'),
  ipv6_nd_sll: T('nd_sll', 'nd_sll', 'mac'),
  ipv6_nd_tll: T('nd_tll', 'nd_tll', 'mac'),
  mpls_label: T('mpls_label', 'mpls_label', 'dec'),
  mpls_tc: T('mpls_tc', 'mpls_tc', 'dec'),
  mpls_bos: T('mpls_bos', 'mpls_bos', 'dec'),
  pbb_isid: T('pbb_isid', 'pbb_isid', 'hex'),
  tunnel_id: T('tun_id', 'tun_id', 'hex'),
  ipv6_exthdr: T('ipv6_exthdr', 'ipv6_exthdr', 'hex'),
  xreg0: T('xreg0', 'xreg0', 'hex'), xreg1: T('xreg1', 'xreg1', 'hex'), xreg2: T('xreg2', 'xreg2', 'hex'),
  xreg3: T('xreg3', 'xreg3', 'hex'), xreg4: T('xreg4', 'xreg4', 'hex'), xreg5: T('xreg5', 'xreg5', 'hex'),
  xreg6: T('xreg6', 'xreg6', 'hex'), xreg7: T('xreg7', 'xreg7', 'hex'),
  reg0: T('reg0', 'reg0', 'hex'), reg1: T('reg1', 'reg1', 'hex'), reg2: T('reg2', 'reg2', 'hex'), reg3: T('reg3', 'reg3', 'hex'),
  reg4: T('reg4', 'reg4', 'hex'), reg5: T('reg5', 'reg5', 'hex'), reg6: T('reg6', 'reg6', 'hex'), reg7: T('reg7', 'reg7', 'hex'),
  reg8: T('reg8', 'reg8', 'hex'), reg9: T('reg9', 'reg9', 'hex'), reg10: T('reg10', 'reg10', 'hex'), reg11: T('reg11', 'reg11', 'hex'),
  reg12: T('reg12', 'reg12', 'hex'), reg13: T('reg13', 'reg13', 'hex'), reg14: T('reg14', 'reg14', 'hex'), reg15: T('reg15', 'reg15', 'hex'),
  nw_frag: T('nw_frag', 'nw_frag', 'dec'),
  nw_ttl: T('nw_ttl', 'nw_ttl', 'dec'),
  tun_ipv4_src: T('tun_src', 'tun_src', 'ipv4'),
  tun_ipv4_dst: T('tun_dst', 'tun_dst', 'ipv4'),
  pkt_mark: T('pkt_mark', 'pkt_mark', 'hex'),
  dp_hash: T('dp_hash', 'dp_hash', 'hex'),
  recirc_id: T('recirc_id', 'recirc_id', 'hex'),
  conj_id: T('conj_id', 'conj_id', 'dec'),
  tun_flags: T('tun_flags', 'tun_flags', 'tun_flags'),
  ct_state: T('ct_state', 'ct_state', 'ct_state'),
  ct_zone: T('ct_zone', 'ct_zone', 'dec'),
  ct_mark: T('ct_mark', 'ct_mark', 'hex'),
  ct_label: T('ct_label', 'ct_label', 'hex'),
  tun_ipv6_src: T('tun_ipv6_src', 'tun_ipv6_src', 'ipv6'),
  tun_ipv6_dst: T('tun_ipv6_dst', 'tun_ipv6_dst', 'ipv6'),
  ct_nw_proto: T('ct_nw_proto', 'ct_nw_proto', 'dec'),
  ct_nw_src: T('ct_nw_src', 'ct_nw_src', 'ipv4'),
  ct_nw_dst: T('ct_nw_dst', 'ct_nw_dst', 'ipv4'),
  ct_ipv6_src: T('ct_ipv6_src', 'ct_ipv6_src', 'ipv6'),
  ct_ipv6_dst: T('ct_ipv6_dst', 'ct_ipv6_dst', 'ipv6'),
  ct_tp_src: T('ct_tp_src', 'ct_tp_src', 'dec'),
  ct_tp_dst: T('ct_tp_dst', 'ct_tp_dst', 'dec'),
  tcp_flags: T('tcp_flags', 'tcp_flags', 'tcp_flags'),
};

/** ct_state bits in order (OVS CS_* flags, meta-flow.xml "ct_state"). */
export const CT_STATE_FLAGS: [string, number][] = [
  ['new', 0x01], ['est', 0x02], ['rel', 0x04], ['rpl', 0x08], ['inv', 0x10], ['trk', 0x20], ['snat', 0x40], ['dnat', 0x80],
];
/** tun_flags bits (FLOW_TNL_PUB_F_OAM). */
export const TUN_FLAGS: [string, number][] = [['oam', 0x01]];
/** TCP header flags (RFC 793, 3168, 3540) as OVS names them. */
export const TCP_FLAGS: [string, number][] = [
  ['fin', 0x001], ['syn', 0x002], ['rst', 0x004], ['psh', 0x008], ['ack', 0x010], ['urg', 0x020], ['ece', 0x040], ['cwr', 0x080], ['ns', 0x100],
];

/** Width in bits of a field when named as `FIELD[]` in move/load/learn text (in_port is the 16-bit NXM one). */
export function fieldBits(name: OxmFieldName): number {
  return name === 'in_port' ? 16 : OXM_BY_NAME[name].bits;
}

/** The name OVS prints in move/load/learn text for a field. */
export function refName(name: OxmFieldName): string {
  return name === 'in_port' ? 'NXM_OF_IN_PORT' : OXM_BY_NAME[name].nxmName;
}

export function portText(p: number): string {
  return RESERVED_PORT_NAMES[p] ?? String(p);
}

const PORT_BY_NAME = new Map(Object.entries(RESERVED_PORT_NAMES).map(([n, s]) => [s, Number(n)]));

/** Parses a port number or reserved name (IN_PORT, LOCAL, CONTROLLER, ...), case-insensitively. */
export function parsePort(s: string): number | undefined {
  const named = PORT_BY_NAME.get(s.toUpperCase());
  if (named !== undefined) return named;
  return /^(0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) : undefined;
}
