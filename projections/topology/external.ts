// The external side of L3 in the topology view: floating IPs, learned external neighbors and routers' NAT zones.
//
// Router gateways and their hosts are folded in ./gateways.ts (routerGatewayOf, gatewayHostOf).
//
// Folded in place like the rest of the view (./view.ts). NAT conntrack zones are allocated here, in
// log order, so a replay gives every router the same zone: the lowest free number of the NAT range,
// kept until the router is deleted. Port zones are OpenFlow port numbers (stages/securityGroups.ts),
// which OVS hands out upward from 1: the NAT range sits at the top of the 16-bit zone space.
import { parseIp } from '../../src/domain/ip/address.ts';
import type { TopologyEvent } from './inputs.ts';
import type { TopologyView } from './view.ts';
import { addTo, removeFrom } from './setMap.ts';

/** First conntrack zone of routers' NAT (0xf000: far above any OpenFlow port number OVS allocates in practice). */
export const NAT_ZONE_FIRST = 0xf000;
export const NAT_ZONE_LAST = 0xffff;

export interface FloatingIpView {
  id: string;
  networkId: string;
  subnetId: string;
  address: string;
  /** the network:floatingip port (its MAC is the floating IP's MAC on the physical network) */
  portId: string;
  association: { portId: string; fixedIpAddress: string; routerId: string } | null;
}

export interface ExternalNeighbor {
  mac: string;
  /** the host whose switch saw it (the observation's stream) */
  host: string;
}

export interface ExternalIndex {
  floatingIps: Map<string, FloatingIpView>;
  /** network id -> IPv4 address -> neighbor */
  neighbors: Map<string, Map<string, ExternalNeighbor>>;
  /** router id -> NAT conntrack zone */
  natZones: Map<string, number>;
  /** associated VM port -> floating IPs associated with it (whose NAT host follows that port's host) */
  floatingIpsByPort: Map<string, Set<string>>;
  /** router id -> floating IPs associated through it (NATed on its gateway host when the VM's host cannot) */
  floatingIpsByRouter: Map<string, Set<string>>;
  /** network:floatingip port -> the floating IPs whose MAC it holds (a port event touches only those) */
  floatingIpsByFloatingPort: Map<string, Set<string>>;
  /** external network -> its floating IPs, and external subnet -> its floating IPs (a network or subnet event touches only those) */
  floatingIpsByNetwork: Map<string, Set<string>>;
  floatingIpsBySubnet: Map<string, Set<string>>;
}

export function emptyExternalIndex(): ExternalIndex {
  return {
    floatingIps: new Map(), neighbors: new Map(), natZones: new Map(),
    floatingIpsByPort: new Map(), floatingIpsByRouter: new Map(), floatingIpsByFloatingPort: new Map(),
    floatingIpsByNetwork: new Map(), floatingIpsBySubnet: new Map(),
  };
}

/** Keeps the floating IP indexes in step with a floating IP (before: as it was; after: as it is now). */
function reindexFloatingIp(x: ExternalIndex, id: string, before: FloatingIpView | undefined, after: FloatingIpView | undefined): void {
  if (before) {
    removeFrom(x.floatingIpsByFloatingPort, before.portId, id);
    removeFrom(x.floatingIpsByNetwork, before.networkId, id);
    removeFrom(x.floatingIpsBySubnet, before.subnetId, id);
  }
  if (after) {
    addTo(x.floatingIpsByFloatingPort, after.portId, id);
    addTo(x.floatingIpsByNetwork, after.networkId, id);
    addTo(x.floatingIpsBySubnet, after.subnetId, id);
  }
  const a = before?.association;
  if (a) {
    removeFrom(x.floatingIpsByPort, a.portId, id);
    removeFrom(x.floatingIpsByRouter, a.routerId, id);
  }
  const b = after?.association;
  if (b) {
    addTo(x.floatingIpsByPort, b.portId, id);
    addTo(x.floatingIpsByRouter, b.routerId, id);
  }
}

/** The view's external index for folding: created on first use when a view was built without it. */
export function externalFor(view: TopologyView): ExternalIndex {
  return (view.external ??= emptyExternalIndex());
}

const NO_EXTERNAL: ExternalIndex = emptyExternalIndex();

export function externalOf(view: TopologyView): ExternalIndex {
  return view.external ?? NO_EXTERNAL;
}

function allocateZone(x: ExternalIndex, routerId: string): void {
  if (x.natZones.has(routerId)) return;
  const used = new Set(x.natZones.values());
  for (let z = NAT_ZONE_FIRST; z <= NAT_ZONE_LAST; z++) {
    if (!used.has(z)) {
      x.natZones.set(routerId, z);
      return;
    }
  }
  // more routers with NAT than zones: this one gets no NAT flows (its floating IPs stay DOWN)
}

/** Folds the external events (others are ignored). */
export function applyExternalEvent(x: ExternalIndex, ev: TopologyEvent): void {
  switch (ev.type) {
    case 'RouterGatewaySet':
      allocateZone(x, ev.data.id);
      return;
    case 'RouterDeleted':
      x.natZones.delete(ev.data.id);
      return;
    case 'FloatingIpCreated': {
      const d = ev.data;
      const next: FloatingIpView = { id: d.id, networkId: d.floatingNetworkId, subnetId: d.subnetId, address: d.floatingIpAddress, portId: d.floatingPortId, association: null };
      reindexFloatingIp(x, d.id, x.floatingIps.get(d.id), next);
      x.floatingIps.set(d.id, next);
      return;
    }
    case 'FloatingIpAssociated': {
      const f = x.floatingIps.get(ev.data.id);
      const d = ev.data;
      if (!f) return;
      const next: FloatingIpView = { ...f, association: { portId: d.portId, fixedIpAddress: d.fixedIpAddress, routerId: d.routerId } };
      reindexFloatingIp(x, f.id, f, next);
      x.floatingIps.set(f.id, next);
      allocateZone(x, d.routerId);
      return;
    }
    case 'FloatingIpDisassociated': {
      const f = x.floatingIps.get(ev.data.id);
      if (!f) return;
      const next: FloatingIpView = { ...f, association: null };
      reindexFloatingIp(x, f.id, f, next);
      x.floatingIps.set(f.id, next);
      return;
    }
    case 'FloatingIpDeleted':
      reindexFloatingIp(x, ev.data.id, x.floatingIps.get(ev.data.id), undefined);
      x.floatingIps.delete(ev.data.id);
      return;
    case 'ExternalNeighborObserved': {
      const d = ev.data;
      if (parseIp(d.ip)?.version !== 4 || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(d.mac)) return;
      let byIp = x.neighbors.get(d.networkId);
      if (!byIp) x.neighbors.set(d.networkId, (byIp = new Map()));
      byIp.set(d.ip, { mac: d.mac.toLowerCase(), host: d.host });
      return;
    }
    default:
      return;
  }
}

/** A router's NAT conntrack zone (SNAT and floating IPs share it); undefined before its gateway or first floating IP. */
export function natZoneOf(view: TopologyView, routerId: string): number | undefined {
  return externalOf(view).natZones.get(routerId);
}
