// A subnet's attributes as recorded in events, and its state in the world (with its IP allocations).
import type { PMap } from '../pmap.ts';
import type { IpVersion } from '../ip/address.ts';

export interface AllocationPool {
  start: string;
  end: string;
}

export interface HostRoute {
  destination: string;
  nexthop: string;
}

export interface SubnetAttrs {
  id: string;
  projectId: string;
  networkId: string;
  name: string;
  description: string;
  ipVersion: IpVersion;
  /** Canonical text, host bits zero. */
  cidr: string;
  gatewayIp: string | null;
  allocationPools: AllocationPool[];
  enableDhcp: boolean;
  dnsNameservers: string[];
  hostRoutes: HostRoute[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export type SubnetChanges = Partial<
  Pick<SubnetAttrs, 'name' | 'description' | 'gatewayIp' | 'allocationPools' | 'enableDhcp' | 'dnsNameservers' | 'hostRoutes'>
>;

/** A pool as numbers, parsed once when the subnet is created or updated. */
export interface PoolRange {
  start: bigint;
  end: bigint;
}

export interface SubnetState extends SubnetAttrs {
  revision: number;
  pools: readonly PoolRange[];
  /** Canonical IP text -> port id. */
  allocations: PMap<string, string>;
  /** Where the next automatic allocation starts looking: every free pool address is at or after it, or in `freed`. */
  nextHint: bigint;
  /** Pool addresses released behind the cursor (canonical text). */
  freed: PMap<string, true>;
  /** Allocations inside the pools: a full pool is refused without scanning it. */
  poolAllocated: number;
}
