// The flows of one router unit ('r:<router>') on one switch: its legs and routes, where the router's networks are (next hops: nextHopUnit.ts).
import { buildDefaultRouteFlows, buildRouteFlows, buildRouterLegFlows, type RouterLeg } from '../pipeline/stages/routing.ts';
import type { DesiredFlow } from '../pipeline/flow.ts';
import { hostInNetwork, hostsOfNetwork } from '../topology/queries.ts';
import { routerGatewayOf } from '../topology/gateways.ts';
import { networksOfRouter, routersOf, routersOnNetwork, type RouterView } from '../topology/routers.ts';
import type { TopologyView } from '../topology/view.ts';

export const routerUnit = (routerId: string): string => `r:${routerId}`;

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
  // one next hop per routed VM port: in the port's own unit 'q:<port>' (nextHopUnit.ts), so a VM event does not rebuild the router
  return flows;
}

/** Routers present on a host (with a port in one of their networks). */
export function routerUnitsOfHost(view: TopologyView, host: string, networksHere: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of networksHere) routersOnNetwork(view, n, out);
  return [...out].filter((rid) => routersOf(view).has(rid)).map(routerUnit);
}
