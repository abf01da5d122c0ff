// The flow units of the external side: 'x:<network>' (a provider network on each host that maps it), 'e:<network>|<ip>' (one learned neighbor there) and 'f:<floating IP>' (its NAT host).
//
// A provider network's unit lives on every registered host whose bridge_mappings name its physical
// network: classification of the physical port, ARP learning; each learned neighbor's flows are a unit
// of their own on the same hosts (one new neighbor rebuilt all of them on every such host: ~1 s per
// neighbor at 1000 neighbors and 50 hosts). A floating IP's unit
// lives on its NAT host only: DVR = the associated VM's host when that host maps the floating IP's
// physical network, else the router's scheduled gateway host when that one maps it (centralized).
import { buildNeighborFlows, buildProviderFlows, type PhysicalSegment } from '../pipeline/stages/external.ts';
import { buildFloatingIpFlows, type FloatingIpNat } from '../pipeline/stages/floatingIps.ts';
import type { DesiredFlow } from '../pipeline/flow.ts';
import { externalOf, natZoneOf, type FloatingIpView } from '../topology/external.ts';
import { gatewayHostOf, gatewaysOf } from '../topology/gateways.ts';
import type { TopologyEvent } from '../topology/inputs.ts';
import { overlayNetworkOf } from '../topology/queries.ts';
import { routersOf, routersWithPort } from '../topology/routers.ts';
import type { TopologyView } from '../topology/view.ts';

/** device_owner of router interface ports (src/domain/router/state.ts OWNER_ROUTER_INTERFACE). */
const ROUTER_INTERFACE_OWNER = 'network:router_interface';

export const providerUnit = (networkId: string): string => `x:${networkId}`;
export const floatingIpUnit = (fipId: string): string => `f:${fipId}`;
/** A learned neighbor's unit (network ids and IPv4 addresses hold no '|'). */
export const neighborUnit = (networkId: string, ip: string): string => `e:${networkId}|${ip}`;

/** The units of a network's learned neighbors (kept while the network is gone: they then have no flows). */
function neighborUnitsOf(view: TopologyView, networkId: string): string[] {
  return [...(externalOf(view).neighbors.get(networkId)?.keys() ?? [])].map((ip) => neighborUnit(networkId, ip));
}

/** The network id and address of a neighbor unit's id ('<network>|<ip>'). */
function neighborOfUnit(id: string): { networkId: string; ip: string } {
  const bar = id.indexOf('|');
  return { networkId: id.slice(0, bar), ip: id.slice(bar + 1) };
}

/** A flat or VLAN network with a physical network: its physnet and VLAN id. */
export function providerOf(view: TopologyView, networkId: string): { physnet: string; vlan: number | null } | undefined {
  const n = view.networks.get(networkId);
  if (!n || !n.physicalNetwork) return undefined;
  if (n.networkType === 'flat') return { physnet: n.physicalNetwork, vlan: null };
  if (n.networkType === 'vlan' && typeof n.segmentationId === 'number') return { physnet: n.physicalNetwork, vlan: n.segmentationId };
  return undefined;
}

/** Whether a registered host's bridge_mappings name the physical network of a provider network. */
export function hostMapsNetwork(view: TopologyView, host: string, networkId: string): boolean {
  const p = providerOf(view, networkId);
  const name = p ? view.hosts.get(host)?.bridgeMappings[p.physnet] : undefined;
  return typeof name === 'string' && name !== '';
}

/** The provider network as `host` reaches it: its bridge_mappings port must have been seen on the switch. */
export function physicalSegmentOf(view: TopologyView, host: string, networkId: string): PhysicalSegment | undefined {
  const p = providerOf(view, networkId);
  const name = p ? view.hosts.get(host)?.bridgeMappings[p.physnet] : undefined;
  const ofport = name ? view.switches.get(host)?.ports.get(name) : undefined;
  return p && ofport !== undefined ? { networkId, ofport, vlan: p.vlan } : undefined;
}

/** Where a floating IP's NAT is done: its VM's host when that host maps the physical network (DVR), else the router's gateway host. */
export function natHostOf(view: TopologyView, fip: FloatingIpView): string | undefined {
  const a = fip.association;
  const port = a ? view.ports.get(a.portId) : undefined;
  if (!a || !port || port.hostId === '' || !view.hosts.has(port.hostId)) return undefined;
  if (hostMapsNetwork(view, port.hostId, fip.networkId)) return port.hostId;
  // centralized (B): the VM's host cannot reach the physical network, so the router's gateway host does the NAT
  const gw = gatewayHostOf(view, a.routerId);
  return gw !== undefined && view.hosts.has(gw) && hostMapsNetwork(view, gw, fip.networkId) ? gw : undefined;
}

/**
 * The floating IPs whose NAT `host` does (natHostOf), found through their VM port bound there (DVR) or
 * their router's gateway scheduled there (centralized) instead of a pass over every floating IP.
 */
export function floatingIpsNattedBy(view: TopologyView, host: string): Set<string> {
  const x = externalOf(view);
  const out = new Set<string>();
  const add = (ids: Iterable<string> | undefined) => {
    for (const id of ids ?? []) {
      const fip = x.floatingIps.get(id);
      if (fip && natHostOf(view, fip) === host) out.add(id);
    }
  };
  // whichever is smaller: the host's ports, or the associated ports of the cloud
  const ports = view.portsByHost.get(host);
  if (ports && ports.size <= x.floatingIpsByPort.size) for (const pid of ports) add(x.floatingIpsByPort.get(pid));
  else if (ports) for (const [pid, ids] of x.floatingIpsByPort) if (view.ports.get(pid)?.hostId === host) add(ids);
  for (const rid of gatewaysOf(view).routersByHost.get(host) ?? []) add(x.floatingIpsByRouter.get(rid));
  return out;
}

/** Everything a floating IP's flows need on `host`, or undefined when something is missing. */
export function floatingIpNat(view: TopologyView, fip: FloatingIpView, host: string): FloatingIpNat | undefined {
  const a = fip.association;
  if (!a || natHostOf(view, fip) !== host) return undefined;
  const port = view.ports.get(a.portId);
  const net = port ? overlayNetworkOf(view, port) : undefined;
  const subnetId = port?.fixedIps.find((f) => f.ipAddress === a.fixedIpAddress)?.subnetId;
  const router = routersOf(view).get(a.routerId);
  const leg = router?.interfaces.find((i) => i.subnetId === subnetId);
  const legMac = leg ? view.ports.get(leg.portId)?.macAddress : undefined;
  const mac = view.ports.get(fip.portId)?.macAddress;
  const zone = natZoneOf(view, a.routerId);
  const segment = physicalSegmentOf(view, host, fip.networkId);
  const ext = view.subnets.get(fip.subnetId);
  if (!port || !net || !router?.adminStateUp || !legMac || !mac || zone === undefined || !segment || !ext || ext.networkId !== fip.networkId) return undefined;
  return {
    fipId: fip.id, address: fip.address, mac, fixedIp: a.fixedIpAddress, vmMac: port.macAddress, vni: net.vni, legMac, zone, segment,
    externalCidr: ext.cidr, externalGateway: ext.gatewayIp,
  };
}

function providerFlows(view: TopologyView, networkId: string, host: string): DesiredFlow[] {
  const seg = physicalSegmentOf(view, host, networkId);
  if (!seg) return [];
  return buildProviderFlows(seg);
}

function neighborFlows(view: TopologyView, id: string, host: string): DesiredFlow[] {
  const { networkId, ip } = neighborOfUnit(id);
  const n = externalOf(view).neighbors.get(networkId)?.get(ip);
  const seg = n && view.hosts.has(host) ? physicalSegmentOf(view, host, networkId) : undefined;
  return seg && n ? buildNeighborFlows(seg, ip, n.mac) : [];
}

function floatingIpFlows(view: TopologyView, fipId: string, host: string): DesiredFlow[] {
  const fip = externalOf(view).floatingIps.get(fipId);
  const nat = fip ? floatingIpNat(view, fip, host) : undefined;
  return nat ? buildFloatingIpFlows(nat) : [];
}

/** The flows of an external unit ('x:', 'e:' or 'f:') on a host; undefined for other units. */
export function externalUnitFlows(view: TopologyView, unit: string, host: string): DesiredFlow[] | undefined {
  if (unit.startsWith('x:')) return view.hosts.has(host) ? providerFlows(view, unit.slice(2), host) : [];
  if (unit.startsWith('e:')) return neighborFlows(view, unit.slice(2), host);
  if (unit.startsWith('f:')) return floatingIpFlows(view, unit.slice(2), host);
  return undefined;
}

/** The hosts where an external unit may have flows; undefined for other units. */
export function hostsOfExternalUnit(view: TopologyView, unit: string): string[] | undefined {
  const id = unit.slice(2);
  if (unit.startsWith('x:')) return [...view.hosts.keys()].filter((h) => hostMapsNetwork(view, h, id)).sort();
  if (unit.startsWith('e:')) {
    const { networkId } = neighborOfUnit(id);
    return [...view.hosts.keys()].filter((h) => hostMapsNetwork(view, h, networkId)).sort();
  }
  if (unit.startsWith('f:')) {
    const fip = externalOf(view).floatingIps.get(id);
    const h = fip ? natHostOf(view, fip) : undefined;
    return h === undefined ? [] : [h];
  }
  return undefined;
}

/** The provider networks' ids: the network index's set when the view has one, else every network filtered. */
function providerIds(view: TopologyView): Iterable<string> {
  return view.networkIndex?.providers ?? [...view.networks.keys()].filter((id) => providerOf(view, id));
}

/** The external units on a host. */
export function externalUnitsOfHost(view: TopologyView, host: string): string[] {
  const out: string[] = [];
  for (const id of providerIds(view)) if (hostMapsNetwork(view, host, id)) out.push(providerUnit(id), ...neighborUnitsOf(view, id));
  for (const id of floatingIpsNattedBy(view, host)) out.push(floatingIpUnit(id));
  return out;
}

/**
 * Floating IPs a host event (registration, bridge mappings) or its physical port may change: a floating
 * IP's NAT host is its VM's host or its router's gateway host (natHostOf) and it reads only that host's
 * mappings and ports, so those of VM ports bound there and of routers whose gateway is scheduled there
 * (called before and after the fold: a NAT host moving away is seen on one side). It was every floating IP.
 */
function floatingIpsOfHost(view: TopologyView, host: string): string[] {
  const x = externalOf(view);
  const out = new Set<string>();
  for (const pid of view.portsByHost.get(host) ?? []) for (const id of x.floatingIpsByPort.get(pid) ?? []) out.add(id);
  for (const rid of gatewaysOf(view).routersByHost.get(host) ?? []) for (const id of x.floatingIpsByRouter.get(rid) ?? []) out.add(id);
  return unitsOf(out);
}
/**
 * Provider and neighbor units of the provider networks a host maps: their flows on another host read
 * only that host's mappings and ports, so a host event changes no other (called before and after the
 * fold: a mapping gained or lost is seen on one side).
 */
const providersOfHost = (view: TopologyView, host: string): string[] =>
  [...providerIds(view)].filter((id) => hostMapsNetwork(view, host, id)).flatMap((id) => [providerUnit(id), ...neighborUnitsOf(view, id)]);
const unitsOf = (ids: Iterable<string> | undefined): string[] => (ids ? [...ids].map(floatingIpUnit) : []);

/**
 * Floating IPs whose flows read this network: those on it (external side: physical network, NAT host)
 * and those associated with a VM port on it (the overlay side: VNI). Through the indexes, whichever
 * is smaller of the network's ports and the associated ports of the cloud.
 */
function floatingIpsOfNetwork(view: TopologyView, networkId: string): string[] {
  const x = externalOf(view);
  const out = new Set<string>(x.floatingIpsByNetwork.get(networkId) ?? []);
  const ports = view.portsByNetwork.get(networkId);
  if (ports && ports.size <= x.floatingIpsByPort.size) {
    for (const pid of ports) for (const id of x.floatingIpsByPort.get(pid) ?? []) out.add(id);
  } else if (ports) {
    for (const [pid, ids] of x.floatingIpsByPort) if (ports.has(pid)) for (const id of ids) out.add(id);
  }
  return unitsOf(out);
}

/**
 * Floating IPs whose flows read this port: the floating IP port, the associated VM port, or an interface
 * of the router (through the external index's sets, not a pass over every floating IP per port event).
 */
function floatingIpsOfPort(view: TopologyView, portId: string): string[] {
  const x = externalOf(view);
  const out = new Set<string>();
  for (const id of x.floatingIpsByFloatingPort.get(portId) ?? []) out.add(id);
  for (const id of x.floatingIpsByPort.get(portId) ?? []) out.add(id);
  // only a router interface port can be a leg (touches run before and after the fold, so a port that
  // is one on either side is seen); only those look at the routers (few, and interface events are rare)
  if (view.ports.get(portId)?.deviceOwner === ROUTER_INTERFACE_OWNER) {
    for (const rid of routersWithPort(view, portId)) for (const id of x.floatingIpsByRouter.get(rid) ?? []) out.add(id);
  }
  return unitsOf(out);
}

/**
 * The external units an event may change, read from the view as it is (called before and after the
 * fold, like the other touches). Hosts and the physical ports touch the provider units (and their
 * neighbors) of the networks that host maps and the floating IPs it can NAT; networks, subnets, ports and routers touch only
 * the floating IPs that read them (a tenant network created in a cloud of 5000 floating IPs
 * recomputed all 5000 units).
 */
export function externalTouches(view: TopologyView, ev: TopologyEvent): string[] {
  switch (ev.type) {
    case 'NetworkCreated': case 'NetworkDeleted': case 'NetworkUpdated':
      return [providerUnit(ev.data.id), ...neighborUnitsOf(view, ev.data.id), ...floatingIpsOfNetwork(view, ev.data.id)];
    case 'SubnetCreated': case 'SubnetUpdated': case 'SubnetDeleted':
      // a floating IP reads only its own external subnet (CIDR, gateway) from the subnets
      return unitsOf(externalOf(view).floatingIpsBySubnet.get(ev.data.id));
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost':
      return floatingIpsOfPort(view, ev.data.id);
    case 'RouterCreated': case 'RouterUpdated': case 'RouterInterfaceAdded': case 'RouterInterfaceRemoved': case 'RouterDeleted':
    case 'RouterGatewaySet': case 'RouterGatewayCleared': case 'RouterGatewayHostScheduled': {
      const id = ev.data.id;
      const fips = unitsOf(externalOf(view).floatingIpsByRouter.get(id));
      // the gateway adds or removes the router's default route
      return ev.type === 'RouterGatewaySet' || ev.type === 'RouterGatewayCleared' ? [...fips, `r:${id}`] : fips;
    }
    case 'FloatingIpCreated': case 'FloatingIpAssociated': case 'FloatingIpDisassociated': case 'FloatingIpDeleted':
      return [floatingIpUnit(ev.data.id)];
    case 'ExternalNeighborObserved':
      return [neighborUnit(ev.data.networkId, ev.data.ip)];
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      return [...providersOfHost(view, ev.data.name), ...floatingIpsOfHost(view, ev.data.name)];
    case 'SwitchPortObserved': case 'SwitchPortRemoved': {
      const mappings = view.hosts.get(ev.data.host)?.bridgeMappings ?? {};
      return Object.values(mappings).includes(ev.data.name) ? [...providersOfHost(view, ev.data.host), ...floatingIpsOfHost(view, ev.data.host)] : [];
    }
    default:
      return [];
  }
}
