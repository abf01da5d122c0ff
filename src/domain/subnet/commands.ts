// Intents about subnets, as the API hands them to the decider.
import type { Principal } from '../principal.ts';
import type { AllocationPool, HostRoute } from './state.ts';

export interface CreateSubnet {
  type: 'CreateSubnet';
  actor: Principal;
  at: string;
  id: string;
  networkId: string;
  cidr: string;
  ipVersion?: 4 | 6;
  projectId?: string;
  name?: string;
  description?: string;
  /** undefined: the first host address; null: no gateway. */
  gatewayIp?: string | null;
  allocationPools?: AllocationPool[];
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  hostRoutes?: HostRoute[];
  tags?: string[];
}

export interface UpdateSubnet {
  type: 'UpdateSubnet';
  actor: Principal;
  at: string;
  id: string;
  name?: string;
  description?: string;
  gatewayIp?: string | null;
  allocationPools?: AllocationPool[];
  enableDhcp?: boolean;
  dnsNameservers?: string[];
  hostRoutes?: HostRoute[];
}

export interface DeleteSubnet {
  type: 'DeleteSubnet';
  actor: Principal;
  at: string;
  id: string;
}

export type SubnetCommand = CreateSubnet | UpdateSubnet | DeleteSubnet;
