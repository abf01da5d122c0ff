// Router gateways in the topology view: each router's external gateway, the physical network it needs, and the host it is scheduled on.
//
// The host comes only from RouterGatewayHostScheduled decisions (./gatewayEvents.ts): replaying the
// log gives the same host at every position. Clearing the gateway (or a new gateway port, which the
// domain records as clear + set) forgets the host: the next gateway is scheduled afresh.
import type { FixedIpInput, TopologyEvent } from './inputs.ts';
import type { TopologyView } from './view.ts';
import { addTo, removeFrom } from './setMap.ts';

/** A router's external gateway as recorded (the domain's ExternalGateway); A's NAT zone is in ./external.ts. */
export interface RouterGatewayView {
  routerId: string;
  /** the external network */
  networkId: string;
  enableSnat: boolean;
  /** the gateway port's addresses on the external network (the SNAT source) */
  externalFixedIps: readonly FixedIpInput[];
  /** the network:router_gateway port (its MAC is the gateway's MAC on the physical network) */
  portId: string;
}

export interface GatewayIndex {
  /** router id -> its external gateway */
  gateways: Map<string, RouterGatewayView>;
  /** router id -> scheduled host; null: recorded that no host was eligible; absent: not scheduled since the gateway was set */
  hosts: Map<string, string | null>;
  /** network id -> physical network, for provider networks (flat, vlan) */
  physicalNetworks: Map<string, string>;
  /** host -> routers scheduled there (`hosts` inverted: a host's sync looks only at its own gateways) */
  routersByHost: Map<string, Set<string>>;
  /** router id -> number of the scheduling decision that placed it (absent with `hosts`): tells a move away and back apart */
  decisionOf: Map<string, number>;
  /** scheduling decisions folded so far (numbers decisionOf) */
  decisions: number;
  /** external network id -> routers with a gateway on it (a network or subnet event names only these gateway units) */
  routersByExternalNetwork: Map<string, Set<string>>;
  /** gateway port id -> routers whose gateway port it is (one in practice; a port event names only those gateway units) */
  routersByGatewayPort: Map<string, Set<string>>;
}

export function emptyGatewayIndex(): GatewayIndex {
  return { gateways: new Map(), hosts: new Map(), physicalNetworks: new Map(), routersByHost: new Map(), decisionOf: new Map(), decisions: 0,
    routersByExternalNetwork: new Map(), routersByGatewayPort: new Map() };
}

/** Forgets a router's scheduled host in `hosts` and its inverse. */
function unschedule(index: GatewayIndex, routerId: string): void {
  const h = index.hosts.get(routerId);
  if (typeof h === 'string') {
    const set = index.routersByHost.get(h);
    set?.delete(routerId);
    if (set?.size === 0) index.routersByHost.delete(h);
  }
  index.hosts.delete(routerId);
  index.decisionOf.delete(routerId);
}

/** Forgets a router's gateway in the indexes keyed by its external network and port. */
function unindexGateway(index: GatewayIndex, routerId: string): void {
  const g = index.gateways.get(routerId);
  if (!g) return;
  removeFrom(index.routersByExternalNetwork, g.networkId, routerId);
  removeFrom(index.routersByGatewayPort, g.portId, routerId);
}

/** The view's gateway index for folding: created on first use when a view was built without it. */
export function gatewaysFor(view: TopologyView): GatewayIndex {
  return (view.gateways ??= emptyGatewayIndex());
}

const NO_GATEWAYS: GatewayIndex = emptyGatewayIndex();

export function gatewaysOf(view: TopologyView): GatewayIndex {
  return view.gateways ?? NO_GATEWAYS;
}

/** Folds the events the index reads (others are ignored; events about absent routers change nothing). */
export function applyGatewayEvent(index: GatewayIndex, ev: TopologyEvent): void {
  switch (ev.type) {
    case 'NetworkCreated':
      if (ev.data.segment.physicalNetwork !== null && ev.data.segment.physicalNetwork !== '') {
        index.physicalNetworks.set(ev.data.id, ev.data.segment.physicalNetwork);
      }
      return;
    case 'NetworkDeleted':
      index.physicalNetworks.delete(ev.data.id);
      return;
    case 'RouterGatewaySet': {
      const g = ev.data.gateway;
      // a new gateway on a router that has one replaces it (another network or port leaves the old keys)
      unindexGateway(index, ev.data.id);
      index.gateways.set(ev.data.id, {
        routerId: ev.data.id, networkId: g.networkId, enableSnat: g.enableSnat, externalFixedIps: g.externalFixedIps, portId: g.portId,
      });
      addTo(index.routersByExternalNetwork, g.networkId, ev.data.id);
      addTo(index.routersByGatewayPort, g.portId, ev.data.id);
      return;
    }
    case 'RouterGatewayCleared':
    case 'RouterDeleted':
      unindexGateway(index, ev.data.id);
      index.gateways.delete(ev.data.id);
      unschedule(index, ev.data.id);
      return;
    case 'RouterGatewayHostScheduled':
      // a decision about a router without a gateway is stale (the gateway was cleared meanwhile)
      if (!index.gateways.has(ev.data.id)) return;
      unschedule(index, ev.data.id);
      index.hosts.set(ev.data.id, ev.data.host);
      index.decisionOf.set(ev.data.id, (index.decisions += 1));
      if (ev.data.host !== null) {
        let set = index.routersByHost.get(ev.data.host);
        if (!set) index.routersByHost.set(ev.data.host, (set = new Set()));
        set.add(ev.data.id);
      }
      return;
    default:
      return;
  }
}

/** A router's external gateway, or undefined when it has none. */
export function routerGatewayOf(view: TopologyView, routerId: string): RouterGatewayView | undefined {
  return gatewaysOf(view).gateways.get(routerId);
}

/** The host that carries a router's gateway (SNAT, centralized floating IPs); undefined when none is scheduled. */
export function gatewayHostOf(view: TopologyView, routerId: string): string | undefined {
  const idx = gatewaysOf(view);
  if (!idx.gateways.has(routerId)) return undefined;
  return idx.hosts.get(routerId) ?? undefined;
}

/** The physical network a router's gateway needs its host to map, or null (no gateway, or not a provider network). */
export function gatewayPhysicalNetworkOf(view: TopologyView, routerId: string): string | null {
  const idx = gatewaysOf(view);
  const g = idx.gateways.get(routerId);
  return g === undefined ? null : idx.physicalNetworks.get(g.networkId) ?? null;
}

/** Routers whose gateway is scheduled on a host, sorted by id. */
export function gatewaysOnHost(view: TopologyView, host: string): string[] {
  return [...(gatewaysOf(view).routersByHost.get(host) ?? [])].sort();
}

/** The number of the decision that scheduled a router's gateway host (changes on every new decision, even for the same host). */
export function gatewayDecisionOf(view: TopologyView, routerId: string): number | undefined {
  return gatewaysOf(view).decisionOf.get(routerId);
}
