// Intents about networks, as the API hands them to the decider (optional fields get Neutron's defaults there).
import type { Principal } from '../principal.ts';
import type { NetworkType } from './state.ts';

export interface ProviderRequest {
  networkType?: NetworkType;
  physicalNetwork?: string | null;
  segmentationId?: number | null;
}

/** The attributes a network create or update may set. */
export interface NetworkAttributes {
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  shared?: boolean;
  external?: boolean;
  mtu?: number;
  portSecurityEnabled?: boolean;
  provider?: ProviderRequest;
}

export interface CreateNetwork extends NetworkAttributes {
  type: 'CreateNetwork';
  actor: Principal;
  at: string;
  id: string;
  projectId?: string;
  tags?: string[];
}

export interface UpdateNetwork extends NetworkAttributes {
  type: 'UpdateNetwork';
  actor: Principal;
  at: string;
  id: string;
}

export interface DeleteNetwork {
  type: 'DeleteNetwork';
  actor: Principal;
  at: string;
  id: string;
}

export type NetworkCommand = CreateNetwork | UpdateNetwork | DeleteNetwork;
