// Stage "security groups" (tables 40, 41, 51 and an ingress hook in 70): stateful filtering with conntrack, Neutron semantics.
//
// Every secured port has its own conntrack zone, numbered by its OpenFlow port (unique on a switch,
// and conntrack is per switch). Egress: IP from the port is looked up in its zone (table 40), then
// established/related traffic passes and new connections pass only by an egress rule, which commits
// them (table 41). Ingress: unicast IP to the port's MAC is caught in local delivery (table 70, above
// the plain output), reg7 := its port, looked up in its zone, and table 51 lets established/related
// out reg7 and new connections only by an ingress rule. Rules never touch established connections,
// so a rule change keeps the connections it still allows (and those it no longer allows, as Neutron).
// A secured port with no rules drops all new IP; port_security_enabled=false bypasses every table, and so
// does a port whose events never named security groups (securityGroups null in the view).
import type { SecurityGroupRuleInput } from '../../topology/inputs.ts';
import type { ResolvedRule } from '../../topology/securityGroups.ts';
import type { PortView } from '../../topology/view.ts';
import type { Action, KnownOxm } from '../../../openflow/messages/types.ts';
import { IP_PROTOCOL_NUMBERS } from '../../../src/domain/securityGroup/protocols.ts';
import { addressMatch, ipMatch } from '../addresses.ts';
import { hostCookie, portCookie } from '../cookie.ts';
import {
  ETH_TYPE_IPV4, ETH_TYPE_IPV6, IP_PROTO_ICMPV6, IP_PROTO_UDP, applyActions, flow, gotoOnly, gotoTable, m, output, setField,
  type DesiredFlow,
} from '../flow.ts';
import { TABLE_EGRESS_CT, TABLE_EGRESS_RULES, TABLE_INGRESS_RULES, TABLE_L2_LOOKUP, TABLE_LOCAL_DELIVERY } from '../tables.ts';
import { networkMetadata, type NetworkTag } from './classification.ts';
import { portRangeMasks } from './portRange.ts';
import { buildRemoteGroupPortClauses } from './remoteGroups.ts';

/** ct_state bits (OVS lib/packets.h CS_*). */
export const CT_NEW = 0x01;
export const CT_EST = 0x02;
export const CT_REL = 0x04;
export const CT_INV = 0x10;
export const CT_TRK = 0x20;

export const PRIORITY_CT_INVALID = 100;
export const PRIORITY_DHCP_OUT = 95;
export const PRIORITY_ND = 95;
export const PRIORITY_CT_TRACKED = 90;
export const PRIORITY_RULE = 50;
export const PRIORITY_CT_LOOKUP = 100;
/** Above local delivery's plain output (PRIORITY_MAC 50) for the same MAC. */
export const PRIORITY_INGRESS_HOOK = 60;

/** The register that carries the destination port (and zone) from local delivery to table 51. */
export const REG_DEST = 'reg7' as const;
const REG_BITS = 32;
/** Conntrack zones are 16 bits. */
const ZONE_MASK = 0xffff;
/** No recirculation after ct (NX_CT_RECIRC_NONE). */
const NO_RECIRC = 255;
/** DHCP (RFC 2131) client and server ports: a VM asking for its address never needs a rule. */
const DHCP_CLIENT_PORT = 68;
const DHCP_SERVER_PORT = 67;
const IP_PROTO_ICMP = 1;
const MAX_PORT = 65535;
/** ICMPv6 router solicitation .. redirect (RFC 4861): neighbour discovery always passes, as in Neutron. */
const ND_TYPES = [133, 134, 135, 136, 137];
const ETHERTYPES = { IPv4: ETH_TYPE_IPV4, IPv6: ETH_TYPE_IPV6 } as const;

/** The zone of a port's connections: its OpenFlow port number. */
export const portZone = (ofport: number): number => ofport & ZONE_MASK;

const ctState = (set: number): KnownOxm => m('ct_state', set | CT_TRK, set | CT_TRK);
const ct = (zone: number, table: number, commit: boolean): Action =>
  ({ type: 'ct', commit, force: false, zone: { imm: zone }, recircTable: table, alg: 0, actions: [] });
const outputDest: Action = { type: 'output_reg', src: { field: REG_DEST, ofs: 0, nBits: REG_BITS }, maxLen: 0 };

/** Host-wide flows of tables 41 and 51: invalid drops, established/related pass, DHCP out and ND both ways pass. */
export function buildSecurityGroupHostFlows(host: string): DesiredFlow[] {
  const c = hostCookie('security_group', host);
  const flows: DesiredFlow[] = [];
  for (const [table, pass] of [[TABLE_EGRESS_RULES, [gotoTable(TABLE_L2_LOOKUP)]], [TABLE_INGRESS_RULES, [applyActions([outputDest])]]] as const) {
    flows.push(flow(table, PRIORITY_CT_INVALID, [ctState(CT_INV)], [], c));
    flows.push(flow(table, PRIORITY_CT_TRACKED, [ctState(CT_EST)], [...pass], c));
    flows.push(flow(table, PRIORITY_CT_TRACKED, [ctState(CT_REL)], [...pass], c));
    for (const type of ND_TYPES) {
      flows.push(flow(table, PRIORITY_ND, [ctState(0), m('eth_type', ETH_TYPE_IPV6), m('ip_proto', IP_PROTO_ICMPV6), m('icmpv6_type', type)], [...pass], c));
    }
  }
  flows.push(flow(TABLE_EGRESS_RULES, PRIORITY_DHCP_OUT,
    [ctState(0), m('eth_type', ETH_TYPE_IPV4), m('ip_proto', IP_PROTO_UDP), m('udp_src', DHCP_CLIENT_PORT), m('udp_dst', DHCP_SERVER_PORT)],
    [gotoTable(TABLE_L2_LOOKUP)], c));
  return flows;
}

function protocolNumber(rule: SecurityGroupRuleInput): number | null | undefined {
  if (rule.protocol === null) return null;
  const n = /^\d+$/.test(rule.protocol) ? Number(rule.protocol) : IP_PROTOCOL_NUMBERS[rule.protocol];
  if (n === undefined) return undefined;
  // Neutron reads icmp in an IPv6 rule as ipv6-icmp
  return rule.ethertype === 'IPv6' && n === IP_PROTO_ICMP ? IP_PROTO_ICMPV6 : n;
}

const PORT_FIELDS: Partial<Record<number, 'tcp_dst' | 'udp_dst' | 'sctp_dst'>> = { 6: 'tcp_dst', 17: 'udp_dst', 132: 'sctp_dst' };

/** The L4 part of a rule as alternative match lists ([] = the rule matches nothing this switch can express). */
function l4Matches(rule: SecurityGroupRuleInput, proto: number): KnownOxm[][] {
  const base = [m('ip_proto', proto)];
  if (proto === IP_PROTO_ICMP || proto === IP_PROTO_ICMPV6) {
    const [type, code] = proto === IP_PROTO_ICMP ? ['icmpv4_type', 'icmpv4_code'] as const : ['icmpv6_type', 'icmpv6_code'] as const;
    if (rule.portRangeMin !== null) base.push(m(type, rule.portRangeMin));
    if (rule.portRangeMin !== null && rule.portRangeMax !== null) base.push(m(code, rule.portRangeMax));
    return [base];
  }
  if (rule.portRangeMin === null && rule.portRangeMax === null) return [base];
  if (rule.portRangeMin === 0 && rule.portRangeMax === MAX_PORT) return [base];
  const field = PORT_FIELDS[proto];
  if (field === undefined) return [];
  const lo = rule.portRangeMin ?? 0;
  const hi = rule.portRangeMax ?? lo;
  return portRangeMasks(lo, hi).map(({ value, mask }) => [...base, mask === undefined ? m(field, value) : m(field, value, mask)]);
}

/** Remote side of a rule (source for ingress, destination for egress) as alternatives; [] = nobody. */
function remoteMatches(r: ResolvedRule): KnownOxm[][] {
  const { rule } = r;
  const v6 = rule.ethertype === 'IPv6';
  const field = rule.direction === 'ingress' ? (v6 ? 'ipv6_src' : 'ipv4_src') : (v6 ? 'ipv6_dst' : 'ipv4_dst');
  const addrs = r.remoteAddresses ?? (rule.remoteIpPrefix === null ? null : [rule.remoteIpPrefix]);
  if (addrs === null) return [[]];
  const out: KnownOxm[][] = [];
  for (const text of addrs) {
    const a = ipMatch(text);
    if (!a || a.version !== (v6 ? 6 : 4)) continue;
    out.push(addressMatch(field, a));
  }
  return out;
}

/** The matches of one rule (beyond ct_state and the port), as alternatives. */
export function ruleMatches(r: ResolvedRule): KnownOxm[][] {
  const proto = protocolNumber(r.rule);
  if (proto === undefined) return [];
  const eth = [m('eth_type', ETHERTYPES[r.rule.ethertype])];
  const l4 = proto === null ? [[]] : l4Matches(r.rule, proto);
  const out: KnownOxm[][] = [];
  for (const remote of remoteMatches(r)) for (const l of l4) out.push([...eth, ...remote, ...l]);
  return out;
}

/** The per-port flows: the two conntrack lookups, and one flow per rule alternative in each direction. */
export function buildSecurityGroupPortFlows(port: PortView, vni: NetworkTag, ofport: number, rules: readonly ResolvedRule[]): DesiredFlow[] {
  if (!port.portSecurityEnabled || port.securityGroups === null) return [];
  const c = portCookie('security_group', port.id);
  const zone = portZone(ofport);
  const flows: DesiredFlow[] = [];
  // the IPv4 and IPv6 hooks share their instructions (never mutated: ../flow.ts, interning)
  const egressHook = [applyActions([setField(REG_DEST, ofport), ct(zone, TABLE_EGRESS_RULES, false)])];
  const ingressHook = [applyActions([setField(REG_DEST, ofport), ct(zone, TABLE_INGRESS_RULES, false)])];
  for (const eth of [ETH_TYPE_IPV4, ETH_TYPE_IPV6]) {
    // reg7 := the port, so a remote-group conjunction (shared by all ports) commits in the right zone
    flows.push(flow(TABLE_EGRESS_CT, PRIORITY_CT_LOOKUP, [m('in_port', ofport), m('eth_type', eth)], egressHook, c));
    flows.push(flow(TABLE_LOCAL_DELIVERY, PRIORITY_INGRESS_HOOK,
      [m('metadata', networkMetadata(vni)), m('eth_dst', port.macAddress), m('eth_type', eth)], ingressHook, c));
  }
  const isNew = ctState(CT_NEW);
  for (const r of rules) {
    // remote-group rules are conjunctions (./remoteGroups.ts)
    if (r.remoteAddresses !== undefined) continue;
    for (const match of ruleMatches(r)) {
      if (r.rule.direction === 'egress') {
        flows.push(flow(TABLE_EGRESS_RULES, PRIORITY_RULE, [isNew, m('in_port', ofport), ...match],
          [applyActions([ct(zone, NO_RECIRC, true)]), gotoTable(TABLE_L2_LOOKUP)], c));
      } else {
        flows.push(flow(TABLE_INGRESS_RULES, PRIORITY_RULE, [isNew, m(REG_DEST, ofport), ...match],
          [applyActions([ct(zone, NO_RECIRC, true), output(ofport)])], c));
      }
    }
  }
  const l4 = (rule: SecurityGroupRuleInput) => ruleMatches({ rule: { ...rule, remoteGroupId: null, remoteIpPrefix: null } });
  return [...flows, ...buildRemoteGroupPortClauses(port, ofport, rules, l4)];
}
