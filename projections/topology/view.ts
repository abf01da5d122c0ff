// The topology view: networks, ports, hosts and what each switch reported, folded from the log one event at a time.
//
// The fold mutates the view it is given (O(1) per event at 5000 ports; copying maps would be O(n)).
// It is still a pure function of the log: the same events in the same order give the same view, and
// it never does I/O. Events about absent resources are ignored: bad input never throws.
import type { AddressPairInput, FixedIpInput, HostInput, PortChangesInput, SubnetInput, TopologyEvent } from './inputs.ts';
import { applyExternalEvent, emptyExternalIndex, externalFor, type ExternalIndex } from './external.ts';
import { applyRouterEvent, type RouterIndex, type RouterView } from './routers.ts';
import { applyGatewayEvent, gatewaysFor, type GatewayIndex } from './gateways.ts';
import { indexNetwork, indexSubnet, networkIndexFor, emptyNetworkIndex, type NetworkIndex } from './networkIndex.ts';
import { applySecurityGroupEvent, emptySecurityGroupIndex, indexPortGroups, sgIndexFor, type SecurityGroupIndex } from './securityGroups.ts';

/** Nova's convention: the OVS interface of port <uuid> is tap + the first 11 characters of the uuid. */
export const TAP_PREFIX = 'tap';
export const TAP_UUID_CHARS = 11;

export interface NetworkView {
  id: string;
  projectId: string;
  networkType: string;
  /** the VXLAN network identifier; null for network types the overlay does not carry (vlan, flat) */
  vni: number | null;
  /** MTU for DHCP answers; null when the events never gave one */
  mtu: number | null;
  /** provider networks (flat, vlan): the physical network and VLAN id (issue 5); absent in views built elsewhere */
  physicalNetwork?: string | null;
  segmentationId?: number | null;
}

export interface PortView {
  id: string;
  networkId: string;
  adminStateUp: boolean;
  macAddress: string;
  fixedIps: readonly FixedIpInput[];
  deviceOwner: string;
  portSecurityEnabled: boolean;
  allowedAddressPairs: readonly AddressPairInput[];
  /**
   * security group ids, in the order recorded; null when the events never named any (histories
   * older than security groups, L2-only fixtures): such a port is not filtered. The domain always
   * records the list, so [] (secured, no group) drops all new IP as in Neutron.
   */
  securityGroups: readonly string[] | null;
  /** binding:host_id; '' while unbound */
  hostId: string;
  /** the OVS interface name (naming contract in DESIGN.md) */
  iface: string;
}

export interface SwitchView {
  connected: boolean;
  datapathId: string;
  /** interface name -> OpenFlow port number, as the switch reported them */
  ports: Map<string, number>;
}

export interface TopologyView {
  networks: Map<string, NetworkView>;
  subnets: Map<string, SubnetInput>;
  ports: Map<string, PortView>;
  hosts: Map<string, HostInput>;
  switches: Map<string, SwitchView>;
  /** network id -> ids of its ports (kept even while the network itself is absent) */
  portsByNetwork: Map<string, Set<string>>;
  /** host -> ids of the ports bound to it */
  portsByHost: Map<string, Set<string>>;
  /** network id -> host -> number of the network's ports bound there */
  networkHosts: Map<string, Map<string, number>>;
  /** host -> interface name -> ids of the ports bound there with that interface */
  portsByIface: Map<string, Map<string, Set<string>>>;
  /** network id -> host -> port id -> OpenFlow port: the admin-up ports of the network on that switch (flooding) */
  floodPorts: Map<string, Map<string, Map<string, number>>>;
  /**
   * security group rules and memberships (./securityGroups.ts); optional only so views built field by
   * field elsewhere still type-check: read it through sgIndexOf(), which treats absent as empty
   */
  securityGroups?: SecurityGroupIndex;
  /** routers (./routers.ts); optional for the same reason, read through routersOf() */
  routers?: Map<string, RouterView>;
  /** routers by subnet and by interface port (./routers.ts); optional likewise, built from `routers` on first use */
  routerIndex?: RouterIndex;
  /** router gateways and their scheduled hosts (./gateways.ts); optional likewise, read through gatewaysOf() */
  gateways?: GatewayIndex;
  /** floating IPs, external neighbors, NAT zones (./external.ts); optional likewise, read through externalOf() */
  external?: ExternalIndex;
  /** provider networks and subnets by network (./networkIndex.ts); optional likewise, read through its queries */
  networkIndex?: NetworkIndex;
}

export function emptyView(): TopologyView {
  return {
    networks: new Map(), subnets: new Map(), ports: new Map(), hosts: new Map(), switches: new Map(),
    portsByNetwork: new Map(), portsByHost: new Map(), networkHosts: new Map(), portsByIface: new Map(), floodPorts: new Map(), securityGroups: emptySecurityGroupIndex(),
    external: emptyExternalIndex(), networkIndex: emptyNetworkIndex(),
  };
}

/** The interface name of a port: binding:profile.interface_name when given, else tap + 11 chars of the id. */
export function interfaceName(portId: string, profile: Record<string, unknown> | undefined): string {
  const named = profile?.interface_name;
  return typeof named === 'string' && named !== '' ? named : `${TAP_PREFIX}${portId.slice(0, TAP_UUID_CHARS)}`;
}

function switchOf(view: TopologyView, host: string): SwitchView {
  let sw = view.switches.get(host);
  if (!sw) {
    sw = { connected: false, datapathId: '', ports: new Map() };
    view.switches.set(host, sw);
  }
  return sw;
}

function bump(outer: Map<string, Map<string, number>>, key: string, host: string, delta: number): void {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  const n = (inner.get(host) ?? 0) + delta;
  if (n > 0) inner.set(host, n);
  else inner.delete(host);
  if (inner.size === 0) outer.delete(key);
}

function nested<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = outer.get(key);
  if (!inner) outer.set(key, (inner = new Map()));
  return inner;
}

/** Puts a bound port into (or takes it out of) its network's flood list on its host. */
function floodIndex(view: TopologyView, p: PortView, add: boolean): void {
  const ofport = view.switches.get(p.hostId)?.ports.get(p.iface);
  if (add && (ofport === undefined || !p.adminStateUp)) return;
  const byHost = nested(view.floodPorts, p.networkId);
  const ports = nested(byHost, p.hostId);
  if (add && ofport !== undefined) ports.set(p.id, ofport);
  else ports.delete(p.id);
  if (ports.size === 0) byHost.delete(p.hostId);
  if (byHost.size === 0) view.floodPorts.delete(p.networkId);
}

/** The switch reported (or lost) an interface: the ports bound there with that name follow. */
function reindexIface(view: TopologyView, host: string, name: string, apply: () => void): void {
  const ids = [...(view.portsByIface.get(host)?.get(name) ?? [])];
  const ports = ids.map((id) => view.ports.get(id)).filter((p): p is PortView => p !== undefined);
  for (const p of ports) floodIndex(view, p, false);
  apply();
  for (const p of ports) floodIndex(view, p, true);
}

/** Takes a port out of the indexes (before it changes network/host or is deleted). */
function unindexPort(view: TopologyView, p: PortView): void {
  const inNet = view.portsByNetwork.get(p.networkId);
  inNet?.delete(p.id);
  if (inNet?.size === 0) view.portsByNetwork.delete(p.networkId);
  indexPortGroups(sgIndexFor(view), p, -1);
  if (p.hostId === '') return;
  const set = view.portsByHost.get(p.hostId);
  set?.delete(p.id);
  if (set?.size === 0) view.portsByHost.delete(p.hostId);
  bump(view.networkHosts, p.networkId, p.hostId, -1);
  floodIndex(view, p, false);
  const byName = view.portsByIface.get(p.hostId);
  const named = byName?.get(p.iface);
  named?.delete(p.id);
  if (named?.size === 0) byName?.delete(p.iface);
  if (byName?.size === 0) view.portsByIface.delete(p.hostId);
}

function indexPort(view: TopologyView, p: PortView): void {
  let inNet = view.portsByNetwork.get(p.networkId);
  if (!inNet) view.portsByNetwork.set(p.networkId, (inNet = new Set()));
  inNet.add(p.id);
  indexPortGroups(sgIndexFor(view), p, +1);
  if (p.hostId === '') return;
  let set = view.portsByHost.get(p.hostId);
  if (!set) view.portsByHost.set(p.hostId, (set = new Set()));
  set.add(p.id);
  bump(view.networkHosts, p.networkId, p.hostId, +1);
  const byName = nested(view.portsByIface, p.hostId);
  let named = byName.get(p.iface);
  if (!named) byName.set(p.iface, (named = new Set()));
  named.add(p.id);
  floodIndex(view, p, true);
}

/**
 * True when the PortUpdated changes a field the view keeps; the others (name, description, ...)
 * change no flow. Named reads, not a loop over a list of keys: a computed key is a megamorphic
 * lookup each, and this runs once per replayed update.
 */
function changesView(c: PortChangesInput): boolean {
  return c.adminStateUp !== undefined || c.macAddress !== undefined || c.fixedIps !== undefined || c.deviceOwner !== undefined ||
    c.portSecurityEnabled !== undefined || c.allowedAddressPairs !== undefined || c.securityGroups !== undefined;
}

/**
 * The port moved to (or off) a host: one literal, since in Node 20's V8 `{...old, hostId, iface}`
 * costs ~2 us per call on a replay's hot path and this is a plain allocation.
 */
function withBinding(p: PortView, hostId: string, iface: string): PortView {
  return {
    id: p.id, networkId: p.networkId, adminStateUp: p.adminStateUp, macAddress: p.macAddress, fixedIps: p.fixedIps,
    deviceOwner: p.deviceOwner, portSecurityEnabled: p.portSecurityEnabled, allowedAddressPairs: p.allowedAddressPairs,
    securityGroups: p.securityGroups, hostId, iface,
  };
}

function replacePort(view: TopologyView, id: string, next: PortView | undefined): void {
  const old = view.ports.get(id);
  if (old) unindexPort(view, old);
  if (next) {
    view.ports.set(id, next);
    indexPort(view, next);
  } else {
    view.ports.delete(id);
  }
}

/** Folds one event into the view (in place) and returns it. */
export function applyTopologyEvent(view: TopologyView, event: TopologyEvent): TopologyView {
  switch (event.type) {
    case 'NetworkCreated': {
      const d = event.data;
      const vni = d.segment.networkType === 'vxlan' ? d.segment.segmentationId : null;
      const n: NetworkView = { id: d.id, projectId: d.projectId, networkType: d.segment.networkType, vni, mtu: d.mtu ?? null,
        physicalNetwork: d.segment.physicalNetwork, segmentationId: d.segment.segmentationId };
      view.networks.set(d.id, n);
      indexNetwork(networkIndexFor(view), d.id, n);
      applyGatewayEvent(gatewaysFor(view), event);
      return view;
    }
    case 'NetworkDeleted':
      view.networks.delete(event.data.id);
      indexNetwork(networkIndexFor(view), event.data.id, undefined);
      applyGatewayEvent(gatewaysFor(view), event);
      return view;
    case 'SubnetCreated': {
      const next = { ...event.data };
      indexSubnet(networkIndexFor(view), view.subnets.get(next.id), next);
      view.subnets.set(next.id, next);
      return view;
    }
    case 'SubnetUpdated': {
      const s = view.subnets.get(event.data.id);
      const c = event.data.changes;
      // (DHCP fields change no flow: the responder reads them at packet-in time)
      const defined = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
      if (s) view.subnets.set(s.id, { ...s, ...defined });
      return view;
    }
    case 'SubnetDeleted':
      indexSubnet(networkIndexFor(view), view.subnets.get(event.data.id), undefined);
      view.subnets.delete(event.data.id);
      return view;
    case 'PortCreated': {
      const d = event.data;
      replacePort(view, d.id, {
        id: d.id, networkId: d.networkId, adminStateUp: d.adminStateUp, macAddress: d.macAddress.toLowerCase(),
        fixedIps: d.fixedIps, deviceOwner: d.deviceOwner, portSecurityEnabled: d.portSecurityEnabled,
        allowedAddressPairs: d.allowedAddressPairs, securityGroups: d.securityGroups ?? null, hostId: '', iface: interfaceName(d.id, d.bindingProfile),
      });
      return view;
    }
    case 'PortUpdated': {
      const old = view.ports.get(event.data.id);
      if (!old) return view;
      const c = event.data.changes;
      // most updates rename or describe a port: nothing a flow reads, so no re-index (replay speed)
      if (!changesView(c)) return view;
      replacePort(view, old.id, { ...old, ...c, macAddress: (c.macAddress ?? old.macAddress).toLowerCase(),
        securityGroups: c.securityGroups ?? old.securityGroups });
      return view;
    }
    case 'PortBoundToHost': {
      const old = view.ports.get(event.data.id);
      if (old) replacePort(view, old.id, withBinding(old, event.data.hostId, interfaceName(old.id, event.data.profile)));
      return view;
    }
    case 'PortUnboundFromHost': {
      const old = view.ports.get(event.data.id);
      if (old) replacePort(view, old.id, withBinding(old, '', interfaceName(old.id, event.data.profile)));
      return view;
    }
    case 'PortDeleted':
      replacePort(view, event.data.id, undefined);
      return view;
    case 'HostRegistered':
      view.hosts.set(event.data.name, { ...event.data });
      return view;
    case 'HostUpdated': {
      const h = view.hosts.get(event.data.name);
      if (h) view.hosts.set(h.name, { ...h, ...event.data.changes });
      return view;
    }
    case 'HostDeregistered':
      view.hosts.delete(event.data.name);
      return view;
    case 'SwitchConnected': {
      const sw = switchOf(view, event.data.host);
      sw.connected = true;
      sw.datapathId = event.data.datapathId;
      return view;
    }
    case 'SwitchDisconnected':
      switchOf(view, event.data.host).connected = false;
      return view;
    case 'SwitchPortObserved': {
      const { host, name, ofport } = event.data;
      reindexIface(view, host, name, () => switchOf(view, host).ports.set(name, ofport));
      return view;
    }
    case 'SwitchPortRemoved': {
      const { host, name } = event.data;
      reindexIface(view, host, name, () => view.switches.get(host)?.ports.delete(name));
      return view;
    }
    case 'SecurityGroupRuleCreated':
    case 'SecurityGroupRuleDeleted':
    case 'SecurityGroupDeleted':
      applySecurityGroupEvent(sgIndexFor(view), event);
      return view;
    case 'RouterCreated':
    case 'RouterUpdated':
    case 'RouterInterfaceAdded':
    case 'RouterInterfaceRemoved':
    case 'RouterDeleted':
      applyRouterEvent(view, event);
      applyGatewayEvent(gatewaysFor(view), event);
      if (event.type === 'RouterDeleted') applyExternalEvent(externalFor(view), event);
      return view;
    case 'RouterGatewaySet':
    case 'RouterGatewayCleared':
    case 'RouterGatewayHostScheduled':
      applyGatewayEvent(gatewaysFor(view), event);
      applyExternalEvent(externalFor(view), event);
      return view;
    case 'FloatingIpCreated':
    case 'FloatingIpAssociated':
    case 'FloatingIpDisassociated':
    case 'FloatingIpDeleted':
    case 'ExternalNeighborObserved':
      applyExternalEvent(externalFor(view), event);
      return view;
    case 'NetworkUpdated': {
      const n = view.networks.get(event.data.id);
      const mtu = event.data.changes?.mtu;
      if (n && mtu !== undefined) view.networks.set(n.id, { ...n, mtu });
      return view;
    }
    case 'PortStatusChanged':
    case 'SwitchInSync':
    case 'PortWired':
      return view;
    default: {
      const unknown: never = event;
      void unknown;
      return view;
    }
  }
}
