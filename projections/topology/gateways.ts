// Router gateways in the topology view: each router's external gateway, the physical network it needs, and the host it is scheduled on.
//
// The host comes only from RouterGatewayHostScheduled decisions (./gatewayEvents.ts): replaying the
// log gives the same host at every position. Clearing the gateway (or a new gateway port, which the
// domain records as clear + set) forgets the host: the next gateway is scheduled afresh.
import type { FixedIpInput, TopologyEvent } from './inputs.ts';
import type { TopologyView } from './view.ts';

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
}

export function emptyGatewayIndex(): GatewayIndex {
  return { gateways: new Map(), hosts: new Map(), physicalNetworks: new Map() };
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
      index.gateways.set(ev.data.id, {
        routerId: ev.data.id, networkId: g.networkId, enableSnat: g.enableSnat, externalFixedIps: g.externalFixedIps, portId: g.portId,
      });
      return;
    }
    case 'RouterGatewayCleared':
    case 'RouterDeleted':
      index.gateways.delete(ev.data.id);
      index.hosts.delete(ev.data.id);
      return;
    case 'RouterGatewayHostScheduled':
      // a decision about a router without a gateway is stale (the gateway was cleared meanwhile)
      if (index.gateways.has(ev.data.id)) index.hosts.set(ev.data.id, ev.data.host);
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
  const out: string[] = [];
  for (const [rid, h] of gatewaysOf(view).hosts) if (h === host) out.push(rid);
  return out.sort();
}
