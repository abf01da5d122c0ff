// Builders of the external side's events for projection tests: provider networks, gateways, floating IPs, neighbors.
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { portCreated } from './topologyFixtures.ts';

const AT = '2026-11-26T00:00:00Z';

export function providerNetworkCreated(id: string, physnet: string, vlan: number | null = null): TopologyEvent {
  return {
    type: 'NetworkCreated',
    data: { id, projectId: 'admin', segment: { networkType: vlan === null ? 'flat' : 'vlan', physicalNetwork: physnet, segmentationId: vlan } },
  };
}

export function mappedHost(name: string, tunnelIp: string, bridgeMappings: Record<string, string>): TopologyEvent {
  return { type: 'HostRegistered', data: { name, datapathId: '00000000000000a1', tunnelIp, bridgeMappings, tunnelInterface: 'vxlan0' } };
}

export function subnet(id: string, networkId: string, cidr: string, gatewayIp: string | null): TopologyEvent {
  return { type: 'SubnetCreated', data: { id, networkId, ipVersion: 4, cidr, gatewayIp } };
}

/** A port with a device owner and fixed IPs on a named subnet. */
export function servicePort(id: string, networkId: string, mac: string, ip: string, subnetId: string, deviceOwner: string): TopologyEvent {
  const e = portCreated({ id, networkId, mac, ips: [ip] });
  if (e.type !== 'PortCreated') throw new Error('fixture');
  return { ...e, data: { ...e.data, deviceOwner, fixedIps: [{ subnetId, ipAddress: ip }] } };
}

export function gatewaySet(routerId: string, networkId: string, portId: string, ip: string, subnetId: string): TopologyEvent {
  return { type: 'RouterGatewaySet', data: { id: routerId, gateway: { networkId, enableSnat: true, externalFixedIps: [{ subnetId, ipAddress: ip }], portId } } };
}

export function floatingIpCreated(id: string, networkId: string, subnetId: string, address: string, portId: string): TopologyEvent {
  return { type: 'FloatingIpCreated', data: { id, floatingNetworkId: networkId, subnetId, floatingIpAddress: address, floatingPortId: portId } };
}

export const floatingIpAssociated = (id: string, portId: string, fixedIpAddress: string, routerId: string): TopologyEvent =>
  ({ type: 'FloatingIpAssociated', data: { id, portId, fixedIpAddress, routerId } });

export const neighborObserved = (host: string, networkId: string, ip: string, mac: string): TopologyEvent =>
  ({ type: 'ExternalNeighborObserved', data: { host, networkId, ip, mac, at: AT } });
