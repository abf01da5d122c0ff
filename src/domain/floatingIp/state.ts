// Floating IPs as recorded in events, and their state in the world.

export type FloatingIpStatus = 'DOWN' | 'ACTIVE' | 'ERROR';

/** Where a floating IP points: a fixed IP of a port, reached through a router's gateway. */
export interface FloatingIpAssociation {
  portId: string;
  fixedIpAddress: string;
  routerId: string;
}

export interface FloatingIpAttrs {
  id: string;
  projectId: string;
  floatingNetworkId: string;
  subnetId: string;
  floatingIpAddress: string;
  /** The network:floatingip port on the external network that holds the address (as Neutron does). */
  floatingPortId: string;
  description: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

export type FloatingIpChanges = Partial<Pick<FloatingIpAttrs, 'description'>>;

export interface FloatingIpState extends FloatingIpAttrs {
  revision: number;
  association: FloatingIpAssociation | null;
  /** DOWN until the southbound confirms its NAT flows. */
  status: FloatingIpStatus;
}

/** Key of the one-floating-IP-per-(fixed IP, external network) index. */
export function fixedIpKey(portId: string, fixedIpAddress: string, floatingNetworkId: string): string {
  return `${portId} ${fixedIpAddress} ${floatingNetworkId}`;
}
