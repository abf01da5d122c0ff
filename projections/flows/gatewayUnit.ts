// The flow unit 'g:<router>': a router's centralized way out (SNAT, centralized floating IPs) on its gateway host, and the tunnel to it from its other hosts.
//
// Lives on every host of the router (a port in one of its networks) plus the gateway host, which
// comes only from RouterGatewayHostScheduled (projections/topology/gateways.ts): a rescheduled
// gateway moves every flow here with one event.
import { buildGatewayHostFlows, buildToGatewayFlows, type GatewayLeg, type SnatSpec } from '../pipeline/stages/snat.ts';
import type { DesiredFlow } from '../pipeline/flow.ts';
import { natZoneOf } from '../topology/external.ts';
import { gatewayHostOf, gatewaysOf, gatewaysOnHost, routerGatewayOf, type RouterGatewayView } from '../topology/gateways.ts';
import type { TopologyEvent } from '../topology/inputs.ts';
import { hostInNetwork, networksOnHost, tunnelInterfaceOf, tunnelIpOf, tunnelOfport } from '../topology/queries.ts';
import { routerCandidatesOnHost, routersOf, routersTouching, type RouterView } from '../topology/routers.ts';
import type { TopologyView } from '../topology/view.ts';
import { physicalSegmentOf } from './externalUnits.ts';
import { hostsOfRouter } from './routerUnit.ts';

export const gatewayUnit = (routerId: string): string => `g:${routerId}`;

/** The router's IPv4 legs on overlay networks, with the network each is on. */
function legsOf(view: TopologyView, r: RouterView): (GatewayLeg & { networkId: string })[] {
  const legs: (GatewayLeg & { networkId: string })[] = [];
  for (const i of r.interfaces) {
    const subnet = view.subnets.get(i.subnetId);
    const port = view.ports.get(i.portId);
    const vni = subnet ? view.networks.get(subnet.networkId)?.vni : undefined;
    if (!subnet || !port || vni == null || subnet.ipVersion !== 4) continue;
    legs.push({ vni, mac: port.macAddress, cidr: subnet.cidr, networkId: subnet.networkId });
  }
  return legs;
}

/** SNAT on `host` when enable_snat is on and the gateway's address, MAC, zone, subnet and physical port are all known. */
export function snatSpecOf(view: TopologyView, g: RouterGatewayView, host: string): SnatSpec | null {
  if (!g.enableSnat) return null;
  const fixed = g.externalFixedIps.find((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f.ipAddress));
  const subnet = fixed ? view.subnets.get(fixed.subnetId) : undefined;
  const mac = view.ports.get(g.portId)?.macAddress;
  const zone = natZoneOf(view, g.routerId);
  const segment = physicalSegmentOf(view, host, g.networkId);
  if (!fixed || !subnet || subnet.networkId !== g.networkId || !mac || zone === undefined || !segment) return null;
  return { zone, ip: fixed.ipAddress, mac, segment, externalCidr: subnet.cidr, externalGateway: subnet.gatewayIp };
}

/** The registered gateway host of a router with a gateway, or undefined. */
export function scheduledHost(view: TopologyView, routerId: string): string | undefined {
  const h = gatewayHostOf(view, routerId);
  return h !== undefined && view.hosts.has(h) ? h : undefined;
}

/** Hosts where the unit may have flows: the router's hosts and its gateway host. */
export function hostsOfGatewayUnit(view: TopologyView, routerId: string): string[] {
  const gw = scheduledHost(view, routerId);
  if (gw === undefined || !routerGatewayOf(view, routerId)) return [];
  return [...new Set([...hostsOfRouter(view, routerId), gw])].sort();
}

export function gatewayUnitFlows(view: TopologyView, routerId: string, host: string): DesiredFlow[] {
  const r = routersOf(view).get(routerId);
  const g = routerGatewayOf(view, routerId);
  const gw = scheduledHost(view, routerId);
  if (!r || !r.adminStateUp || !g || gw === undefined || !hostsOfGatewayUnit(view, routerId).includes(host)) return [];
  const legs = legsOf(view, r);
  if (host === gw) {
    // replies and centralized floating IPs are then routed inside by next hop: those live in each port's unit 'q:<port>' (nextHopUnit.ts)
    return buildGatewayHostFlows({ routerId, legs, tunnelOfport: tunnelOfport(view, host), snat: snatSpecOf(view, g, host) });
  }
  const gwTunnelIp = tunnelIpOf(view, gw);
  const tunnel = tunnelOfport(view, host);
  if (gwTunnelIp === undefined || tunnel === undefined) return [];
  return buildToGatewayFlows(routerId, legs.filter((l) => hostInNetwork(view, l.networkId, host)), gwTunnelIp, tunnel);
}

/** Gateway units on a host: routers there with a scheduled gateway, and the routers whose gateway host it is. */
export function gatewayUnitsOfHost(view: TopologyView, host: string): string[] {
  const out: string[] = [];
  for (const rid of routerCandidatesOnHost(view, host)) if (hostsOfGatewayUnit(view, rid).includes(host)) out.push(gatewayUnit(rid));
  return out;
}

/** Gateway units of the routers with a gateway on this external network (index, not a pass over every gateway). */
const unitsOnExternalNetwork = (view: TopologyView, networkId: string | undefined): string[] =>
  networkId === undefined ? [] : [...gatewaysOf(view).routersByExternalNetwork.get(networkId) ?? []].map(gatewayUnit);

/** Gateway units of routers with a gateway whose legs are on this network or subnet (their legs and hosts read it). */
function unitsOfInterfaces(view: TopologyView, networks: ReadonlySet<string>, subnetId?: string): string[] {
  const gateways = gatewaysOf(view).gateways;
  return routersTouching(view, networks, subnetId).filter((rid) => gateways.has(rid)).map(gatewayUnit);
}

/**
 * Gateway units a host (its registration, tunnel address and port name, bridge mappings) or its tunnel
 * port may change: routers whose gateway is scheduled there (SNAT's physical port, the tunnel address
 * the other hosts send to, whether the gateway host is registered) and routers with legs on the
 * networks with ports there (the host joins or leaves the router; its tunnel port to the gateway).
 * A gateway elsewhere, on networks not on the host, reads nothing of it.
 */
function unitsOfHostEvent(view: TopologyView, host: string): string[] {
  const units = new Set(gatewaysOnHost(view, host).map(gatewayUnit));
  for (const u of unitsOfInterfaces(view, new Set(networksOnHost(view, host)))) units.add(u);
  return [...units];
}

/**
 * Gateway units an event may change beyond the routers routing already names (the caller adds
 * gatewayUnit(r) for each of those): the router's own gateway events, the gateway port, networks and
 * subnets the unit reads (its external network and subnets, its legs' networks and subnets), and
 * the host's gateways and legs for host, tunnel and physical port events.
 * A network or subnet elsewhere in the cloud names none: it was every gateway unit, each rebuilt
 * router-wide (~1.3 s per tenant network created beside a router with 1000 VMs, bench/externalTouches.bench.ts).
 * A host event named every gateway unit too.
 */
export function gatewayTouches(view: TopologyView, ev: TopologyEvent): string[] {
  switch (ev.type) {
    case 'RouterGatewaySet': case 'RouterGatewayCleared': case 'RouterGatewayHostScheduled':
      return [gatewayUnit(ev.data.id)];
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      return unitsOfHostEvent(view, ev.data.name);
    case 'NetworkCreated': case 'NetworkDeleted': case 'NetworkUpdated':
      // the external network: segment and physical network (SNAT's port and VLAN); a leg's network: its VNI and hosts
      return [...unitsOnExternalNetwork(view, ev.data.id), ...unitsOfInterfaces(view, new Set([ev.data.id]))];
    case 'SubnetCreated': case 'SubnetUpdated': case 'SubnetDeleted': {
      // an external subnet: the SNAT address's CIDR and next hop; a leg's subnet: its CIDR and VNI
      // the subnet's network in the view and in the event (a subnet id created again elsewhere moves it)
      const inView = view.subnets.get(ev.data.id)?.networkId;
      const named = ev.type === 'SubnetUpdated' ? undefined : ev.data.networkId;
      return [...new Set([...unitsOnExternalNetwork(view, inView), ...unitsOnExternalNetwork(view, named),
        ...unitsOfInterfaces(view, new Set(), ev.data.id)])];
    }
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted':
      // the gateway port's MAC is SNAT's source MAC
      return [...gatewaysOf(view).routersByGatewayPort.get(ev.data.id) ?? []].map(gatewayUnit);
    case 'SwitchPortObserved': case 'SwitchPortRemoved': {
      const { host, name } = ev.data;
      // the tunnel port: the way to the gateway host from here, and in from the other hosts there
      if (name === tunnelInterfaceOf(view, host)) return unitsOfHostEvent(view, host);
      // a mapped physical port: SNAT's way out, read only on the gateway host
      const mapped = Object.values(view.hosts.get(host)?.bridgeMappings ?? {}).includes(name);
      return mapped ? gatewaysOnHost(view, host).map(gatewayUnit) : [];
    }
    default:
      return [];
  }
}
