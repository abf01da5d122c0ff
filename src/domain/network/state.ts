// A network's attributes as recorded in events, and its state in the world (with its indexes).
import type { PMap } from '../pmap.ts';

export type NetworkType = 'vxlan' | 'vlan' | 'flat';

/** The one segment of a network (Neutron's provider attributes). */
export interface Segment {
  networkType: NetworkType;
  /** null for vxlan. */
  physicalNetwork: string | null;
  /** VNI for vxlan, VLAN id for vlan, null for flat. */
  segmentationId: number | null;
}

export interface NetworkAttrs {
  id: string;
  projectId: string;
  name: string;
  description: string;
  adminStateUp: boolean;
  shared: boolean;
  /** Neutron's router:external. */
  external: boolean;
  mtu: number;
  /** Default for the network's ports. */
  portSecurityEnabled: boolean;
  segment: Segment;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** What PUT may change. */
export type NetworkChanges = Partial<Pick<NetworkAttrs, 'name' | 'description' | 'adminStateUp' | 'shared' | 'external' | 'mtu' | 'portSecurityEnabled'>>;

export interface NetworkState extends NetworkAttrs {
  revision: number;
  subnetIds: readonly string[];
  /** port id -> device_owner: NetworkInUse needs owners, ports per network need the ids. */
  ports: PMap<string, string>;
  /** MAC address -> port id: MACs are unique per network. */
  macs: PMap<string, string>;
}
