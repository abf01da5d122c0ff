// The flow unit 'q:<port>': one VM port's next hops (table 63) wherever its network's routers route to it.
//
// A routed VM port needs a next-hop flow on every host of each router of its network (DVR: the
// sending host delivers) and on the router's gateway host (replies and centralized floating IPs come
// in there). Held per port, not in the router unit, so a VM event recomputes its own next hops on
// those hosts (O(hosts)) instead of the whole router (O(hosts x router size)). Router-level changes
// (interfaces, admin state, gateway and its host, a network's set of hosts, tunnel ports) touch every
// next-hop unit of the router: `routerWideUnits`. Flows keep the router's cookie (explain names the
// router; the match names the port's address).
import { buildNextHopFlows, type NextHopPort } from '../pipeline/stages/routing.ts';
import type { DesiredFlow } from '../pipeline/flow.ts';
import { routerGatewayOf } from '../topology/gateways.ts';
import { hostInNetwork, ofportOfPort, tunnelIpOf, tunnelOfport } from '../topology/queries.ts';
import { networksOfRouter, routerCandidatesOnHost, routersOf, routersOnNetwork, type RouterView } from '../topology/routers.ts';
import type { PortView, TopologyView } from '../topology/view.ts';
import { gatewayUnit, scheduledHost } from './gatewayUnit.ts';
import { routerUnit } from './routerUnit.ts';

export const nextHopUnit = (portId: string): string => `q:${portId}`;
/** Ports the L3 service owns (router interfaces, gateways, floating IPs, DHCP) are never next hops. */
const SERVICE_OWNER_PREFIX = 'network:';

/** A port that can be a next hop: bound to a registered host, up, not a service port. */
function routablePort(view: TopologyView, portId: string): PortView | undefined {
  const p = view.ports.get(portId);
  if (!p || p.hostId === '' || !view.hosts.has(p.hostId) || !p.adminStateUp || p.deviceOwner.startsWith(SERVICE_OWNER_PREFIX)) return undefined;
  return p;
}

/** Routers with an interface on a subnet of the network, by id (within a unit the first flow of a key wins); through the router index. */
function routersOfNetwork(view: TopologyView, networkId: string): RouterView[] {
  const routers = routersOf(view);
  const out: RouterView[] = [];
  for (const rid of routersOnNetwork(view, networkId)) {
    const r = routers.get(rid);
    if (r) out.push(r);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}


/** Whether a router holds next hops on `host`: its hosts (a port in one of its networks) and its scheduled gateway host; asked per unit and host, so lookups only. */
function routerHoldsNextHopsOn(view: TopologyView, r: RouterView, host: string): boolean {
  if (!r.adminStateUp || !view.hosts.has(host)) return false;
  if (r.interfaces.some((i) => { const s = view.subnets.get(i.subnetId); return s !== undefined && hostInNetwork(view, s.networkId, host); })) return true;
  return routerGatewayOf(view, r.id) !== undefined && scheduledHost(view, r.id) === host;
}

/** The hosts where a port's next-hop unit may have flows. */
export function hostsOfNextHopUnit(view: TopologyView, portId: string): string[] {
  const p = routablePort(view, portId);
  if (!p) return [];
  // asked once per unit and recompute: the hosts of the routers' networks straight from the index, sorted once
  const hosts = new Set<string>();
  for (const r of routersOfNetwork(view, p.networkId)) {
    if (!r.adminStateUp) continue;
    for (const nid of networksOfRouter(view, r)) for (const h of view.networkHosts.get(nid)?.keys() ?? []) if (view.hosts.has(h)) hosts.add(h);
    const gw = routerGatewayOf(view, r.id) ? scheduledHost(view, r.id) : undefined;
    if (gw !== undefined) hosts.add(gw);
  }
  return [...hosts].sort();
}

/** The port's next hops on `host`, one per router of its network and address on one of the router's subnets. */
export function nextHopUnitFlows(view: TopologyView, portId: string, host: string): DesiredFlow[] {
  const p = routablePort(view, portId);
  const vni = p ? view.networks.get(p.networkId)?.vni : undefined;
  if (!p || vni == null) return [];
  const flows: DesiredFlow[] = [];
  for (const r of routersOfNetwork(view, p.networkId)) {
    if (!routerHoldsNextHopsOn(view, r, host)) continue;
    const subnets = new Set(r.interfaces.map((i) => i.subnetId));
    for (const f of p.fixedIps) {
      if (!subnets.has(f.subnetId)) continue;
      const hop = nextHopOn(view, p, vni, f.ipAddress, host);
      if (hop) flows.push(...buildNextHopFlows(r, hop));
    }
  }
  return flows;
}

/** Local delivery when the port is on `host`, else straight over the tunnel to its host. */
function nextHopOn(view: TopologyView, p: PortView, vni: number, ip: string, host: string): NextHopPort | undefined {
  if (p.hostId === host) {
    const ofport = ofportOfPort(view, p);
    return ofport === undefined ? undefined : { vni, mac: p.macAddress, ip, localOfport: ofport };
  }
  const tunnelIp = tunnelIpOf(view, p.hostId);
  const tunnel = tunnelOfport(view, host);
  return tunnelIp === undefined || tunnel === undefined ? undefined : { vni, mac: p.macAddress, ip, remote: { tunnelIp, tunnelOfport: tunnel } };
}

/** The next-hop units that may have flows on a host: every port of the networks of the routers holding next hops there. */
export function nextHopUnitsOfHost(view: TopologyView, host: string): string[] {
  const out = new Set<string>();
  const routers = routersOf(view);
  for (const rid of routerCandidatesOnHost(view, host)) {
    const r = routers.get(rid);
    if (!r || !routerHoldsNextHopsOn(view, r, host)) continue;
    for (const nid of networksOfRouter(view, r)) for (const pid of view.portsByNetwork.get(nid) ?? []) out.add(nextHopUnit(pid));
  }
  return [...out];
}

/** Everything a router-level change may alter: the router unit, its gateway unit, and the next hops of every port of its networks. */
export function routerWideUnits(view: TopologyView, routerId: string): string[] {
  const units = [routerUnit(routerId), gatewayUnit(routerId)];
  const r = routersOf(view).get(routerId);
  if (!r) return units;
  for (const nid of networksOfRouter(view, r)) for (const pid of view.portsByNetwork.get(nid) ?? []) units.push(nextHopUnit(pid));
  return units;
}
