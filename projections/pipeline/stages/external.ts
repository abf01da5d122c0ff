// Stage "external" (tables 0, 30, 67): a provider network's physical port classified, its ARP learned, its neighbors reached.
//
// A flat network is the untagged traffic of the host's bridge_mappings port, a VLAN network the
// traffic tagged with its segmentation id (popped on the way in, pushed on the way out). Provider
// networks carry their own metadata number, with bit 32 set so it never equals a VNI (24 bits).
import { OFPCML_NO_BUFFER } from '../../../openflow/constants/actions.ts';
import { OFPP_CONTROLLER } from '../../../openflow/constants/ports.ts';
import type { Action } from '../../../openflow/messages/types.ts';
import { parseIp } from '../../../src/domain/ip/address.ts';
import { neighborCookie, providerCookie, resourceIdBits } from '../cookie.ts';
import {
  ARP_OP_REPLY, ARP_OP_REQUEST, ETH_TYPE_ARP, ETH_TYPE_IPV4, IPV4_BITS, MAC_BITS, OFPP_IN_PORT, applyActions, flow, gotoOnly, gotoTable, m, move, output,
  setField, writeMetadata, type DesiredFlow,
} from '../flow.ts';
import { TABLE_CLASSIFY, TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR, TABLE_LOCAL_DELIVERY } from '../tables.ts';
import { PRIORITY_CLASSIFY } from './classification.ts';

/** Set in every provider network's metadata: VNIs are 24 bits, so the two number spaces never meet. */
export const PROVIDER_METADATA_FLAG = 1n << 32n;
const LOW_32 = 0xffff_ffffn;
/** OFPVID_PRESENT (OpenFlow 1.3.5 section 7.2.3.8): a tag is present; OFPVID_NONE (0) = untagged. */
export const OFPVID_PRESENT = 0x1000;
export const OFPVID_NONE = 0;
/** IEEE 802.1Q TPID. */
export const ETH_TYPE_VLAN = 0x8100;

export const PRIORITY_EXT_ARP_ANSWER = 100;
export const PRIORITY_EXT_ARP_LEARN = 10;
/** The rest of the physical network's traffic: to local delivery, where VM ports on the network take it (ingress security groups apply). */
export const PRIORITY_EXT_TO_VMS = 1;
export const PRIORITY_NEIGHBOR = 100;
export const PRIORITY_NEIGHBOR_MISS = 1;
/** The register holding the external next hop between tables 66 and 67 (as routing's next hop in 62/63). */
export const REG_EXT_NEXT_HOP = 'reg5' as const;

/** The metadata of a provider network. */
export const providerMetadata = (networkId: string): bigint => PROVIDER_METADATA_FLAG | (resourceIdBits(networkId) & LOW_32);

/** A provider network as one host reaches it. */
export interface PhysicalSegment {
  networkId: string;
  /** the host's bridge_mappings port for the network's physical network */
  ofport: number;
  /** VLAN id for a VLAN network, null for flat */
  vlan: number | null;
}

export const ipv4Number = (ip: string): number => Number(parseIp(ip)?.value ?? 0n);

const toController: Action = { type: 'output', port: OFPP_CONTROLLER, maxLen: OFPCML_NO_BUFFER };

/** The actions that put a packet on the segment's wire (tag first for VLAN), out `port`. */
export function onWire(seg: PhysicalSegment, port: number): Action[] {
  const tag: Action[] = seg.vlan === null ? [] : [{ type: 'push_vlan', ethertype: ETH_TYPE_VLAN }, setField('vlan_vid', OFPVID_PRESENT | seg.vlan)];
  return [...tag, output(port)];
}

/** Classify (table 0) the segment's traffic on its physical port, ARP to the controller for learning (30), unknown neighbors to the controller (67). */
export function buildProviderFlows(seg: PhysicalSegment): DesiredFlow[] {
  const meta = m('metadata', providerMetadata(seg.networkId));
  const vid = seg.vlan === null ? OFPVID_NONE : OFPVID_PRESENT | seg.vlan;
  const pop: Action[] = seg.vlan === null ? [] : [{ type: 'pop_vlan' }];
  return [
    flow(TABLE_CLASSIFY, PRIORITY_CLASSIFY, [m('in_port', seg.ofport), m('vlan_vid', vid)],
      [...(pop.length > 0 ? [applyActions(pop)] : []), writeMetadata(providerMetadata(seg.networkId)), gotoTable(TABLE_EXT_INGRESS)],
      providerCookie('classify', seg.networkId)),
    // ARP is learned and, like everything else nothing above claimed, goes on to the network's VM ports (stages/providerL2.ts)
    flow(TABLE_EXT_INGRESS, PRIORITY_EXT_ARP_LEARN, [meta, m('eth_type', ETH_TYPE_ARP)], [applyActions([toController]), gotoTable(TABLE_LOCAL_DELIVERY)],
      providerCookie('external', seg.networkId)),
    flow(TABLE_EXT_INGRESS, PRIORITY_EXT_TO_VMS, [meta], gotoOnly(TABLE_LOCAL_DELIVERY), providerCookie('external', seg.networkId)),
    flow(TABLE_EXT_NEIGHBOR, PRIORITY_NEIGHBOR_MISS, [meta, m('eth_type', ETH_TYPE_IPV4)], [applyActions([toController])], providerCookie('external', seg.networkId)),
  ];
}

/** A learned neighbor: packets with it as next hop get its MAC and leave by the physical port. */
export function buildNeighborFlows(seg: PhysicalSegment, ip: string, mac: string): DesiredFlow[] {
  if (parseIp(ip)?.version !== 4) return [];
  return [flow(TABLE_EXT_NEIGHBOR, PRIORITY_NEIGHBOR,
    [m('metadata', providerMetadata(seg.networkId)), m('eth_type', ETH_TYPE_IPV4), m(REG_EXT_NEXT_HOP, ipv4Number(ip))],
    [applyActions([setField('eth_dst', mac), ...onWire(seg, seg.ofport)])], neighborCookie(seg.networkId, ip))];
}

/**
 * ARP requests from the physical network for an address this host answers (a floating IP, a router
 * gateway): a copy to the controller first (the asker is a neighbor worth learning), then the reply
 * in place, tagged again on a VLAN network, back out the port it came from.
 */
export function buildExternalArpAnswer(seg: PhysicalSegment, ip: string, mac: string, cookie: bigint): DesiredFlow {
  return flow(TABLE_EXT_INGRESS, PRIORITY_EXT_ARP_ANSWER,
    [m('metadata', providerMetadata(seg.networkId)), m('eth_type', ETH_TYPE_ARP), m('arp_op', ARP_OP_REQUEST), m('arp_tpa', ip)],
    [applyActions([
      toController,
      move('eth_src', 'eth_dst', MAC_BITS), setField('eth_src', mac), setField('arp_op', ARP_OP_REPLY),
      move('arp_sha', 'arp_tha', MAC_BITS), move('arp_spa', 'arp_tpa', IPV4_BITS), setField('arp_sha', mac), setField('arp_spa', ip),
      ...onWire(seg, OFPP_IN_PORT),
    ])], cookie);
}
