// Stage "routing" (tables 30, 31, plus ARP and MAC hooks in 20 and 60): distributed east-west routing on the sending VM's host.
//
// Every host with a port in one of a router's networks holds the whole router: the router's gateway
// addresses are answered in ARP (table 20), IPv4 sent to a router MAC leaves L2 lookup for table 30,
// which picks the out interface by longest prefix (connected subnets and static routes), decrements
// the TTL, rewrites the source MAC to the out interface's and the network metadata to the out
// network, and puts the next hop in reg5. Table 31 maps the next hop to its port's MAC and sends the
// packet to local delivery (the port is here) or straight over the tunnel to the port's host, so a
// routed packet crosses the underlay at most once and never visits a third host.
import type { RouterView } from '../../topology/routers.ts';
import { parseCidr, parseIp } from '../../../src/domain/ip/address.ts';
import { routerCookie } from '../cookie.ts';
import {
  ARP_OP_REPLY, ARP_OP_REQUEST, ETH_TYPE_ARP, ETH_TYPE_IPV4, IPV4_BITS, MAC_BITS, OFPP_IN_PORT, applyActions, flow, gotoOnly, gotoTable, m, move, output, setField, writeMetadata, type DesiredFlow,
} from '../flow.ts';
import { TABLE_ARP_RESPONDER, TABLE_EXT_EGRESS, TABLE_L2_LOOKUP, TABLE_LOCAL_DELIVERY, TABLE_NEXT_HOP, TABLE_ROUTING } from '../tables.ts';
import { networkMetadata } from './classification.ts';
import type { KnownOxm } from '../../../openflow/messages/types.ts';

export const PRIORITY_ROUTER_ARP = 100;
/** Above L2 lookup's MAC flows (50): the router MAC is nobody's port on this host. */
export const PRIORITY_TO_ROUTER = 80;
/** Route priority = base + prefix length: longest prefix wins. */
export const PRIORITY_ROUTE_BASE = 100;
export const PRIORITY_NEXT_HOP = 100;
/** The register holding the next-hop address between tables 30 and 31. */
export const REG_NEXT_HOP = 'reg5' as const;

/** One router interface as the flows need it. */
export interface RouterLeg {
  vni: number;
  mac: string;
  /** the gateway address the interface port holds */
  ip: string;
  cidr: string;
}

/** A port a routed packet may be delivered to. */
export interface NextHopPort {
  vni: number;
  mac: string;
  ip: string;
  /** its OpenFlow port when it is on this host */
  localOfport?: number;
  /** its host's tunnel endpoint and this host's tunnel port when it is elsewhere */
  remote?: { tunnelIp: string; tunnelOfport: number };
}

const ipNumber = (ip: string): number => Number(parseIp(ip)?.value ?? 0n);

/** An IPv4 CIDR as an ipv4_dst match; undefined for IPv6 and for /0 (the default route has its own flow). */
export function cidrMatch(cidr: string): KnownOxm | undefined {
  const c = parseCidr(cidr);
  if (!c || c.version !== 4) return undefined;
  if (c.prefixLength === 0) return undefined;
  const mask = Number((((1n << 32n) - 1n) << BigInt(32 - c.prefixLength)) & ((1n << 32n) - 1n));
  const net = Number(c.network);
  const text = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
  return c.prefixLength === 32 ? m('ipv4_dst', text(net)) : m('ipv4_dst', text(net), text(mask));
}

const prefixOf = (cidr: string): number => parseCidr(cidr)?.prefixLength ?? 0;

/** ARP answers for the router's addresses and the hook from L2 lookup, on a host in the leg's network. */
export function buildRouterLegFlows(router: RouterView, leg: RouterLeg): DesiredFlow[] {
  const c = routerCookie('routing', router.id);
  const meta = m('metadata', networkMetadata(leg.vni));
  return [
    flow(TABLE_ARP_RESPONDER, PRIORITY_ROUTER_ARP, [meta, m('eth_type', ETH_TYPE_ARP), m('arp_op', ARP_OP_REQUEST), m('arp_tpa', leg.ip)],
      [applyActions([move('eth_src', 'eth_dst', MAC_BITS), setField('eth_src', leg.mac), setField('arp_op', ARP_OP_REPLY),
        move('arp_sha', 'arp_tha', MAC_BITS), move('arp_spa', 'arp_tpa', IPV4_BITS), setField('arp_sha', leg.mac), setField('arp_spa', leg.ip),
        output(OFPP_IN_PORT)])], c),
    flow(TABLE_L2_LOOKUP, PRIORITY_TO_ROUTER, [meta, m('eth_dst', leg.mac), m('eth_type', ETH_TYPE_IPV4)], gotoOnly(TABLE_ROUTING), c),
  ];
}

/** Routes from one leg (in) to the others (connected subnets) and by the router's static routes. */
export function buildRouteFlows(router: RouterView, from: RouterLeg, legs: readonly RouterLeg[]): DesiredFlow[] {
  const c = routerCookie('routing', router.id);
  const meta = m('metadata', networkMetadata(from.vni));
  const flows: DesiredFlow[] = [];
  const via = (out: RouterLeg, dst: KnownOxm, prefix: number, nextHop: 'dst' | string) => flow(TABLE_ROUTING, PRIORITY_ROUTE_BASE + prefix,
    [meta, m('eth_type', ETH_TYPE_IPV4), dst],
    [applyActions([{ type: 'dec_nw_ttl' }, setField('eth_src', out.mac),
      nextHop === 'dst' ? move('ipv4_dst', REG_NEXT_HOP, IPV4_BITS) : setField(REG_NEXT_HOP, ipNumber(nextHop))]),
    writeMetadata(networkMetadata(out.vni)), gotoTable(TABLE_NEXT_HOP)], c);
  for (const out of legs) {
    if (out.vni === from.vni && out.cidr === from.cidr) continue;
    const dst = cidrMatch(out.cidr);
    if (dst) flows.push(via(out, dst, prefixOf(out.cidr), 'dst'));
  }
  for (const r of router.routes) {
    const out = legs.find((l) => { const cc = parseCidr(l.cidr); const hop = parseIp(r.nexthop);
      return cc && hop && cc.version === 4 && hop.version === 4 && (hop.value >> BigInt(32 - cc.prefixLength)) === (cc.network >> BigInt(32 - cc.prefixLength)); });
    const dst = cidrMatch(r.destination);
    if (out && dst) flows.push(via(out, dst, prefixOf(r.destination), r.nexthop));
  }
  return flows;
}

/** The next hop's MAC and where it lives. */
export function buildNextHopFlows(router: RouterView, p: NextHopPort): DesiredFlow[] {
  const match = [m('metadata', networkMetadata(p.vni)), m('eth_type', ETH_TYPE_IPV4), m(REG_NEXT_HOP, ipNumber(p.ip))];
  const c = routerCookie('routing', router.id);
  if (p.localOfport !== undefined) {
    return [flow(TABLE_NEXT_HOP, PRIORITY_NEXT_HOP, match, [applyActions([setField('eth_dst', p.mac)]), gotoTable(TABLE_LOCAL_DELIVERY)], c)];
  }
  if (p.remote) {
    return [flow(TABLE_NEXT_HOP, PRIORITY_NEXT_HOP, match, [applyActions([setField('eth_dst', p.mac), setField('tun_ipv4_dst', p.remote.tunnelIp),
      setField('tunnel_id', BigInt(p.vni)), output(p.remote.tunnelOfport)])], c)];
  }
  return [];
}

/**
 * A router with an external gateway: whatever no route of the leg matched leaves through the gateway
 * (issue 5): TTL-1 here, the source network stays in metadata, and table 64 decides where the NAT is.
 * Priority = base + 0, below every route with a prefix.
 */
export function buildDefaultRouteFlows(router: RouterView, from: RouterLeg): DesiredFlow[] {
  return [flow(TABLE_ROUTING, PRIORITY_ROUTE_BASE, [m('metadata', networkMetadata(from.vni)), m('eth_type', ETH_TYPE_IPV4)],
    [applyActions([{ type: 'dec_nw_ttl' }]), gotoTable(TABLE_EXT_EGRESS)], routerCookie('routing', router.id))];
}
