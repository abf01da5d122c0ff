// Intents about subnets, as the API hands them to the decider.
import type { Principal } from '../principal.ts';
import type { AllocationPool, HostRoute } from './state.ts';

/** The attributes a subnet create or update may set. */
export interface SubnetAttributes {
  name?: string;
  description?: string;
  /** create: undefined is the first host address; null: no gateway. */
  gatewayIp?: string | null;
  allocationPools?: AllocationPool[];
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  hostRoutes?: HostRoute[];
}

export interface CreateSubnet extends SubnetAttributes {
  type: 'CreateSubnet';
  actor: Principal;
  at: string;
  id: string;
  networkId: string;
  cidr: string;
  ipVersion?: 4 | 6;
  projectId?: string;
  tags?: string[];
}

export interface UpdateSubnet extends SubnetAttributes {
  type: 'UpdateSubnet';
  actor: Principal;
  at: string;
  id: string;
}

export interface DeleteSubnet {
  type: 'DeleteSubnet';
  actor: Principal;
  at: string;
  id: string;
}

export type SubnetCommand = CreateSubnet | UpdateSubnet | DeleteSubnet;
