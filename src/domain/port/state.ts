// A port's attributes as recorded in events, and its state in the world.

export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

export interface AddressPair {
  ipAddress: string;
  macAddress: string;
}

export type VnicType = 'normal';
export type PortStatus = 'DOWN' | 'ACTIVE' | 'BUILD' | 'ERROR';

export interface PortAttrs {
  id: string;
  projectId: string;
  networkId: string;
  name: string;
  description: string;
  adminStateUp: boolean;
  macAddress: string;
  fixedIps: FixedIp[];
  deviceId: string;
  deviceOwner: string;
  /** binding:profile; `interface_name` names the OVS interface when it is not tap + 11 chars of the id. */
  bindingProfile: Record<string, unknown>;
  vnicType: VnicType;
  portSecurityEnabled: boolean;
  allowedAddressPairs: AddressPair[];
  securityGroups: string[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** What PortUpdated may carry; binding changes travel in PortBoundToHost/PortUnboundFromHost. */
export type PortChanges = Partial<
  Pick<
    PortAttrs,
    | 'name'
    | 'description'
    | 'adminStateUp'
    | 'macAddress'
    | 'fixedIps'
    | 'deviceId'
    | 'deviceOwner'
    | 'portSecurityEnabled'
    | 'allowedAddressPairs'
    | 'securityGroups'
  >
>;

export interface PortState extends PortAttrs {
  revision: number;
  /** binding:host_id; '' while unbound. */
  hostId: string;
  status: PortStatus;
}
