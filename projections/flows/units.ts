// Flow units: the smallest groups of flows that one resource decides on one switch (a port, a network, a host).
//
// Every desired flow of a switch belongs to exactly one unit: 'h:<host>' (pipeline defaults),
// 'n:<network>' (tunnel classification and flooding), 'p:<port>' (the port's own flows on its host,
// and its MAC/ARP entries on other hosts of its network), 'q:<port>' (its routed next hops), 'a:<host>'
// and 'm:<host>|<address>' (remote-group conjunctions, one address's clause per unit), and the
// L3 units 'r:', 'g:', 'x:', 'f:'. Incremental updates recompute only the units an event touches; a full recompute is the union of all units. When two units want the same
// key (e.g. two ports claiming one IP), the smallest unit key wins, in both modes.
import { buildArpResponderFlows } from '../pipeline/stages/arpResponder.ts';
import { buildPortClassifyFlows, buildTunnelClassifyFlows } from '../pipeline/stages/classification.ts';
import { buildDefaultFlows } from '../pipeline/stages/defaults.ts';
import { buildFloodChunkFlow, floodStepChunk, planFloodSteps, type FloodStep } from '../pipeline/stages/flood.ts';
import { buildLocalDeliveryFlows, buildRemoteL2Flows } from '../pipeline/stages/l2Forwarding.ts';
import { buildPortSecurityFlows } from '../pipeline/stages/portSecurity.ts';
import { buildSecurityGroupHostFlows, buildSecurityGroupPortFlows } from '../pipeline/stages/securityGroups.ts';
import { buildDhcpHostFlows } from '../pipeline/stages/dhcp.ts';
import { hostsOfRouter, routerFlows, routerUnitsOfHost } from './routerUnit.ts';
import { externalUnitFlows, externalUnitsOfHost, hostsOfExternalUnit } from './externalUnits.ts';
import { gatewayUnitFlows, gatewayUnitsOfHost, hostsOfGatewayUnit } from './gatewayUnit.ts';
import { hostsOfNextHopUnit, nextHopUnitFlows, nextHopUnitsOfHost } from './nextHopUnit.ts';
import { isProviderL2Network, placedProviderPort, providerNetworkFlows, providerPortFlows } from './providerPorts.ts';
import { buildAddressFlows, buildConjunctionFlows } from '../pipeline/stages/remoteGroups.ts';
import { groupHasAddress, memberAddressesOnHost, remoteRulesInForce, resolvedRulesOfPort } from '../topology/securityGroups.ts';

/** The shared remote-group conjunction flows of one host (security groups, issue 5). */
export const addressSetUnit = (host: string): UnitKey => `a:${host}`;
/** Clause 2 of the remote-group rules in force on a host for one member address (canonical text). */
export const memberAddressUnit = (host: string, address: string): UnitKey => `m:${host}|${address}`;
/** The host of an 'm:' unit id (host names hold no '|'). */
const memberUnitHost = (id: string): string => id.slice(0, id.indexOf('|'));

function memberAddressFlows(view: TopologyView, id: string, host: string): DesiredFlow[] {
  if (memberUnitHost(id) !== host || !view.hosts.has(host)) return [];
  const address = id.slice(host.length + 1);
  return buildAddressFlows(host, address, remoteRulesInForce(view, host).filter((r) => groupHasAddress(view, r.remoteGroupId ?? '', address)));
}
import { flowKey, type DesiredFlow } from '../pipeline/flow.ts';
import {
  hostInNetwork, hostsOfNetwork, networksOnHost, ofportOfPort, overlayNetworkOf, tunnelIpOf, tunnelOfport,
} from '../topology/queries.ts';
import type { PortView, TopologyView } from '../topology/view.ts';

export type UnitKey = string;
export const hostUnit = (host: string): UnitKey => `h:${host}`;
export const networkUnit = (networkId: string): UnitKey => `n:${networkId}`;
export const portUnit = (portId: string): UnitKey => `p:${portId}`;

/** A port takes part in the overlay when its network is VXLAN and it is bound to a registered host. */
function placedPort(view: TopologyView, portId: string): { port: PortView; vni: number } | undefined {
  const port = view.ports.get(portId);
  if (!port || port.hostId === '' || !view.hosts.has(port.hostId)) return undefined;
  const net = overlayNetworkOf(view, port);
  return net ? { port, vni: net.vni } : undefined;
}

function portFlows(view: TopologyView, portId: string, host: string): DesiredFlow[] {
  const p = view.ports.get(portId);
  if (p && isProviderL2Network(view, p.networkId)) return providerPortFlows(view, portId, host);
  const placed = placedPort(view, portId);
  if (!placed || !hostInNetwork(view, placed.port.networkId, host)) return [];
  const { port, vni } = placed;
  const flows = buildArpResponderFlows(port, vni);
  if (port.hostId === host) {
    const ofport = ofportOfPort(view, port);
    if (ofport !== undefined && port.adminStateUp) {
      flows.push(...buildPortClassifyFlows(port.id, ofport, vni), ...buildPortSecurityFlows(port, ofport),
        ...buildLocalDeliveryFlows(port, vni, ofport), ...buildSecurityGroupPortFlows(port, vni, ofport, resolvedRulesOfPort(view, port)));
    }
  } else {
    const remoteIp = tunnelIpOf(view, port.hostId);
    const tunnel = tunnelOfport(view, host);
    if (remoteIp !== undefined && tunnel !== undefined) flows.push(...buildRemoteL2Flows(port, vni, remoteIp, tunnel));
  }
  return flows;
}

/** A built flood flow and the step it was built from. */
interface BuiltStep { step: FloodStep; flow: DesiredFlow; key: string }

/**
 * Built flood flows per view and (network, host), by the step's place in the chain: a step whose
 * outputs did not change keeps its flow object (the diff skips it by identity) and is not expanded or
 * built again; one port more or less rebuilds the one or two steps holding its range. The plan itself
 * is one pass over the local ports, numbers only (at 5000 ports the chunk texts and copy objects of
 * every step, built on each port event, were ~2 ms of CPU).
 */
const floodMemo = new WeakMap<TopologyView, Map<string, Map<string, BuiltStep>>>();

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

function networkFlows(view: TopologyView, networkId: string, host: string): Map<string, DesiredFlow> {
  if (isProviderL2Network(view, networkId)) return providerNetworkFlows(view, networkId, host);
  const net = view.networks.get(networkId);
  if (!net || net.vni === null || !hostInNetwork(view, networkId, host)) return new Map();
  const tunnel = tunnelOfport(view, host);
  const local = view.floodPorts.get(networkId)?.get(host)?.values() ?? [];
  const remote = new Set<string>();
  for (const h of hostsOfNetwork(view, networkId)) {
    const ip = h === host ? undefined : tunnelIpOf(view, h);
    if (ip !== undefined) remote.add(ip);
  }
  let memo = floodMemo.get(view);
  if (!memo) floodMemo.set(view, (memo = new Map()));
  const memoKey = `${networkId}|${host}`;
  const prev = memo.get(memoKey);
  const built = new Map<string, BuiltStep>();
  const out = new Map<string, DesiredFlow>();
  const add = (f: DesiredFlow) => { const k = flowKey(f); if (!out.has(k)) out.set(k, f); };
  if (tunnel !== undefined) buildTunnelClassifyFlows(net.vni, tunnel).forEach(add);
  for (const step of planFloodSteps(local, [...remote].sort(), tunnel)) {
    const place = `${net.vni}|${tunnel}|${step.priority}|${step.inPort}|${step.id}|${step.next}`;
    const had = prev?.get(place);
    const reuse = had !== undefined && sameList(had.step.local, step.local) && sameList(had.step.remote, step.remote);
    let b = had;
    if (!reuse) { const f = buildFloodChunkFlow(net.vni, floodStepChunk(step), tunnel); b = { step, flow: f, key: flowKey(f) }; }
    built.set(place, b!);
    if (!out.has(b!.key)) out.set(b!.key, b!.flow);
  }
  memo.set(memoKey, built);
  return out;
}

/** The flows one unit wants on one switch, keyed (first flow wins inside a unit). */
export function unitFlows(view: TopologyView, unit: UnitKey, host: string): Map<string, DesiredFlow> {
  const id = unit.slice(2);
  let flows: DesiredFlow[] = [];
  if (unit.startsWith('h:')) flows = id === host && view.hosts.has(host) ? [...buildDefaultFlows(host), ...buildSecurityGroupHostFlows(host), ...buildDhcpHostFlows(host)] : [];
  else if (unit.startsWith('n:')) return networkFlows(view, id, host);
  else if (unit.startsWith('p:')) flows = portFlows(view, id, host);
  else if (unit.startsWith('r:')) flows = routerFlows(view, id, host);
  else if (unit.startsWith('q:')) flows = nextHopUnitFlows(view, id, host);
  else if (unit.startsWith('a:')) flows = id === host && view.hosts.has(host) ? buildConjunctionFlows(host, remoteRulesInForce(view, host)) : [];
  else if (unit.startsWith('m:')) flows = memberAddressFlows(view, id, host);
  else if (unit.startsWith('g:')) flows = gatewayUnitFlows(view, id, host);
  else flows = externalUnitFlows(view, unit, host) ?? [];
  const out = new Map<string, DesiredFlow>();
  for (const f of flows) {
    const k = flowKey(f);
    if (!out.has(k)) out.set(k, f);
  }
  return out;
}

/** The hosts on which a unit may have flows now. */
export function hostsOfUnit(view: TopologyView, unit: UnitKey): string[] {
  const id = unit.slice(2);
  if (unit.startsWith('h:')) return view.hosts.has(id) ? [id] : [];
  if (unit.startsWith('n:')) return view.networks.get(id)?.vni == null && !isProviderL2Network(view, id) ? [] : hostsOfNetwork(view, id);
  if (unit.startsWith('r:')) return hostsOfRouter(view, id);
  if (unit.startsWith('q:')) return hostsOfNextHopUnit(view, id);
  if (unit.startsWith('a:')) return view.hosts.has(id) ? [id] : [];
  if (unit.startsWith('m:')) { const h = memberUnitHost(id); return view.hosts.has(h) ? [h] : []; }
  if (unit.startsWith('g:')) return hostsOfGatewayUnit(view, id);
  const external = hostsOfExternalUnit(view, unit);
  if (external) return external;
  const placed = placedPort(view, id) ?? placedProviderPort(view, id);
  return placed ? hostsOfNetwork(view, placed.port.networkId) : [];
}

/** Every unit that may have flows on a host, sorted (the order that decides key conflicts). */
export function unitsOfHost(view: TopologyView, host: string): UnitKey[] {
  if (!view.hosts.has(host)) return [];
  const units = [hostUnit(host)];
  for (const nid of networksOnHost(view, host)) {
    units.push(networkUnit(nid));
    for (const pid of view.portsByNetwork.get(nid) ?? []) units.push(portUnit(pid));
  }
  for (const a of memberAddressesOnHost(view, host)) units.push(memberAddressUnit(host, a));
  units.push(...routerUnitsOfHost(view, host, networksOnHost(view, host)), addressSetUnit(host), ...externalUnitsOfHost(view, host), ...gatewayUnitsOfHost(view, host), ...nextHopUnitsOfHost(view, host));
  return units.sort();
}
