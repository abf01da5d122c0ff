// Per-network indexes of the view: which networks are provider networks, and each network's subnets (per-packet-in lookups).
//
// Folded in place with the rest of the view (./view.ts). Neighbor learning reads both for every ARP
// packet-in from a physical network: a scan of every network and subnet there cost O(cloud) per frame.
import type { SubnetInput } from './inputs.ts';
import type { NetworkView, TopologyView } from './view.ts';

export interface NetworkIndex {
  /** ids of the provider networks (flat, or VLAN with a segmentation id) */
  providers: Set<string>;
  /** bumped whenever `providers` changes, so readers may cache what they derive from it */
  providersVersion: number;
  /** network id -> ids of its subnets (any IP version) */
  subnetsByNetwork: Map<string, Set<string>>;
}

export function emptyNetworkIndex(): NetworkIndex {
  return { providers: new Set(), providersVersion: 0, subnetsByNetwork: new Map() };
}

/** The view's network index for folding: created on first use when a view was built without it. */
export function networkIndexFor(view: TopologyView): NetworkIndex {
  return (view.networkIndex ??= emptyNetworkIndex());
}

/** Whether the network lives on a physical network: flat, or VLAN with its VLAN id (as projections/flows/externalUnits.ts providerOf). */
export function isProviderNetwork(n: NetworkView): boolean {
  if (!n.physicalNetwork) return false;
  return n.networkType === 'flat' || (n.networkType === 'vlan' && typeof n.segmentationId === 'number');
}

/**
 * A network was created (next) or deleted (undefined). The set's order is not always view.networks'
 * (a network created again as a provider keeps its old place in the map): readers that need the
 * view's order, on a metadata collision, take it from view.networks.
 */
export function indexNetwork(x: NetworkIndex, id: string, next: NetworkView | undefined): void {
  const was = x.providers.has(id);
  const is = next !== undefined && isProviderNetwork(next);
  if (is) x.providers.add(id);
  else x.providers.delete(id);
  if (was !== is) x.providersVersion += 1;
}

/** A subnet was created, replaced or deleted: old and next are the view's subnet before and after. */
export function indexSubnet(x: NetworkIndex, old: SubnetInput | undefined, next: SubnetInput | undefined): void {
  if (old) {
    const set = x.subnetsByNetwork.get(old.networkId);
    set?.delete(old.id);
    if (set?.size === 0) x.subnetsByNetwork.delete(old.networkId);
  }
  if (next) {
    let set = x.subnetsByNetwork.get(next.networkId);
    if (!set) x.subnetsByNetwork.set(next.networkId, (set = new Set()));
    set.add(next.id);
  }
}

/** The subnets of a network (any IP version); a view built without the index is scanned. */
export function subnetsOfNetwork(view: TopologyView, networkId: string): SubnetInput[] {
  const out: SubnetInput[] = [];
  if (!view.networkIndex) {
    for (const s of view.subnets.values()) if (s.networkId === networkId) out.push(s);
    return out;
  }
  for (const id of view.networkIndex.subnetsByNetwork.get(networkId) ?? []) {
    const s = view.subnets.get(id);
    if (s) out.push(s);
  }
  return out;
}
