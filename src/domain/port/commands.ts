// Intents about ports, as the API (or the southbound, for status) hands them to the decider.
import type { Principal } from '../principal.ts';
import type { PortStatus, VnicType } from './state.ts';

/** A fixed_ips entry as requested: a subnet, an address, or both. */
export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

export interface AddressPairRequest {
  ipAddress: string;
  macAddress?: string;
}

/** The attributes a port create or update may set. */
interface PortAttributes {
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  macAddress?: string;
  fixedIps?: FixedIpRequest[];
  deviceId?: string;
  deviceOwner?: string;
  hostId?: string;
  bindingProfile?: Record<string, unknown>;
  vnicType?: VnicType;
  portSecurityEnabled?: boolean;
  allowedAddressPairs?: AddressPairRequest[];
  securityGroups?: string[];
}

export interface CreatePort extends PortAttributes {
  type: 'CreatePort';
  actor: Principal;
  at: string;
  id: string;
  networkId: string;
  projectId?: string;
  tags?: string[];
}

export interface UpdatePort extends PortAttributes {
  type: 'UpdatePort';
  actor: Principal;
  at: string;
  id: string;
}

export interface DeletePort {
  type: 'DeletePort';
  actor: Principal;
  at: string;
  id: string;
}

/** From the southbound: the port's flows are confirmed (ACTIVE) or gone (DOWN). */
export interface SetPortStatus {
  type: 'SetPortStatus';
  actor: Principal;
  at: string;
  id: string;
  status: PortStatus;
}

export type PortCommand = CreatePort | UpdatePort | DeletePort | SetPortStatus;
