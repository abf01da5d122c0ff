// What a packet-in from the external tables means: a neighbor to record (ARP seen on a physical network) or one to ask for (neighbor miss).
//
// Pure apart from reading the view: the handler (./handler.ts) does the appends, packet-outs and rate limits.
import type { Action, PacketIn } from '../../../openflow/messages/types.ts';
import { physicalSegmentOf, providerOf } from '../../../projections/flows/externalUnits.ts';
import { onWire, providerMetadata } from '../../../projections/pipeline/stages/external.ts';
import { TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR } from '../../../projections/pipeline/tables.ts';
import { externalOf } from '../../../projections/topology/external.ts';
import { cidrContains, parseCidr, parseIp } from '../../domain/ip/address.ts';
import { subnetsOfNetwork, type NetworkIndex } from '../../../projections/topology/networkIndex.ts';
import type { PortView, TopologyView } from '../../../projections/topology/view.ts';
import { buildArpRequest, parseArp, parseIpv4Source } from './arpFrame.ts';

export type NeighborDecision =
  | { kind: 'learn'; networkId: string; ip: string; mac: string }
  | { kind: 'ask'; networkId: string; targetIp: string; frame: Buffer; actions: Action[] }
  | { kind: 'ignore'; reason: string };

const ZERO_IP = '0.0.0.0';
/** device_owner prefix of the ports Neutron itself owns (router gateways, floating IPs): not VMs. */
const NETWORK_OWNED = 'network:';
const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';
const ZERO_MAC = '00:00:00:00:00:00';
/** The I/G bit of the first MAC octet: multicast and broadcast senders are never neighbors. */
const GROUP_BIT = 0x01;

function matchValue(pi: PacketIn, field: 'metadata' | 'reg5' | 'in_port'): bigint | number | undefined {
  const o = pi.match.find((x) => x.field === field);
  return o && o.field === field ? (o.value as bigint | number) : undefined;
}

/** The provider network a metadata value names, by scanning every network (views built without the network index). */
export function providerByMetadataScan(view: TopologyView, metadata: bigint): string | undefined {
  for (const id of view.networks.keys()) if (providerOf(view, id) && providerMetadata(id) === metadata) return id;
  return undefined;
}

/** metadata -> provider networks with it, derived from a view's network index at one version of it. */
interface MetadataTable { index: NetworkIndex; version: number; byMetadata: Map<bigint, string[]> }
const metadataTables = new WeakMap<TopologyView, MetadataTable>();

function metadataTable(view: TopologyView, index: NetworkIndex): Map<bigint, string[]> {
  const t = metadataTables.get(view);
  if (t && t.index === index && t.version === index.providersVersion) return t.byMetadata;
  const byMetadata = new Map<bigint, string[]>();
  for (const id of index.providers) {
    const m = providerMetadata(id);
    const ids = byMetadata.get(m);
    if (ids) ids.push(id);
    else byMetadata.set(m, [id]);
  }
  metadataTables.set(view, { index, version: index.providersVersion, byMetadata });
  return byMetadata;
}

/**
 * The provider network a metadata value names. O(1) per packet-in: the table is rebuilt only when the
 * set of provider networks changed (a create or delete of one), not per frame.
 */
export function providerByMetadata(view: TopologyView, metadata: bigint): string | undefined {
  const index = view.networkIndex;
  if (!index) return providerByMetadataScan(view, metadata);
  const ids = metadataTable(view, index).get(metadata);
  // metadata carries 32 bits of the id: when two provider networks share it, the first in view order
  // wins, as in the scan (rare enough that the scan is the way to find it)
  return ids === undefined || ids.length === 1 ? ids?.[0] : providerByMetadataScan(view, metadata);
}

const ipNumberText = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');

/** Whether the address belongs on the network: inside one of its IPv4 subnets (a network without subnets takes any). */
export function onNetwork(view: TopologyView, networkId: string, ip: string): boolean {
  const address = parseIp(ip);
  let subnets = 0;
  for (const s of subnetsOfNetwork(view, networkId)) {
    if (s.ipVersion !== 4) continue;
    subnets += 1;
    const cidr = parseCidr(s.cidr);
    if (address && cidr && cidrContains(cidr, address)) return true;
  }
  return subnets === 0;
}

/**
 * A VM port of esdn's on the provider network holding the address (VMs bound directly on flat and VLAN
 * networks, projections/flows/providerPorts.ts): its MAC is in the log, it is no external neighbor.
 * A pass over the network's ports, only for ARP and misses of provider networks.
 */
export function vmPortAt(view: TopologyView, networkId: string, ip: string): PortView | undefined {
  for (const id of view.portsByNetwork.get(networkId) ?? []) {
    const p = view.ports.get(id);
    if (p && !p.deviceOwner.startsWith(NETWORK_OWNED) && p.fixedIps.some((f) => f.ipAddress === ip)) return p;
  }
  return undefined;
}

function learn(view: TopologyView, networkId: string, data: Buffer): NeighborDecision {
  const arp = parseArp(data);
  if (!arp.ok) return { kind: 'ignore', reason: `${arp.error.kind}: ${arp.error.detail}` };
  const { senderIp: ip, senderMac: mac } = arp.value;
  if (ip === ZERO_IP || mac === ZERO_MAC || mac === BROADCAST_MAC || (Number.parseInt(mac.slice(0, 2), 16) & GROUP_BIT) !== 0) {
    return { kind: 'ignore', reason: 'probe or group sender' };
  }
  if (!onNetwork(view, networkId, ip)) return { kind: 'ignore', reason: `${ip} is not on the network's subnets` };
  if (externalOf(view).neighbors.get(networkId)?.get(ip)?.mac === mac) return { kind: 'ignore', reason: 'already known' };
  // a VM of the network on another host, heard over the physical network: known from the log, not recorded
  // from every ARP it sends (it is recorded once something routes to it: see ask)
  if (vmPortAt(view, networkId, ip)?.macAddress === mac) return { kind: 'ignore', reason: 'an esdn VM port of the network' };
  return { kind: 'learn', networkId, ip, mac };
}

function ask(view: TopologyView, host: string, networkId: string, pi: PacketIn): NeighborDecision {
  const reg5 = matchValue(pi, 'reg5');
  const seg = physicalSegmentOf(view, host, networkId);
  if (typeof reg5 !== 'number' || reg5 === 0) return { kind: 'ignore', reason: 'no next hop in reg5' };
  if (!seg) return { kind: 'ignore', reason: 'the host does not reach the network' };
  const src = parseIpv4Source(pi.data);
  if (!src.ok) return { kind: 'ignore', reason: `${src.error.kind}: ${src.error.detail}` };
  const targetIp = ipNumberText(reg5);
  // routed to a VM of the network (a gateway or floating IP on it): its MAC comes from the log, no ARP asked
  const vm = vmPortAt(view, networkId, targetIp);
  if (vm) return { kind: 'learn', networkId, ip: targetIp, mac: vm.macAddress };
  return { kind: 'ask', networkId, targetIp, frame: buildArpRequest(src.value.mac, src.value.ip, targetIp), actions: onWire(seg, seg.ofport) };
}

/** The meaning of one packet-in on `host`'s switch; anything not from tables 30/67 of a provider network is ignored. */
export function decideNeighbor(pi: PacketIn, host: string, view: TopologyView): NeighborDecision {
  if (pi.tableId !== TABLE_EXT_INGRESS && pi.tableId !== TABLE_EXT_NEIGHBOR) return { kind: 'ignore', reason: 'not an external table' };
  const metadata = matchValue(pi, 'metadata');
  const networkId = typeof metadata === 'bigint' ? providerByMetadata(view, metadata) : undefined;
  if (networkId === undefined) return { kind: 'ignore', reason: 'metadata names no provider network' };
  return pi.tableId === TABLE_EXT_INGRESS ? learn(view, networkId, pi.data) : ask(view, host, networkId, pi);
}
