// Stage "SNAT" (tables 0, 30-32, 64-66): a router's centralized way out, on the gateway host esdn scheduled, and the tunnel to it from every other host.
//
// Other hosts of the router: what routing's default route (62) sends to 64 from a router leg goes
// over the tunnel to the gateway host unchanged (eth_dst stays the leg MAC, TTL already decremented).
// The gateway host: such tunnel packets are classified straight to 64 (hook in 0); its own VMs reach
// 64 through routing. 64 looks the packet up in the router's NAT zone, 65 commits new connections
// with nat(src=gateway IP) when enable_snat is on, 66 gives the gateway port's MAC and the next hop,
// and the provider network's table 67 finds the neighbor. Replies to the gateway IP are looked up in
// the same zone (30), established ones come out translated back to the VM's address (31), and are
// routed inside to the leg's network (32) through next hop (63), which delivers locally or tunnels
// to the VM's host, where ingress security groups apply as for any routed packet. Floating IPs
// (stages/floatingIps.ts) sit above every flow here, so a VM with one never takes the SNAT path.
import type { Action, KnownOxm } from '../../../openflow/messages/types.ts';
import { routerCookie } from '../cookie.ts';
import {
  ETH_TYPE_IPV4, IPV4_BITS, applyActions, flow, gotoOnly, gotoTable, m, move, output, setField, writeMetadata, type DesiredFlow,
} from '../flow.ts';
import {
  TABLE_CLASSIFY, TABLE_EXT_DNAT, TABLE_EXT_EGRESS, TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR, TABLE_EXT_OUT, TABLE_EXT_SNAT, TABLE_EXT_TO_INSIDE,
  TABLE_NEXT_HOP,
} from '../tables.ts';
import { PRIORITY_CLASSIFY, networkMetadata } from './classification.ts';
import { REG_EXT_NEXT_HOP, buildExternalArpAnswer, ipv4Number, providerMetadata, type PhysicalSegment } from './external.ts';
import { REG_NEXT_HOP, cidrMatch } from './routing.ts';
import { CT_EST, CT_NEW, CT_REL, CT_TRK } from './securityGroups.ts';

/** Above the tunnel's classify flows (in_port + tun_id only), which send the network's packets to local delivery. */
export const PRIORITY_GATEWAY_HOOK = PRIORITY_CLASSIFY + 10;
/** Below floating IPs' flows (100/90 in 64-66, 31-32), which match one fixed or floating address. */
export const PRIORITY_SNAT = 50;
export const PRIORITY_SNAT_ON_LINK = 60;
/** The gateway address in 30: an exact destination, like a floating IP's. */
export const PRIORITY_GATEWAY_IN = 100;

/** One router interface on an overlay network. */
export interface GatewayLeg {
  vni: number;
  /** the interface port's MAC: routed packets carry it as eth_dst until 64 */
  mac: string;
  cidr: string;
}

/** SNAT of one router on its gateway host (enable_snat on, and the external side resolved). */
export interface SnatSpec {
  zone: number;
  /** the gateway port's IPv4 address on the external network (the SNAT source) and MAC */
  ip: string;
  mac: string;
  /** the external network on this host's physical port */
  segment: PhysicalSegment;
  /** the gateway address's subnet: on-link destinations and its gateway as the default next hop */
  externalCidr: string;
  externalGateway: string | null;
}

/** Everything the gateway host's flows need, resolved from the view. */
export interface GatewayHostSnat {
  routerId: string;
  legs: readonly GatewayLeg[];
  /** this host's tunnel port, when its switch reported it (packets from the other hosts come in there) */
  tunnelOfport: number | undefined;
  /** null: no SNAT here (enable_snat off, or the external side is not resolved); the tunnel hook still serves floating IPs */
  snat: SnatSpec | null;
}

const IP = m('eth_type', ETH_TYPE_IPV4);
const ctState = (set: number): KnownOxm => m('ct_state', set | CT_TRK, set | CT_TRK);
const ct = (zone: number, table: number, commit: boolean, nat: Action[]): Action =>
  ({ type: 'ct', commit, force: false, zone: { imm: zone }, recircTable: table, alg: 0, actions: nat });
const nat = (kind: 'src' | null, ip?: string): Action =>
  ({ type: 'nat', kind, persistent: false, hash: false, random: false, ...(ip === undefined ? {} : { ipv4Min: ip }) });

/** Tunnel packets to a router leg MAC go straight to 64 (routing was done on the sender's host). */
function hook(leg: GatewayLeg, tunnelOfport: number, c: bigint): DesiredFlow {
  return flow(TABLE_CLASSIFY, PRIORITY_GATEWAY_HOOK, [m('in_port', tunnelOfport), m('tunnel_id', BigInt(leg.vni)), m('eth_dst', leg.mac), IP],
    [writeMetadata(networkMetadata(leg.vni)), gotoTable(TABLE_EXT_EGRESS)], c);
}

/** Out: the zone lookup, SNAT of new connections, MAC and next hop on the physical network. */
function outbound(s: SnatSpec, leg: GatewayLeg, c: bigint): DesiredFlow[] {
  const vm = m('metadata', networkMetadata(leg.vni));
  const toExt = (dst: KnownOxm[], hop: Action, priority: number) => flow(TABLE_EXT_OUT, priority, [vm, IP, m('ipv4_src', s.ip), ...dst],
    [applyActions([setField('eth_src', s.mac), hop]), writeMetadata(providerMetadata(s.segment.networkId)), gotoTable(TABLE_EXT_NEIGHBOR)], c);
  const flows = [
    flow(TABLE_EXT_EGRESS, PRIORITY_SNAT, [vm, IP, m('eth_dst', leg.mac)], [applyActions([ct(s.zone, TABLE_EXT_SNAT, false, [nat(null)])])], c),
    flow(TABLE_EXT_SNAT, PRIORITY_SNAT, [vm, IP, m('eth_dst', leg.mac), ctState(CT_NEW)],
      [applyActions([ct(s.zone, TABLE_EXT_OUT, true, [nat('src', s.ip)])])], c),
    flow(TABLE_EXT_SNAT, PRIORITY_SNAT, [vm, IP, ctState(CT_EST), m('ipv4_src', s.ip)], gotoOnly(TABLE_EXT_OUT), c),
    flow(TABLE_EXT_SNAT, PRIORITY_SNAT, [vm, IP, ctState(CT_REL), m('ipv4_src', s.ip)], gotoOnly(TABLE_EXT_OUT), c),
  ];
  const onLink = cidrMatch(s.externalCidr);
  if (onLink) flows.push(toExt([onLink], move('ipv4_dst', REG_EXT_NEXT_HOP, IPV4_BITS), PRIORITY_SNAT_ON_LINK));
  if (s.externalGateway !== null) flows.push(toExt([], setField(REG_EXT_NEXT_HOP, ipv4Number(s.externalGateway)), PRIORITY_SNAT));
  return flows;
}

/** In: replies to the gateway address, translated back, routed to the leg's network by next hop. */
function inbound(s: SnatSpec, leg: GatewayLeg, c: bigint): DesiredFlow[] {
  const inside = cidrMatch(leg.cidr);
  if (!inside) return [];
  const toInside = [m('metadata', providerMetadata(s.segment.networkId)), IP, m('ct_zone', s.zone), inside];
  return [
    flow(TABLE_EXT_DNAT, PRIORITY_SNAT, [...toInside, ctState(CT_EST)], gotoOnly(TABLE_EXT_TO_INSIDE), c),
    flow(TABLE_EXT_DNAT, PRIORITY_SNAT, [...toInside, ctState(CT_REL)], gotoOnly(TABLE_EXT_TO_INSIDE), c),
    flow(TABLE_EXT_TO_INSIDE, PRIORITY_SNAT, toInside,
      [applyActions([{ type: 'dec_nw_ttl' }, setField('eth_src', leg.mac), move('ipv4_dst', REG_NEXT_HOP, IPV4_BITS)]),
        writeMetadata(networkMetadata(leg.vni)), gotoTable(TABLE_NEXT_HOP)], c),
  ];
}

/** The router's flows on its gateway host (next hops for its networks' ports come from the routing stage). */
export function buildGatewayHostFlows(g: GatewayHostSnat): DesiredFlow[] {
  const c = routerCookie('snat', g.routerId);
  const flows: DesiredFlow[] = [];
  const s = g.snat;
  if (s) {
    // the gateway address answers ARP and takes replies into the router's zone
    flows.push(buildExternalArpAnswer(s.segment, s.ip, s.mac, c),
      flow(TABLE_EXT_INGRESS, PRIORITY_GATEWAY_IN, [m('metadata', providerMetadata(s.segment.networkId)), IP, m('ipv4_dst', s.ip)],
        [applyActions([ct(s.zone, TABLE_EXT_DNAT, false, [nat(null)])])], c));
  }
  for (const leg of g.legs) {
    if (g.tunnelOfport !== undefined) flows.push(hook(leg, g.tunnelOfport, c));
    if (s) flows.push(...outbound(s, leg, c), ...inbound(s, leg, c));
  }
  return flows;
}

/** On another host of the router: its legs' way out goes over the tunnel to the gateway host, as it is. */
export function buildToGatewayFlows(routerId: string, legs: readonly GatewayLeg[], gatewayTunnelIp: string, tunnelOfport: number): DesiredFlow[] {
  const c = routerCookie('snat', routerId);
  return legs.map((leg) => flow(TABLE_EXT_EGRESS, PRIORITY_SNAT, [m('metadata', networkMetadata(leg.vni)), IP, m('eth_dst', leg.mac)],
    [applyActions([setField('tun_ipv4_dst', gatewayTunnelIp), setField('tunnel_id', BigInt(leg.vni)), output(tunnelOfport)])], c));
}
