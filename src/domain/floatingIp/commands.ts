// Intents about floating IPs, as the API (or the southbound, for status) hands them to the decider.
import type { Principal } from '../principal.ts';
import type { FloatingIpStatus } from './state.ts';

export interface CreateFloatingIp {
  type: 'CreateFloatingIp';
  actor: Principal;
  at: string;
  id: string;
  projectId?: string;
  floatingNetworkId: string;
  subnetId?: string;
  floatingIpAddress?: string;
  /** Associate at once; null or absent leaves it unassociated. */
  portId?: string | null;
  fixedIpAddress?: string;
  description?: string;
  tags?: string[];
}

/** PUT: port_id null disassociates; a port id (re)associates; absent leaves the association. */
export interface UpdateFloatingIp {
  type: 'UpdateFloatingIp';
  actor: Principal;
  at: string;
  id: string;
  portId?: string | null;
  fixedIpAddress?: string;
  description?: string;
}

export interface DeleteFloatingIp {
  type: 'DeleteFloatingIp';
  actor: Principal;
  at: string;
  id: string;
}

/** From the southbound: NAT flows confirmed (ACTIVE) or gone (DOWN). */
export interface SetFloatingIpStatus {
  type: 'SetFloatingIpStatus';
  actor: Principal;
  at: string;
  id: string;
  status: FloatingIpStatus;
}

export type FloatingIpCommand = CreateFloatingIp | UpdateFloatingIp | DeleteFloatingIp | SetFloatingIpStatus;
