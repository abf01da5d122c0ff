// Match field registry: OXM/NXM class, field number, width and names of every field this library knows.
// Sources: OpenFlow 1.3.5 spec section 7.2.3.7 (OFPXMC_OPENFLOW_BASIC), OVS lib/meta-flow.xml and
// include/openvswitch/meta-flow.h (NXM_NX_* in class NXM_1 = 0x0001, packet registers in 0x8001,
// ONF experimenter fields in class 0xffff).
import type { OxmFieldName } from '../messages/types.ts';

/** OXM classes (spec 7.2.3.2 and OVS nx-match.h). */
export const OFPXMC_NXM_0 = 0x0000;
export const OFPXMC_NXM_1 = 0x0001;
export const OFPXMC_OPENFLOW_BASIC = 0x8000;
export const OFPXMC_PACKET_REGS = 0x8001;
export const OFPXMC_EXPERIMENTER = 0xffff;

/** Experimenter ids (OVS openflow-common.h). */
export const NX_VENDOR_ID = 0x00002320;
export const ONF_VENDOR_ID = 0x4f4e4600;

/** ofp_match.type OFPMT_OXM (spec 7.2.3.1). */
export const OFPMT_OXM = 1;
/** ofp_match header: type and length (spec 7.2.3.1). */
export const OFP_MATCH_HEADER_LEN = 4;
/** An OXM TLV header (spec 7.2.3.2). */
export const OXM_HEADER_LEN = 4;
/** Experimenter OXM headers carry a 4-byte experimenter id after the TLV header. */
export const OXM_EXPERIMENTER_ID_LEN = 4;

/** OFPVID_PRESENT: set in vlan_vid when a VLAN tag is present (spec 7.2.3.8). */
export const OFPVID_PRESENT = 0x1000;
export const OFPVID_NONE = 0x0000;

/** How a field's value is represented in TypeScript and on the wire. */
export type OxmKind = 'u8' | 'u16' | 'u24' | 'u32' | 'u64' | 'u128' | 'mac' | 'ipv4' | 'ipv6';

export interface OxmFieldInfo {
  name: OxmFieldName;
  oxmClass: number;
  field: number;
  /** experimenter id for class 0xffff */
  experimenter?: number;
  kind: OxmKind;
  /** value length in bytes (mask adds as many again) */
  len: number;
  /** meaningful bits, for `FIELD[]` slices */
  bits: number;
  /** the name OVS prints in move/load/learn (NXM_OF_ETH_SRC, OXM_OF_METADATA, ...) */
  nxmName: string;
}

const KIND_LEN: Record<OxmKind, number> = { u8: 1, u16: 2, u24: 3, u32: 4, u64: 8, u128: 16, mac: 6, ipv4: 4, ipv6: 16 };

type Row = [OxmFieldName, number, number, OxmKind, string, number?];

// [name, class, field, kind, NXM/OXM name OVS prints, bits if narrower than the bytes]
const BASIC = OFPXMC_OPENFLOW_BASIC;
const NX = OFPXMC_NXM_1;
const ROWS: Row[] = [
  ['in_port', BASIC, 0, 'u32', 'OXM_OF_IN_PORT'],
  ['in_phy_port', BASIC, 1, 'u32', 'OXM_OF_IN_PHY_PORT'],
  ['metadata', BASIC, 2, 'u64', 'OXM_OF_METADATA'],
  ['eth_dst', BASIC, 3, 'mac', 'NXM_OF_ETH_DST'],
  ['eth_src', BASIC, 4, 'mac', 'NXM_OF_ETH_SRC'],
  ['eth_type', BASIC, 5, 'u16', 'NXM_OF_ETH_TYPE'],
  ['vlan_vid', BASIC, 6, 'u16', 'OXM_OF_VLAN_VID', 13],
  ['vlan_pcp', BASIC, 7, 'u8', 'OXM_OF_VLAN_PCP', 3],
  ['ip_dscp', BASIC, 8, 'u8', 'OXM_OF_IP_DSCP', 6],
  ['ip_ecn', BASIC, 9, 'u8', 'NXM_NX_IP_ECN', 2],
  ['ip_proto', BASIC, 10, 'u8', 'NXM_OF_IP_PROTO'],
  ['ipv4_src', BASIC, 11, 'ipv4', 'NXM_OF_IP_SRC'],
  ['ipv4_dst', BASIC, 12, 'ipv4', 'NXM_OF_IP_DST'],
  ['tcp_src', BASIC, 13, 'u16', 'NXM_OF_TCP_SRC'],
  ['tcp_dst', BASIC, 14, 'u16', 'NXM_OF_TCP_DST'],
  ['udp_src', BASIC, 15, 'u16', 'NXM_OF_UDP_SRC'],
  ['udp_dst', BASIC, 16, 'u16', 'NXM_OF_UDP_DST'],
  ['sctp_src', BASIC, 17, 'u16', 'OXM_OF_SCTP_SRC'],
  ['sctp_dst', BASIC, 18, 'u16', 'OXM_OF_SCTP_DST'],
  ['icmpv4_type', BASIC, 19, 'u8', 'NXM_OF_ICMP_TYPE'],
  ['icmpv4_code', BASIC, 20, 'u8', 'NXM_OF_ICMP_CODE'],
  ['arp_op', BASIC, 21, 'u16', 'NXM_OF_ARP_OP'],
  ['arp_spa', BASIC, 22, 'ipv4', 'NXM_OF_ARP_SPA'],
  ['arp_tpa', BASIC, 23, 'ipv4', 'NXM_OF_ARP_TPA'],
  ['arp_sha', BASIC, 24, 'mac', 'NXM_NX_ARP_SHA'],
  ['arp_tha', BASIC, 25, 'mac', 'NXM_NX_ARP_THA'],
  ['ipv6_src', BASIC, 26, 'ipv6', 'NXM_NX_IPV6_SRC'],
  ['ipv6_dst', BASIC, 27, 'ipv6', 'NXM_NX_IPV6_DST'],
  ['ipv6_flabel', BASIC, 28, 'u32', 'NXM_NX_IPV6_LABEL', 20],
  ['icmpv6_type', BASIC, 29, 'u8', 'NXM_NX_ICMPV6_TYPE'],
  ['icmpv6_code', BASIC, 30, 'u8', 'NXM_NX_ICMPV6_CODE'],
  ['ipv6_nd_target', BASIC, 31, 'ipv6', 'NXM_NX_ND_TARGET'],
  ['ipv6_nd_sll', BASIC, 32, 'mac', 'NXM_NX_ND_SLL'],
  ['ipv6_nd_tll', BASIC, 33, 'mac', 'NXM_NX_ND_TLL'],
  ['mpls_label', BASIC, 34, 'u32', 'OXM_OF_MPLS_LABEL', 20],
  ['mpls_tc', BASIC, 35, 'u8', 'OXM_OF_MPLS_TC', 3],
  ['mpls_bos', BASIC, 36, 'u8', 'OXM_OF_MPLS_BOS', 1],
  ['pbb_isid', BASIC, 37, 'u24', 'OXM_OF_PBB_ISID'],
  ['tunnel_id', BASIC, 38, 'u64', 'NXM_NX_TUN_ID'],
  ['ipv6_exthdr', BASIC, 39, 'u16', 'OXM_OF_IPV6_EXTHDR', 9],
  ['vlan_tci', OFPXMC_NXM_0, 4, 'u16', 'NXM_OF_VLAN_TCI'],
  ['nw_ttl', NX, 29, 'u8', 'NXM_NX_IP_TTL'],
  ['nw_frag', NX, 26, 'u8', 'NXM_NX_IP_FRAG', 2],
  ['tun_ipv4_src', NX, 31, 'ipv4', 'NXM_NX_TUN_IPV4_SRC'],
  ['tun_ipv4_dst', NX, 32, 'ipv4', 'NXM_NX_TUN_IPV4_DST'],
  ['pkt_mark', NX, 33, 'u32', 'NXM_NX_PKT_MARK'],
  ['dp_hash', NX, 35, 'u32', 'NXM_NX_DP_HASH'],
  ['recirc_id', NX, 36, 'u32', 'NXM_NX_RECIRC_ID'],
  ['conj_id', NX, 37, 'u32', 'NXM_NX_CONJ_ID'],
  ['tun_flags', NX, 104, 'u16', 'NXM_NX_TUN_FLAGS', 1],
  ['ct_state', NX, 105, 'u32', 'NXM_NX_CT_STATE'],
  ['ct_zone', NX, 106, 'u16', 'NXM_NX_CT_ZONE'],
  ['ct_mark', NX, 107, 'u32', 'NXM_NX_CT_MARK'],
  ['ct_label', NX, 108, 'u128', 'NXM_NX_CT_LABEL'],
  ['tun_ipv6_src', NX, 109, 'ipv6', 'NXM_NX_TUN_IPV6_SRC'],
  ['tun_ipv6_dst', NX, 110, 'ipv6', 'NXM_NX_TUN_IPV6_DST'],
  ['ct_nw_proto', NX, 119, 'u8', 'NXM_NX_CT_NW_PROTO'],
  ['ct_nw_src', NX, 120, 'ipv4', 'NXM_NX_CT_NW_SRC'],
  ['ct_nw_dst', NX, 121, 'ipv4', 'NXM_NX_CT_NW_DST'],
  ['ct_ipv6_src', NX, 122, 'ipv6', 'NXM_NX_CT_IPV6_SRC'],
  ['ct_ipv6_dst', NX, 123, 'ipv6', 'NXM_NX_CT_IPV6_DST'],
  ['ct_tp_src', NX, 124, 'u16', 'NXM_NX_CT_TP_SRC'],
  ['ct_tp_dst', NX, 125, 'u16', 'NXM_NX_CT_TP_DST'],
];

/** Number of NXM_NX_REGn registers (NXM_1 fields 0..15) and 64-bit xregs (class 0x8001 fields 0..7). */
const N_REGS = 16;
const N_XREGS = 8;
for (let i = 0; i < N_REGS; i++) ROWS.push([`reg${i}` as OxmFieldName, NX, i, 'u32', `NXM_NX_REG${i}`]);
for (let i = 0; i < N_XREGS; i++) ROWS.push([`xreg${i}` as OxmFieldName, OFPXMC_PACKET_REGS, i, 'u64', `OXM_OF_PKT_REG${i}`]);

/** ONFOXM_ET_TCP_FLAGS: tcp_flags in OpenFlow 1.3 (OVS meta-flow.h, ONF experimenter field 42). */
export const ONFOXM_ET_TCP_FLAGS = 42;

function info(row: Row): OxmFieldInfo {
  const [name, oxmClass, field, kind, nxmName, bits] = row;
  const len = KIND_LEN[kind];
  return { name, oxmClass, field, kind, len, bits: bits ?? len * 8, nxmName };
}

export const OXM_FIELDS: readonly OxmFieldInfo[] = [
  ...ROWS.map(info),
  {
    name: 'tcp_flags', oxmClass: OFPXMC_EXPERIMENTER, field: ONFOXM_ET_TCP_FLAGS, experimenter: ONF_VENDOR_ID,
    kind: 'u16', len: 2, bits: 12, nxmName: 'ONFOXM_ET_TCP_FLAGS',
  },
];

export const OXM_BY_NAME: Readonly<Record<OxmFieldName, OxmFieldInfo>> = Object.fromEntries(
  OXM_FIELDS.map((f) => [f.name, f]),
) as Record<OxmFieldName, OxmFieldInfo>;

/** Key for class+field lookups (the has-mask bit and length excluded). */
export function classFieldKey(oxmClass: number, field: number): number {
  return oxmClass * 128 + field;
}

const BY_CLASS_FIELD = new Map<number, OxmFieldInfo>();
const BY_EXPERIMENTER = new Map<string, OxmFieldInfo>();
for (const f of OXM_FIELDS) {
  if (f.experimenter !== undefined) BY_EXPERIMENTER.set(`${f.experimenter}:${f.field}`, f);
  else BY_CLASS_FIELD.set(classFieldKey(f.oxmClass, f.field), f);
}

/**
 * Older NXM headers for the same fields with the same width (NXM_OF_* in class 0 and NXM_NX_* in
 * class 1, OVS nicira-ext.h): OVS accepts them in OpenFlow 1.3, so the decoder maps them too.
 */
const NXM_ALIASES: [number, number, OxmFieldName][] = [
  [OFPXMC_NXM_0, 1, 'eth_dst'], [OFPXMC_NXM_0, 2, 'eth_src'], [OFPXMC_NXM_0, 3, 'eth_type'],
  [OFPXMC_NXM_0, 6, 'ip_proto'], [OFPXMC_NXM_0, 7, 'ipv4_src'], [OFPXMC_NXM_0, 8, 'ipv4_dst'],
  [OFPXMC_NXM_0, 9, 'tcp_src'], [OFPXMC_NXM_0, 10, 'tcp_dst'], [OFPXMC_NXM_0, 11, 'udp_src'],
  [OFPXMC_NXM_0, 12, 'udp_dst'], [OFPXMC_NXM_0, 13, 'icmpv4_type'], [OFPXMC_NXM_0, 14, 'icmpv4_code'],
  [OFPXMC_NXM_0, 15, 'arp_op'], [OFPXMC_NXM_0, 16, 'arp_spa'], [OFPXMC_NXM_0, 17, 'arp_tpa'],
  [NX, 16, 'tunnel_id'], [NX, 17, 'arp_sha'], [NX, 18, 'arp_tha'], [NX, 19, 'ipv6_src'], [NX, 20, 'ipv6_dst'],
  [NX, 21, 'icmpv6_type'], [NX, 22, 'icmpv6_code'], [NX, 23, 'ipv6_nd_target'], [NX, 24, 'ipv6_nd_sll'],
  [NX, 25, 'ipv6_nd_tll'], [NX, 27, 'ipv6_flabel'], [NX, 28, 'ip_ecn'],
];
for (const [c, f, name] of NXM_ALIASES) BY_CLASS_FIELD.set(classFieldKey(c, f), OXM_BY_NAME[name]);

/**
 * The header OVS writes when an NX action (move, load, learn, output_reg, ct zone) names a field: the
 * NXM one where the field has one, even in OpenFlow 1.3 (observed in OVS 3.1 flow stats), else the OXM one.
 */
const NX_ACTION_HEADERS = new Map<OxmFieldName, number>();
for (const [c, f, name] of NXM_ALIASES) NX_ACTION_HEADERS.set(name, ((c << 16) | (f << 9) | OXM_BY_NAME[name].len) >>> 0);
for (const f of OXM_FIELDS) {
  if (!NX_ACTION_HEADERS.has(f.name) && f.experimenter === undefined) NX_ACTION_HEADERS.set(f.name, oxmHeader(f, false));
}
/** NXM_OF_IN_PORT: class 0, field 0, 2 bytes */
NX_ACTION_HEADERS.set('in_port', 2);

/** 4-byte header for a field named in an NX action (undefined for experimenter fields, which need 8). */
export function nxActionHeader(name: OxmFieldName): number | undefined {
  return NX_ACTION_HEADERS.get(name);
}

/** Flat tables for the classes seen on every flow (basic and NXM_1), indexed by field number. */
const OXM_FIELD_NUMBERS = 128;
const BASIC_TABLE: (OxmFieldInfo | undefined)[] = new Array(OXM_FIELD_NUMBERS).fill(undefined);
const NXM1_TABLE: (OxmFieldInfo | undefined)[] = new Array(OXM_FIELD_NUMBERS).fill(undefined);
for (let f = 0; f < OXM_FIELD_NUMBERS; f++) {
  BASIC_TABLE[f] = BY_CLASS_FIELD.get(classFieldKey(OFPXMC_OPENFLOW_BASIC, f));
  NXM1_TABLE[f] = BY_CLASS_FIELD.get(classFieldKey(OFPXMC_NXM_1, f));
}

export function lookupOxm(oxmClass: number, field: number): OxmFieldInfo | undefined {
  if (oxmClass === OFPXMC_OPENFLOW_BASIC) return BASIC_TABLE[field];
  if (oxmClass === OFPXMC_NXM_1) return NXM1_TABLE[field];
  return BY_CLASS_FIELD.get(classFieldKey(oxmClass, field));
}

export function lookupExperimenterOxm(experimenter: number, field: number): OxmFieldInfo | undefined {
  return BY_EXPERIMENTER.get(`${experimenter}:${field}`);
}

/** NXM_OF_IN_PORT (class 0 field 0, 16 bits): OVS still names in_port this way in move/load. */
export const NXM_OF_IN_PORT_FIELD = 0;

/** The 32-bit OXM/NXM header of a field without mask: class(16) field(7) hasmask(1) length(8). */
export function oxmHeader(f: OxmFieldInfo, hasMask: boolean): number {
  const payload = (f.experimenter !== undefined ? OXM_EXPERIMENTER_ID_LEN : 0) + (hasMask ? 2 * f.len : f.len);
  return ((f.oxmClass << 16) | (f.field << 9) | (hasMask ? 0x100 : 0) | payload) >>> 0;
}
