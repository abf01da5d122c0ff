// The flows of one router unit ('r:<router>') on one switch: its legs, routes and next hops, where the router's networks are.
import { buildDefaultRouteFlows, buildNextHopFlows, buildRouteFlows, buildRouterLegFlows, type NextHopPort, type RouterLeg } from '../pipeline/stages/routing.ts';
import type { DesiredFlow } from '../pipeline/flow.ts';
import { hostInNetwork, hostsOfNetwork, ofportOfPort, tunnelIpOf, tunnelOfport } from '../topology/queries.ts';
import { routerGatewayOf } from '../topology/gateways.ts';
import { networksOfRouter, routersOf, type RouterView } from '../topology/routers.ts';
import type { TopologyView } from '../topology/view.ts';

export const routerUnit = (routerId: string): string => `r:${routerId}`;
/** Ports the L3 service owns (router interfaces, gateways, floating IPs, DHCP) are never next hops. */
const SERVICE_OWNER_PREFIX = 'network:';

/** The router's IPv4 legs: interface port MAC and address on a subnet of an overlay network. */
function legsOf(view: TopologyView, r: RouterView): RouterLeg[] {
  const legs: RouterLeg[] = [];
  for (const i of r.interfaces) {
    const subnet = view.subnets.get(i.subnetId);
    const port = view.ports.get(i.portId);
    const vni = subnet ? view.networks.get(subnet.networkId)?.vni : undefined;
    if (!subnet || !port || vni == null || subnet.ipVersion !== 4) continue;
    const ip = port.fixedIps.find((f) => f.subnetId === i.subnetId)?.ipAddress ?? subnet.gatewayIp;
    if (!ip) continue;
    legs.push({ vni, mac: port.macAddress, ip, cidr: subnet.cidr });
  }
  return legs;
}

/** VM ports of the router's subnets as seen from `host`. */
export function nextHopsOf(view: TopologyView, r: RouterView, host: string): NextHopPort[] {
  const out: NextHopPort[] = [];
  const subnets = new Set(r.interfaces.map((i) => i.subnetId));
  for (const nid of networksOfRouter(view, r)) {
    const vni = view.networks.get(nid)?.vni;
    if (vni == null) continue;
    for (const pid of [...(view.portsByNetwork.get(nid) ?? [])].sort()) {
      const p = view.ports.get(pid);
      if (!p || p.hostId === '' || !view.hosts.has(p.hostId) || !p.adminStateUp || p.deviceOwner.startsWith(SERVICE_OWNER_PREFIX)) continue;
      for (const f of p.fixedIps) {
        if (!subnets.has(f.subnetId)) continue;
        if (p.hostId === host) {
          const ofport = ofportOfPort(view, p);
          if (ofport !== undefined) out.push({ vni, mac: p.macAddress, ip: f.ipAddress, localOfport: ofport });
        } else {
          const tunnelIp = tunnelIpOf(view, p.hostId);
          const tunnel = tunnelOfport(view, host);
          if (tunnelIp !== undefined && tunnel !== undefined) out.push({ vni, mac: p.macAddress, ip: f.ipAddress, remote: { tunnelIp, tunnelOfport: tunnel } });
        }
      }
    }
  }
  return out;
}

/** Hosts that hold the router: those with ports in any of its networks. */
export function hostsOfRouter(view: TopologyView, routerId: string): string[] {
  const r = routersOf(view).get(routerId);
  if (!r) return [];
  return [...new Set(networksOfRouter(view, r).flatMap((n) => hostsOfNetwork(view, n)))].sort();
}

export function routerFlows(view: TopologyView, routerId: string, host: string): DesiredFlow[] {
  const r = routersOf(view).get(routerId);
  if (!r || !r.adminStateUp || !hostsOfRouter(view, routerId).includes(host)) return [];
  const legs = legsOf(view, r);
  const flows: DesiredFlow[] = [];
  for (const leg of legs) {
    const net = view.subnets.get(r.interfaces.find((i) => view.ports.get(i.portId)?.macAddress === leg.mac)?.subnetId ?? '')?.networkId;
    if (net === undefined || !hostInNetwork(view, net, host)) continue;
    flows.push(...buildRouterLegFlows(r, leg), ...buildRouteFlows(r, leg, legs));
    // a gateway: the rest leaves by table 64 (floating IPs here, SNAT or the tunnel to the gateway host)
    if (routerGatewayOf(view, r.id)) flows.push(...buildDefaultRouteFlows(r, leg));
  }
  for (const p of nextHopsOf(view, r, host)) flows.push(...buildNextHopFlows(r, p));
  return flows;
}

/** Routers present on a host (with a port in one of their networks). */
export function routerUnitsOfHost(view: TopologyView, host: string, networksHere: readonly string[]): string[] {
  const here = new Set(networksHere);
  const out: string[] = [];
  for (const r of routersOf(view).values()) if (networksOfRouter(view, r).some((n) => here.has(n))) out.push(routerUnit(r.id));
  return out;
}
