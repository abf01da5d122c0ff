// Stage "floating IPs" (tables 30-32 in, 64-66 out): 1:1 conntrack NAT of one floating IP on the host that does it (DVR: the VM's host; else the gateway host).
//
// In: ARP for the floating IP is answered with the floating IP port's MAC; IPv4 to it is looked up in
// the router's NAT zone (30); a new connection is committed with nat(dst=fixed IP), established
// traffic is already translated (31); then it is routed inside: TTL-1, router leg MAC, VM network,
// next hop (63) = the VM's MAC and local delivery so ingress security groups still apply, or the
// tunnel to the VM's host when the NAT is centralized on the router's gateway host (32).
// Out: routing's default route (62) sends the VM's traffic to 64: looked up in the same zone; a new
// connection is committed with nat(src=floating IP), established traffic is already translated (65);
// then it gets the floating IP's MAC, the next hop (destination when on-link, else the external
// subnet's gateway) and the provider network (66), and table 67 finds the neighbor.
// Zones: conntrack matches ct_zone in 31/32 so two routers' overlapping fixed IPs never meet.
import type { Action, KnownOxm } from '../../../openflow/messages/types.ts';
import { floatingIpCookie } from '../cookie.ts';
import {
  ETH_TYPE_IPV4, IPV4_BITS, applyActions, flow, gotoOnly, gotoTable, m, move, setField, writeMetadata, type DesiredFlow,
} from '../flow.ts';
import {
  TABLE_EXT_DNAT, TABLE_EXT_EGRESS, TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR, TABLE_EXT_OUT, TABLE_EXT_SNAT, TABLE_EXT_TO_INSIDE, TABLE_NEXT_HOP,
} from '../tables.ts';
import { networkMetadata } from './classification.ts';
import { REG_EXT_NEXT_HOP, buildExternalArpAnswer, ipv4Number, providerMetadata, type PhysicalSegment } from './external.ts';
import { CT_EST, CT_NEW, CT_REL, CT_TRK } from './securityGroups.ts';
import { REG_NEXT_HOP, cidrMatch } from './routing.ts';

/** Above SNAT's flows (./snat.ts) in 64/65, which match every source of a network. */
export const PRIORITY_FIP = 100;
export const PRIORITY_FIP_TRACKED = 90;
/** On-link destinations in the external subnet go straight to them, above the default via the subnet's gateway. */
export const PRIORITY_FIP_ON_LINK = 110;

/** Everything one floating IP's NAT flows need, resolved from the view. */
export interface FloatingIpNat {
  fipId: string;
  address: string;
  /** the floating IP port's MAC: this floating IP's own MAC on the physical network */
  mac: string;
  fixedIp: string;
  vmMac: string;
  /** the VM's network */
  vni: number;
  /** the router's interface MAC on the VM's subnet */
  legMac: string;
  zone: number;
  segment: PhysicalSegment;
  /** the floating IP's subnet on the external network */
  externalCidr: string;
  externalGateway: string | null;
}

const ctState = (set: number): KnownOxm => m('ct_state', set | CT_TRK, set | CT_TRK);
const ct = (zone: number, table: number, commit: boolean, nat: Action[]): Action =>
  ({ type: 'ct', commit, force: false, zone: { imm: zone }, recircTable: table, alg: 0, actions: nat });
const nat = (kind: 'src' | 'dst' | null, ip?: string): Action =>
  ({ type: 'nat', kind, persistent: false, hash: false, random: false, ...(ip === undefined ? {} : { ipv4Min: ip }) });
const IP = m('eth_type', ETH_TYPE_IPV4);

function inbound(f: FloatingIpNat, c: bigint): DesiredFlow[] {
  const ext = m('metadata', providerMetadata(f.segment.networkId));
  const zone = m('ct_zone', f.zone);
  const toInside = [ext, IP, zone, m('ipv4_dst', f.fixedIp)];
  return [
    buildExternalArpAnswer(f.segment, f.address, f.mac, c),
    flow(TABLE_EXT_INGRESS, PRIORITY_FIP, [ext, IP, m('ipv4_dst', f.address)], [applyActions([ct(f.zone, TABLE_EXT_DNAT, false, [nat(null)])])], c),
    flow(TABLE_EXT_DNAT, PRIORITY_FIP, [ext, IP, zone, ctState(CT_NEW), m('ipv4_dst', f.address)],
      [applyActions([ct(f.zone, TABLE_EXT_TO_INSIDE, true, [nat('dst', f.fixedIp)])])], c),
    flow(TABLE_EXT_DNAT, PRIORITY_FIP_TRACKED, [...toInside, ctState(CT_EST)], gotoOnly(TABLE_EXT_TO_INSIDE), c),
    flow(TABLE_EXT_DNAT, PRIORITY_FIP_TRACKED, [...toInside, ctState(CT_REL)], gotoOnly(TABLE_EXT_TO_INSIDE), c),
    // by next hop (63): local delivery on the VM's host (DVR), over the tunnel to it from the gateway host (centralized)
    flow(TABLE_EXT_TO_INSIDE, PRIORITY_FIP, toInside,
      [applyActions([{ type: 'dec_nw_ttl' }, setField('eth_src', f.legMac), move('ipv4_dst', REG_NEXT_HOP, IPV4_BITS)]),
        writeMetadata(networkMetadata(f.vni)), gotoTable(TABLE_NEXT_HOP)], c),
  ];
}

function outbound(f: FloatingIpNat, c: bigint): DesiredFlow[] {
  const vm = m('metadata', networkMetadata(f.vni));
  const out = (dst: KnownOxm[], hop: Action, priority: number) => flow(TABLE_EXT_OUT, priority, [vm, IP, m('ipv4_src', f.address), ...dst],
    [applyActions([setField('eth_src', f.mac), hop]), writeMetadata(providerMetadata(f.segment.networkId)), gotoTable(TABLE_EXT_NEIGHBOR)], c);
  const flows = [
    flow(TABLE_EXT_EGRESS, PRIORITY_FIP, [vm, IP, m('ipv4_src', f.fixedIp)], [applyActions([ct(f.zone, TABLE_EXT_SNAT, false, [nat(null)])])], c),
    flow(TABLE_EXT_SNAT, PRIORITY_FIP, [vm, IP, ctState(CT_NEW), m('ipv4_src', f.fixedIp)],
      [applyActions([ct(f.zone, TABLE_EXT_OUT, true, [nat('src', f.address)])])], c),
    flow(TABLE_EXT_SNAT, PRIORITY_FIP_TRACKED, [vm, IP, ctState(CT_EST), m('ipv4_src', f.address)], gotoOnly(TABLE_EXT_OUT), c),
    flow(TABLE_EXT_SNAT, PRIORITY_FIP_TRACKED, [vm, IP, ctState(CT_REL), m('ipv4_src', f.address)], gotoOnly(TABLE_EXT_OUT), c),
  ];
  const onLink = cidrMatch(f.externalCidr);
  if (onLink) flows.push(out([onLink], move('ipv4_dst', REG_EXT_NEXT_HOP, IPV4_BITS), PRIORITY_FIP_ON_LINK));
  if (f.externalGateway !== null) flows.push(out([], setField(REG_EXT_NEXT_HOP, ipv4Number(f.externalGateway)), PRIORITY_FIP));
  return flows;
}

/** The NAT flows of one floating IP on its NAT host. */
export function buildFloatingIpFlows(f: FloatingIpNat): DesiredFlow[] {
  const c = floatingIpCookie('floating_ip', f.fipId);
  return [...inbound(f, c), ...outbound(f, c)];
}
