// Routers in the topology view: their interfaces (port + subnet) and static routes, and which routers touch a network (indexed).
import type { RouterInterfaceInput, TopologyEvent } from './inputs.ts';
import { subnetsOfNetwork } from './networkIndex.ts';
import { gatewaysOnHost } from './gateways.ts';
import { networksOnHost, tunnelInterfaceOf } from './queries.ts';
import type { TopologyView } from './view.ts';
import { addTo, removeFrom } from './setMap.ts';

export interface RouterView {
  id: string;
  adminStateUp: boolean;
  routes: readonly { destination: string; nexthop: string }[];
  /** in the order added */
  interfaces: readonly { portId: string; subnetId: string }[];
}

/**
 * Routers by what their interfaces name, folded with them: an event names its subnet, network or port,
 * and finds the routers on it without a pass over every router's interfaces (500 routers: one port
 * event read ~1000 interfaces several times). A network's routers are those of its subnets (the
 * network index's subnetsByNetwork), so a subnet created again on another network moves them with it.
 */
export interface RouterIndex {
  /** subnet id -> routers with an interface on it */
  bySubnet: Map<string, Set<string>>;
  /** port id -> routers with an interface through it */
  byPort: Map<string, Set<string>>;
}

/** The view's routers for folding: created on first use when a view was built without them. */
export function routersFor(view: TopologyView): Map<string, RouterView> {
  return (view.routers ??= new Map());
}

/** The view's router index; built once from the routers when a view was made without it. */
export function routerIndexFor(view: TopologyView): RouterIndex {
  if (view.routerIndex) return view.routerIndex;
  const x: RouterIndex = { bySubnet: new Map(), byPort: new Map() };
  for (const r of routersOf(view).values()) reindexRouter(x, undefined, r);
  return (view.routerIndex = x);
}

/** A router's interfaces changed (old -> next, either absent): every old key out, every new key in (O(its interfaces)). */
function reindexRouter(x: RouterIndex, old: RouterView | undefined, next: RouterView | undefined): void {
  if (old) for (const i of old.interfaces) { removeFrom(x.bySubnet, i.subnetId, old.id); removeFrom(x.byPort, i.portId, old.id); }
  if (next) for (const i of next.interfaces) { addTo(x.bySubnet, i.subnetId, next.id); addTo(x.byPort, i.portId, next.id); }
}

const NO_ROUTERS: ReadonlyMap<string, RouterView> = new Map();

export function routersOf(view: TopologyView): ReadonlyMap<string, RouterView> {
  return view.routers ?? NO_ROUTERS;
}

function withInterfaces(r: RouterView, f: (xs: RouterView['interfaces']) => RouterView['interfaces']): RouterView {
  return { ...r, interfaces: f(r.interfaces) };
}

const sameInterface = (a: { portId: string; subnetId: string }, b: RouterInterfaceInput) => a.portId === b.portId && a.subnetId === b.subnetId;

/** Folds the router events into the view's routers and router index (others are ignored). */
export function applyRouterEvent(view: TopologyView, ev: TopologyEvent): void {
  const routers = routersFor(view);
  const x = routerIndexFor(view);
  const id = (ev.data as { id?: unknown }).id;
  const old = typeof id === 'string' ? routers.get(id) : undefined;
  foldRouter(routers, ev);
  const next = typeof id === 'string' ? routers.get(id) : undefined;
  if (old !== next && (old?.interfaces !== next?.interfaces)) reindexRouter(x, old, next);
}

function foldRouter(routers: Map<string, RouterView>, ev: TopologyEvent): void {
  switch (ev.type) {
    case 'RouterCreated':
      routers.set(ev.data.id, { id: ev.data.id, adminStateUp: ev.data.adminStateUp, routes: ev.data.routes, interfaces: [] });
      return;
    case 'RouterUpdated': {
      const r = routers.get(ev.data.id);
      const c = ev.data.changes;
      if (r) routers.set(r.id, { ...r, adminStateUp: c.adminStateUp ?? r.adminStateUp, routes: c.routes ?? r.routes });
      return;
    }
    case 'RouterInterfaceAdded': {
      const r = routers.get(ev.data.id);
      const d = ev.data;
      if (r && !r.interfaces.some((i) => sameInterface(i, d))) routers.set(r.id, withInterfaces(r, (xs) => [...xs, { portId: d.portId, subnetId: d.subnetId }]));
      return;
    }
    case 'RouterInterfaceRemoved': {
      const r = routers.get(ev.data.id);
      const d = ev.data;
      if (r) routers.set(r.id, withInterfaces(r, (xs) => xs.filter((i) => !sameInterface(i, d))));
      return;
    }
    case 'RouterDeleted':
      routers.delete(ev.data.id);
      return;
    default:
      return;
  }
}

/** The networks a router's interfaces are on (through their subnets), sorted. */
export function networksOfRouter(view: TopologyView, r: RouterView): string[] {
  const out = new Set<string>();
  for (const i of r.interfaces) {
    const s = view.subnets.get(i.subnetId);
    if (s) out.add(s.networkId);
  }
  return [...out].sort();
}

/** Routers with an interface on a subnet of the network (index; no pass over the routers). */
export function routersOnNetwork(view: TopologyView, networkId: string, out: Set<string> = new Set()): Set<string> {
  const bySubnet = routerIndexFor(view).bySubnet;
  if (bySubnet.size === 0) return out;
  for (const s of subnetsOfNetwork(view, networkId)) for (const rid of bySubnet.get(s.id) ?? []) out.add(rid);
  return out;
}

/** Routers that may be present on a host: on a network with ports there, or with their gateway scheduled there. */
export function routerCandidatesOnHost(view: TopologyView, host: string): Set<string> {
  const out = new Set(gatewaysOnHost(view, host));
  for (const nid of networksOnHost(view, host)) routersOnNetwork(view, nid, out);
  return out;
}

/** Routers with an interface through this port. */
export function routersWithPort(view: TopologyView, portId: string): ReadonlySet<string> {
  return routerIndexFor(view).byPort.get(portId) ?? NO_IDS;
}

const NO_IDS: ReadonlySet<string> = new Set();

/** Routers with an interface on one of these networks, or on this subnet (through the router index). */
export function routersTouching(view: TopologyView, networks: ReadonlySet<string>, subnetId?: string): string[] {
  // most events (port status, floating IPs, neighbors, security groups) name no network
  if (networks.size === 0 && subnetId === undefined) return [];
  const out = new Set<string>(subnetId === undefined ? [] : routerIndexFor(view).bySubnet.get(subnetId) ?? []);
  for (const n of networks) routersOnNetwork(view, n, out);
  return [...out];
}

/**
 * Routers an event changes router-wide (legs, routes, gateway, every next hop): the router itself, routers on a
 * changed subnet, or on the networks the event names (hosts, tunnel ports, networks). Not plain VM port events.
 */
export function routerTouches(view: TopologyView, ev: TopologyEvent, networks: ReadonlySet<string>): string[] {
  switch (ev.type) {
    case 'RouterCreated': case 'RouterUpdated': case 'RouterInterfaceAdded': case 'RouterInterfaceRemoved': case 'RouterDeleted':
      return [ev.data.id, ...routersTouching(view, networks)];
    case 'SubnetCreated': case 'SubnetUpdated': case 'SubnetDeleted':
      return routersTouching(view, networks, ev.data.id);
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost': {
      // an interface port's MAC and address are the router's, whatever network the port says it is in
      const id = ev.data.id;
      // a VM port's next hops are its own unit ('q:<port>'); a network gaining or losing a host is router-wide (the projection checks)
      return [...routersWithPort(view, id)];
    }
    case 'SwitchPortObserved': case 'SwitchPortRemoved':
      // only the tunnel port matters to a router (every next hop over it); a VM's OpenFlow port is its own next hop's
      return ev.data.name === tunnelInterfaceOf(view, ev.data.host) ? routersTouching(view, networks) : [];
    default:
      return routersTouching(view, networks);
  }
}
