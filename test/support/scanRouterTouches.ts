// The router touches as they were before the router index (copied from 51bdffd): a pass over every router's
// interfaces per event, and every gateway and floating IP unit for host events. The reference that
// test/projections/routerIndex.unit.test.ts and bench/routerTouches.bench.ts compare the indexed code with.
import { externalTouches, floatingIpUnit } from '../../projections/flows/externalUnits.ts';
import { gatewayTouches, gatewayUnit } from '../../projections/flows/gatewayUnit.ts';
import { externalOf } from '../../projections/topology/external.ts';
import { gatewaysOf } from '../../projections/topology/gateways.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { tunnelInterfaceOf } from '../../projections/topology/queries.ts';
import { routersOf } from '../../projections/topology/routers.ts';
import type { TopologyView } from '../../projections/topology/view.ts';

/** Routers with an interface on one of these networks, or on this subnet: every router's interfaces read. */
export function scanRoutersTouching(view: TopologyView, networks: ReadonlySet<string>, subnetId?: string): string[] {
  if (networks.size === 0 && subnetId === undefined) return [];
  const out: string[] = [];
  for (const r of routersOf(view).values()) {
    if (r.interfaces.some((i) => i.subnetId === subnetId || networks.has(view.subnets.get(i.subnetId)?.networkId ?? ''))) out.push(r.id);
  }
  return out;
}

/** The routers an event changes router-wide, as routerTouches did with scans. */
export function scanRouterTouches(view: TopologyView, ev: TopologyEvent, networks: ReadonlySet<string>): string[] {
  switch (ev.type) {
    case 'RouterCreated': case 'RouterUpdated': case 'RouterInterfaceAdded': case 'RouterInterfaceRemoved': case 'RouterDeleted':
      return [ev.data.id, ...scanRoutersTouching(view, networks)];
    case 'SubnetCreated': case 'SubnetUpdated': case 'SubnetDeleted':
      return scanRoutersTouching(view, networks, ev.data.id);
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost': {
      const id = ev.data.id;
      return [...routersOf(view).values()].filter((r) => r.interfaces.some((i) => i.portId === id)).map((r) => r.id);
    }
    case 'SwitchPortObserved': case 'SwitchPortRemoved':
      return ev.data.name === tunnelInterfaceOf(view, ev.data.host) ? scanRoutersTouching(view, networks) : [];
    default:
      return scanRoutersTouching(view, networks);
  }
}

/** Routers with an interface on a subnet of the network, sorted by id (nextHopUnit's lookup per unit and host). */
export function scanRoutersOfNetwork(view: TopologyView, networkId: string): string[] {
  const out: string[] = [];
  for (const r of routersOf(view).values()) {
    if (r.interfaces.some((i) => view.subnets.get(i.subnetId)?.networkId === networkId)) out.push(r.id);
  }
  return out.sort();
}

const allGatewayUnits = (view: TopologyView): string[] => [...gatewaysOf(view).gateways.keys()].map(gatewayUnit);

/** Gateway units as gatewayTouches named them: every one for host events and for tunnel or mapped switch ports. */
export function scanGatewayTouches(view: TopologyView, ev: TopologyEvent): string[] {
  switch (ev.type) {
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      return allGatewayUnits(view);
    case 'SwitchPortObserved': case 'SwitchPortRemoved': {
      const { host, name } = ev.data;
      const mapped = Object.values(view.hosts.get(host)?.bridgeMappings ?? {}).includes(name);
      return mapped || name === tunnelInterfaceOf(view, host) ? allGatewayUnits(view) : [];
    }
    default:
      return gatewayTouches(view, ev);
  }
}

/** Every provider network's unit and its neighbors' units. */
function allProviders(view: TopologyView): string[] {
  const x = externalOf(view);
  return [...(view.networkIndex?.providers ?? [])].flatMap((id) => [`x:${id}`, ...[...(x.neighbors.get(id)?.keys() ?? [])].map((ip) => `e:${id}|${ip}`)]);
}

/** External units (floating IP, provider, neighbor) as externalTouches named them: every one for host events and mapped switch ports. */
export function scanExternalTouches(view: TopologyView, ev: TopologyEvent): string[] {
  const all = [...allProviders(view), ...[...externalOf(view).floatingIps.keys()].map(floatingIpUnit)];
  const fips = externalTouches(view, ev);
  switch (ev.type) {
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      return all;
    case 'SwitchPortObserved': case 'SwitchPortRemoved':
      return Object.values(view.hosts.get(ev.data.host)?.bridgeMappings ?? {}).includes(ev.data.name) ? all : fips;
    default:
      return fips;
  }
}
