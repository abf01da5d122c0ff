// Routers in the topology view: their interfaces (port + subnet) and static routes, and which routers touch a network.
import type { RouterInterfaceInput, TopologyEvent } from './inputs.ts';
import { tunnelInterfaceOf } from './queries.ts';
import type { TopologyView } from './view.ts';

export interface RouterView {
  id: string;
  adminStateUp: boolean;
  routes: readonly { destination: string; nexthop: string }[];
  /** in the order added */
  interfaces: readonly { portId: string; subnetId: string }[];
}

/** The view's routers for folding: created on first use when a view was built without them. */
export function routersFor(view: TopologyView): Map<string, RouterView> {
  return (view.routers ??= new Map());
}

const NO_ROUTERS: ReadonlyMap<string, RouterView> = new Map();

export function routersOf(view: TopologyView): ReadonlyMap<string, RouterView> {
  return view.routers ?? NO_ROUTERS;
}

function withInterfaces(r: RouterView, f: (xs: RouterView['interfaces']) => RouterView['interfaces']): RouterView {
  return { ...r, interfaces: f(r.interfaces) };
}

const sameInterface = (a: { portId: string; subnetId: string }, b: RouterInterfaceInput) => a.portId === b.portId && a.subnetId === b.subnetId;

/** Folds the router events of the view (others are ignored). */
export function applyRouterEvent(routers: Map<string, RouterView>, ev: TopologyEvent): void {
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

/** Routers with an interface on one of these networks, or on this subnet. */
export function routersTouching(view: TopologyView, networks: ReadonlySet<string>, subnetId?: string): string[] {
  // most events (port status, floating IPs, neighbors, security groups) name no network: no pass over every router's legs
  if (networks.size === 0 && subnetId === undefined) return [];
  const out: string[] = [];
  for (const r of routersOf(view).values()) {
    if (r.interfaces.some((i) => i.subnetId === subnetId || networks.has(view.subnets.get(i.subnetId)?.networkId ?? ''))) out.push(r.id);
  }
  return out;
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
      return [...routersOf(view).values()].filter((r) => r.interfaces.some((i) => i.portId === id)).map((r) => r.id);
    }
    case 'SwitchPortObserved': case 'SwitchPortRemoved':
      // only the tunnel port matters to a router (every next hop over it); a VM's OpenFlow port is its own next hop's
      return ev.data.name === tunnelInterfaceOf(view, ev.data.host) ? routersTouching(view, networks) : [];
    default:
      return routersTouching(view, networks);
  }
}
