// Independent table of OXM/NXM match fields (class, field number, value kind) for annotating golden vectors.
// Sources: OpenFlow 1.3.5 section 7.2.3.7 and Open vSwitch's ovs-fields(7); kept apart from the codec on purpose.

export type ValueKind = 'uint' | 'u64' | 'u128' | 'mac' | 'ipv4' | 'ipv6';

export interface FieldInfo {
  name: string;
  kind: ValueKind;
}

/** OXM classes (spec 7.2.3.2 and OVS). */
export const OXM_CLASS = { NXM_0: 0x0000, NXM_1: 0x0001, OPENFLOW_BASIC: 0x8000, PACKET_REGS: 0x8001, EXPERIMENTER: 0xffff } as const;
/** Experimenter ids seen in OXM, actions and errors. */
export const EXPERIMENTER = { NICIRA: 0x00002320, ONF: 0x4f4e4600 } as const;

const u = (name: string): FieldInfo => ({ name, kind: 'uint' });
const mac = (name: string): FieldInfo => ({ name, kind: 'mac' });
const v4 = (name: string): FieldInfo => ({ name, kind: 'ipv4' });
const v6 = (name: string): FieldInfo => ({ name, kind: 'ipv6' });

const BASIC: Record<number, FieldInfo> = {
  0: u('in_port'), 1: u('in_phy_port'), 2: { name: 'metadata', kind: 'u64' }, 3: mac('eth_dst'), 4: mac('eth_src'),
  5: u('eth_type'), 6: u('vlan_vid'), 7: u('vlan_pcp'), 8: u('ip_dscp'), 9: u('ip_ecn'), 10: u('ip_proto'),
  11: v4('ipv4_src'), 12: v4('ipv4_dst'), 13: u('tcp_src'), 14: u('tcp_dst'), 15: u('udp_src'), 16: u('udp_dst'),
  17: u('sctp_src'), 18: u('sctp_dst'), 19: u('icmpv4_type'), 20: u('icmpv4_code'), 21: u('arp_op'), 22: v4('arp_spa'),
  23: v4('arp_tpa'), 24: mac('arp_sha'), 25: mac('arp_tha'), 26: v6('ipv6_src'), 27: v6('ipv6_dst'), 28: u('ipv6_flabel'),
  29: u('icmpv6_type'), 30: u('icmpv6_code'), 31: v6('ipv6_nd_target'), 32: mac('ipv6_nd_sll'), 33: mac('ipv6_nd_tll'),
  34: u('mpls_label'), 35: u('mpls_tc'), 36: u('mpls_bos'), 37: u('pbb_isid'), 38: { name: 'tunnel_id', kind: 'u64' },
  39: u('ipv6_exthdr'),
};

/** Nicira NXM_1 fields that the esdn codec names (ovs-fields(7) numbers). */
const NXM1: Record<number, FieldInfo> = {
  26: u('nw_frag'), 29: u('nw_ttl'), 31: v4('tun_ipv4_src'), 32: v4('tun_ipv4_dst'), 33: u('pkt_mark'), 35: u('dp_hash'),
  36: u('recirc_id'), 37: u('conj_id'), 104: u('tun_flags'), 105: u('ct_state'), 106: u('ct_zone'), 107: u('ct_mark'),
  108: { name: 'ct_label', kind: 'u128' }, 109: v6('tun_ipv6_src'), 110: v6('tun_ipv6_dst'), 119: u('ct_nw_proto'),
  120: v4('ct_nw_src'), 121: v4('ct_nw_dst'), 122: v6('ct_ipv6_src'), 123: v6('ct_ipv6_dst'), 124: u('ct_tp_src'),
  125: u('ct_tp_dst'),
};
/** NXM_NX_REG0..15 are NXM_1 fields 0..15. */
const NX_REGS = 16;
for (let i = 0; i < NX_REGS; i++) NXM1[i] = u(`reg${i}`);
/** OXM_OF_PKT_REG0..7 (OVS xreg0..7) are class 0x8001 fields 0..7. */
const PKT_REGS = 8;
const XREG: Record<number, FieldInfo> = {};
for (let i = 0; i < PKT_REGS; i++) XREG[i] = { name: `xreg${i}`, kind: 'u64' };

/** ONF experimenter field 42 is tcp_flags in OpenFlow 1.3 (ONFOXM_ET_TCP_FLAGS). */
const ONF_TCP_FLAGS = 42;

/** The codec's name for an OXM, or undefined when the codec keeps it as 'unknown'. */
export function fieldInfo(oxmClass: number, field: number, experimenter?: number): FieldInfo | undefined {
  switch (oxmClass) {
    case OXM_CLASS.OPENFLOW_BASIC: return BASIC[field];
    case OXM_CLASS.NXM_1: return NXM1[field];
    case OXM_CLASS.PACKET_REGS: return XREG[field];
    case OXM_CLASS.EXPERIMENTER:
      return experimenter === EXPERIMENTER.ONF && field === ONF_TCP_FLAGS ? u('tcp_flags') : undefined;
    default: return undefined;
  }
}

/**
 * Legacy NXM headers that OVS still puts in field slices (reg_move, learn, output_reg) in OpenFlow 1.3,
 * named as the codec names the equivalent OXM field. vlan_tci (NXM_0 4) has no codec name.
 */
const NXM0_SLICE: Record<number, string> = {
  0: 'in_port', 1: 'eth_dst', 2: 'eth_src', 3: 'eth_type', 6: 'ip_proto', 7: 'ipv4_src', 8: 'ipv4_dst', 9: 'tcp_src',
  10: 'tcp_dst', 11: 'udp_src', 12: 'udp_dst', 13: 'icmpv4_type', 14: 'icmpv4_code', 15: 'arp_op', 16: 'arp_spa', 17: 'arp_tpa',
};
const NXM1_SLICE: Record<number, string> = {
  16: 'tunnel_id', 17: 'arp_sha', 18: 'arp_tha', 19: 'ipv6_src', 20: 'ipv6_dst', 21: 'icmpv6_type', 22: 'icmpv6_code',
  23: 'ipv6_nd_target', 24: 'ipv6_nd_sll', 25: 'ipv6_nd_tll', 27: 'ipv6_flabel', 28: 'ip_ecn',
};

/** Reverse lookup, for field slices in reg_move/output_reg/learn that name a field by its 32-bit header. */
export function fieldByHeader(header: number): FieldInfo | undefined {
  const cls = header >>> 16;
  const field = (header >>> 9) & 0x7f;
  const legacy = cls === OXM_CLASS.NXM_0 ? NXM0_SLICE[field] : cls === OXM_CLASS.NXM_1 ? NXM1_SLICE[field] : undefined;
  return legacy ? { name: legacy, kind: 'uint' } : fieldInfo(cls, field);
}

/**
 * IPv6 text as inet_ntop (and so ovs-ofctl) writes it: RFC 5952 compression of the longest zero run,
 * and a dotted IPv4 tail for IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses.
 */
function ipv6(b: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i));
  // the longest run (first on ties) of two or more zero words
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const V4_COMPAT_RUN = 6;
  const V4_MAPPED_RUN = 5;
  if (best === 0 && (bestLen === V4_COMPAT_RUN || (bestLen === V4_MAPPED_RUN && words[5] === 0xffff))) {
    return `::${bestLen === V4_MAPPED_RUN ? 'ffff:' : ''}${[...b.subarray(12)].join('.')}`;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** A value of the given kind, in the codec's JSON-able convention (bigint written as "<decimal>n"). */
export function formatValue(kind: ValueKind, b: Buffer): string | number {
  switch (kind) {
    case 'mac': return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
    case 'ipv4': return [...b].join('.');
    case 'ipv6': return ipv6(b);
    case 'u64':
    case 'u128': return `${BigInt(`0x${b.toString('hex') || '0'}`)}n`;
    case 'uint': return b.length === 0 ? 0 : Number.parseInt(b.toString('hex'), 16);
  }
}
