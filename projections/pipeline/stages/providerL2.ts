// Stage "provider L2" (tables 60 and 80): VM ports directly on a provider network (flat or VLAN), whose underlay is the physical network.
//
// A VM port on a provider network goes through the same tables as one on a tenant network (classify,
// port security, ARP responder, security groups, local delivery), with the provider network's metadata
// (stages/external.ts providerMetadata) instead of a VNI. What differs is the way to other hosts: not
// VXLAN but the host's bridge_mappings port, the VLAN tag pushed on the way out (popped by the
// provider classify flow on the way in). Per network and host: unknown unicast from a VM goes only out
// the physical port (no local VM sees it), broadcast and multicast to the local ports of the network
// and once out the physical port; what came in from the physical port goes to local ports only.
import type { PortView } from '../../topology/view.ts';
import { portCookie, providerCookie } from '../cookie.ts';
import { applyActions, flow, m, output, resubmit, setField, type DesiredFlow } from '../flow.ts';
import { TABLE_FLOOD, TABLE_L2_LOOKUP } from '../tables.ts';
import { planFloodSteps, type FloodStep } from './flood.ts';
import { onWire, providerMetadata, type PhysicalSegment } from './external.ts';
import { PRIORITY_MAC } from './l2Forwarding.ts';
import type { Action } from '../../../openflow/messages/types.ts';

/** Between flooding from anywhere (50) and flooding what came in from the physical port (60). */
export const PRIORITY_UNICAST_TO_WIRE = 55;
/** The I/G bit: set for broadcast and multicast destinations. */
const GROUP_MAC_BIT = '01:00:00:00:00:00';
const UNICAST_MAC = '00:00:00:00:00:00';

/** Unicast to a VM port of the network on another host: out this host's physical port (tagged on VLAN). */
export function buildProviderRemoteL2Flows(port: PortView, seg: PhysicalSegment): DesiredFlow[] {
  return [flow(TABLE_L2_LOOKUP, PRIORITY_MAC, [m('metadata', providerMetadata(seg.networkId)), m('eth_dst', port.macAddress)],
    [applyActions([...onWire(seg, seg.ofport)])], portCookie('l2_lookup', port.id))];
}

/**
 * The network's flooding on one host with VM ports of it: the chain of ./flood.ts over the local
 * ports, with the physical port as its one "remote" copy (the last step of the chain, so the VLAN tag
 * pushed for it never reaches a local port), split horizon for what came in by the physical port, and
 * unknown unicast from VMs straight to the physical port.
 */
export function buildProviderFloodFlows(seg: PhysicalSegment, localOfports: Iterable<number>): DesiredFlow[] {
  return [buildUnicastToWireFlow(seg), ...planProviderFloodSteps(seg, localOfports).map((step) => buildProviderFloodStepFlow(seg, step))];
}

/** Unknown unicast from a VM: out the physical port only. */
export function buildUnicastToWireFlow(seg: PhysicalSegment): DesiredFlow {
  return flow(TABLE_FLOOD, PRIORITY_UNICAST_TO_WIRE, [m('metadata', providerMetadata(seg.networkId)), m('eth_dst', UNICAST_MAC, GROUP_MAC_BIT)],
    [applyActions(onWire(seg, seg.ofport))], providerCookie('flood', seg.networkId));
}

/** The flood chain unexpanded (./flood.ts planFloodSteps, the physical port as the one remote copy). */
export function planProviderFloodSteps(seg: PhysicalSegment, localOfports: Iterable<number>): FloodStep[] {
  return planFloodSteps(localOfports, ['wire'], seg.ofport);
}

/** One step of the chain as a flow. */
export function buildProviderFloodStepFlow(seg: PhysicalSegment, step: FloodStep): DesiredFlow {
  const actions: Action[] = step.local.map((p) => output(p));
  if (step.remote.length > 0) actions.push(...onWire(seg, seg.ofport));
  if (step.next !== null) actions.push(setField('reg6', step.next), resubmit(TABLE_FLOOD));
  const match = [m('metadata', providerMetadata(seg.networkId)), m('reg6', step.id)];
  if (step.inPort !== undefined) match.unshift(m('in_port', step.inPort));
  return flow(TABLE_FLOOD, step.priority, match, [applyActions(actions)], providerCookie('flood', seg.networkId));
}
