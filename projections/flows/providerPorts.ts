// The 'p:' and 'n:' units of VM ports directly on a provider network (flat or VLAN): L2 through each host's bridge_mappings port.
//
// Same units as on a tenant network (./units.ts calls these for provider networks): a port's own flows
// on its host, its MAC and ARP entries on the other hosts of its network, the network's flooding per
// host. A host reaches the network only through its bridge_mappings port for the physical network,
// seen on its switch (physicalSegmentOf): a port bound to a host without it has no flows at all, so it
// is never confirmed and stays DOWN (binding:vif_type binding_failed, src/domain/port/view.ts), and no
// other host sends it anything. Ports that routers and floating IPs own ('network:*') are the external
// side's (./externalUnits.ts), not VM ports.
import { buildArpResponderFlows } from '../pipeline/stages/arpResponder.ts';
import { buildPortClassifyFlows } from '../pipeline/stages/classification.ts';
import { providerMetadata, type PhysicalSegment } from '../pipeline/stages/external.ts';
import { buildLocalDeliveryFlows } from '../pipeline/stages/l2Forwarding.ts';
import { buildPortSecurityFlows } from '../pipeline/stages/portSecurity.ts';
import { buildProviderFloodStepFlow, buildProviderRemoteL2Flows, buildUnicastToWireFlow, planProviderFloodSteps } from '../pipeline/stages/providerL2.ts';
import { buildSecurityGroupPortFlows } from '../pipeline/stages/securityGroups.ts';
import { flowKey, type DesiredFlow } from '../pipeline/flow.ts';
import { hostInNetwork, ofportOfPort } from '../topology/queries.ts';
import { resolvedRulesOfPort } from '../topology/securityGroups.ts';
import type { PortView, TopologyView } from '../topology/view.ts';
import { physicalSegmentOf, providerOf } from './externalUnits.ts';

/** device_owner prefix of the ports Neutron itself owns (router gateways and interfaces, floating IPs, DHCP). */
const NETWORK_OWNED = 'network:';

/** Whether the network is a provider network (flat, or VLAN with its id) whose ports these units wire. */
export const isProviderL2Network = (view: TopologyView, networkId: string): boolean => providerOf(view, networkId) !== undefined;

/** A VM port on a provider network, bound to a registered host that reaches the network: the port and that host's segment. */
export function placedProviderPort(view: TopologyView, portId: string): { port: PortView; seg: PhysicalSegment } | undefined {
  const port = view.ports.get(portId);
  if (!port || port.hostId === '' || !view.hosts.has(port.hostId) || port.deviceOwner.startsWith(NETWORK_OWNED)) return undefined;
  const seg = physicalSegmentOf(view, port.hostId, port.networkId);
  return seg ? { port, seg } : undefined;
}

/** The flows of a provider network's VM port on `host`: its own on its host, its MAC and ARP entries on the other hosts that reach the network. */
export function providerPortFlows(view: TopologyView, portId: string, host: string): DesiredFlow[] {
  const placed = placedProviderPort(view, portId);
  if (!placed || !hostInNetwork(view, placed.port.networkId, host)) return [];
  const { port } = placed;
  const meta = providerMetadata(port.networkId);
  if (port.hostId !== host) {
    const here = physicalSegmentOf(view, host, port.networkId);
    return here ? [...buildArpResponderFlows(port, meta), ...buildProviderRemoteL2Flows(port, here)] : [];
  }
  const flows = buildArpResponderFlows(port, meta);
  const ofport = ofportOfPort(view, port);
  if (ofport !== undefined && port.adminStateUp) {
    flows.push(...buildPortClassifyFlows(port.id, ofport, meta), ...buildPortSecurityFlows(port, ofport),
      ...buildLocalDeliveryFlows(port, meta, ofport), ...buildSecurityGroupPortFlows(port, meta, ofport, resolvedRulesOfPort(view, port)));
  }
  return flows;
}

/** A built chain step and what it was built from (physical port, VLAN, place in the chain, outputs). */
interface BuiltStep { place: string; local: readonly number[]; flow: DesiredFlow; key: string }

/**
 * Built chain flows per view and (network, host), as ./units.ts floodMemo for tenant networks: a step
 * whose outputs did not change keeps its flow object (the diff skips it by identity), so one port more
 * or less rebuilds the step holding its range, not the chain. With the flood ports read as they are
 * (no lookup of each port), one more port at 5000 on a host costs what it costs on a VXLAN network
 * (bench/portFold.bench.ts --networks=vlan: 0.8 ms of CPU per SwitchPortObserved; 2.2 ms with the lookups,
 * 3.2 ms at 1000 ports without the memo).
 */
const floodMemo = new WeakMap<TopologyView, Map<string, Map<string, BuiltStep>>>();

const sameNumbers = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The flooding of a provider network on `host` (keyed), when the host reaches it and has VM ports of it on the switch. */
export function providerNetworkFlows(view: TopologyView, networkId: string, host: string): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  if (!hostInNetwork(view, networkId, host)) return out;
  const seg = physicalSegmentOf(view, host, networkId);
  if (!seg) return out;
  // flood ports are the network's ports bound here, admin up, with an interface on the switch (as on tenant networks)
  const ports = view.floodPorts.get(networkId)?.get(host);
  if (!ports || ports.size === 0) return out;
  const local = ports.values();
  let memo = floodMemo.get(view);
  if (!memo) floodMemo.set(view, (memo = new Map()));
  const key = `${networkId}|${host}`;
  const prev = memo.get(key);
  const built = new Map<string, BuiltStep>();
  const unicast = buildUnicastToWireFlow(seg);
  out.set(flowKey(unicast), unicast);
  for (const step of planProviderFloodSteps(seg, local)) {
    const place = `${seg.ofport}|${seg.vlan}|${step.priority}|${step.inPort}|${step.id}|${step.next}|${step.remote.length}`;
    const had = prev?.get(place);
    let b = had;
    if (!b || !sameNumbers(b.local, step.local)) {
      const f = buildProviderFloodStepFlow(seg, step);
      b = { place, local: step.local, flow: f, key: flowKey(f) };
    }
    built.set(place, b);
    if (!out.has(b.key)) out.set(b.key, b.flow);
  }
  memo.set(key, built);
  return out;
}

/** Whether a provider network's VM port has its own flows on its host (portStatus: ACTIVE once they are confirmed). */
export function providerPortWired(view: TopologyView, port: PortView): boolean {
  return port.adminStateUp && placedProviderPort(view, port.id) !== undefined && ofportOfPort(view, port) !== undefined;
}
