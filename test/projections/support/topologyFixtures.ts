// Builders of topology events for projection tests: networks, hosts, ports and switch observations with readable defaults.
import type { HostInput, NetworkInput, PortInput, TopologyEvent } from '../../../projections/topology/inputs.ts';
import { interfaceName } from '../../../projections/topology/view.ts';

const AT = '2026-11-25T00:00:00Z';

export function networkCreated(id: string, vni: number | null, projectId = 'proj-a'): TopologyEvent {
  const segment = vni === null
    ? { networkType: 'flat', physicalNetwork: 'public', segmentationId: null }
    : { networkType: 'vxlan', physicalNetwork: null, segmentationId: vni };
  const data: NetworkInput = { id, projectId, segment };
  return { type: 'NetworkCreated', data };
}

export function hostRegistered(name: string, tunnelIp: string, tunnelInterface = 'vxlan0'): TopologyEvent {
  const data: HostInput = { name, datapathId: '00000000000000a1', tunnelIp, bridgeMappings: {}, tunnelInterface };
  return { type: 'HostRegistered', data };
}

export interface PortSpec {
  id: string;
  networkId: string;
  mac: string;
  ips?: string[];
  portSecurity?: boolean;
  pairs?: { ipAddress: string; macAddress: string }[];
  adminStateUp?: boolean;
}

export function portCreated(s: PortSpec): TopologyEvent {
  const data: PortInput = {
    id: s.id, networkId: s.networkId, adminStateUp: s.adminStateUp ?? true, macAddress: s.mac,
    fixedIps: (s.ips ?? []).map((ipAddress) => ({ subnetId: 'subnet-1', ipAddress })), deviceOwner: 'compute:nova',
    bindingProfile: {}, portSecurityEnabled: s.portSecurity ?? true, allowedAddressPairs: s.pairs ?? [],
  };
  return { type: 'PortCreated', data };
}

export const portBound = (id: string, hostId: string, profile: Record<string, unknown> = {}): TopologyEvent =>
  ({ type: 'PortBoundToHost', data: { id, hostId, profile } });

export const switchPort = (host: string, name: string, ofport: number): TopologyEvent =>
  ({ type: 'SwitchPortObserved', data: { host, name, ofport, at: AT } });

export const switchPortRemoved = (host: string, name: string): TopologyEvent =>
  ({ type: 'SwitchPortRemoved', data: { host, name, at: AT } });

/** A port created, bound and seen on its switch: the four events a VM boot produces. */
export function vmPort(s: PortSpec & { host: string; ofport: number }): TopologyEvent[] {
  return [portCreated(s), portBound(s.id, s.host), switchPort(s.host, interfaceName(s.id, {}), s.ofport)];
}
