// The domain events the topology view folds, reduced to the fields it reads (src/domain/events.ts is the full shape).
//
// Kept structural on purpose: the domain may add fields without touching projections, and
// test/projections/domainCompat.unit.test.ts checks at compile time that every DomainEvent still fits.
import type { SwitchObservation } from './observations.ts';
import type { RouterGatewayHostScheduled } from './gatewayEvents.ts';

type Ev<T extends string, D> = { type: T; data: D };

export interface SegmentInput {
  networkType: string;
  physicalNetwork: string | null;
  segmentationId: number | null;
}

export interface NetworkInput {
  id: string;
  projectId: string;
  segment: SegmentInput;
  /** the network's MTU (DHCP option 26); absent in older fixtures */
  mtu?: number;
}

export interface FixedIpInput {
  subnetId: string;
  ipAddress: string;
}

export interface AddressPairInput {
  ipAddress: string;
  /** Neutron defaults it to the port's MAC; '' is read the same way */
  macAddress: string;
}

export interface PortInput {
  id: string;
  networkId: string;
  adminStateUp: boolean;
  macAddress: string;
  fixedIps: readonly FixedIpInput[];
  deviceOwner: string;
  bindingProfile: Record<string, unknown>;
  portSecurityEnabled: boolean;
  allowedAddressPairs: readonly AddressPairInput[];
  /** security group ids (absent in old fixtures: read as none) */
  securityGroups?: readonly string[];
}

export type PortChangesInput = Partial<
  Pick<PortInput, 'adminStateUp' | 'macAddress' | 'fixedIps' | 'deviceOwner' | 'portSecurityEnabled' | 'allowedAddressPairs' | 'securityGroups'>
>;

/** A router as distributed routing needs it (src/domain/router/state.ts has the full shape). */
export interface RouterInput {
  id: string;
  adminStateUp: boolean;
  routes: readonly { destination: string; nexthop: string }[];
}

export interface RouterInterfaceInput {
  /** the router */
  id: string;
  portId: string;
  subnetId: string;
}

/** A security group rule as the flows need it (src/domain/securityGroup/state.ts has the full shape). */
export interface SecurityGroupRuleInput {
  id: string;
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  /** lower-case name, decimal number string, or null for every protocol */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}

export interface HostInput {
  name: string;
  datapathId: string;
  tunnelIp: string;
  bridgeMappings: Record<string, string>;
  tunnelInterface: string;
}

export type HostChangesInput = Partial<Pick<HostInput, 'datapathId' | 'tunnelIp' | 'bridgeMappings' | 'tunnelInterface'>>;

export interface SubnetInput {
  id: string;
  networkId: string;
  ipVersion: number;
  cidr: string;
  gatewayIp: string | null;
  /** DHCP answers (esdn's responder): absent in older fixtures */
  enableDhcp?: boolean;
  dnsNameservers?: readonly string[];
  hostRoutes?: readonly { destination: string; nexthop: string }[];
}

/** A floating IP as the flows need it (src/domain/floatingIp/state.ts has the full shape). */
export interface FloatingIpInput {
  id: string;
  floatingNetworkId: string;
  subnetId: string;
  floatingIpAddress: string;
  /** the network:floatingip port holding the address: its MAC answers ARP for it (DVR) */
  floatingPortId: string;
}

export interface FloatingIpAssociationInput {
  id: string;
  portId: string;
  fixedIpAddress: string;
  routerId: string;
}

export type TopologyDomainEvent =
  | Ev<'NetworkCreated', NetworkInput>
  | Ev<'NetworkUpdated', { id: string; changes?: { mtu?: number } }>
  | Ev<'NetworkDeleted', { id: string }>
  | Ev<'SubnetCreated', SubnetInput>
  | Ev<'SubnetUpdated', { id: string; changes: Partial<Pick<SubnetInput, 'gatewayIp' | 'enableDhcp' | 'dnsNameservers' | 'hostRoutes'>> }>
  | Ev<'SubnetDeleted', { id: string; networkId: string }>
  | Ev<'PortCreated', PortInput>
  | Ev<'PortUpdated', { id: string; changes: PortChangesInput }>
  | Ev<'PortBoundToHost', { id: string; hostId: string; profile: Record<string, unknown> }>
  | Ev<'PortUnboundFromHost', { id: string; profile: Record<string, unknown> }>
  | Ev<'PortStatusChanged', { id: string; status: string }>
  | Ev<'PortDeleted', { id: string; networkId: string }>
  | Ev<'HostRegistered', HostInput>
  | Ev<'HostUpdated', { name: string; changes: HostChangesInput }>
  | Ev<'HostDeregistered', { name: string }>
  | Ev<'SecurityGroupRuleCreated', SecurityGroupRuleInput>
  | Ev<'SecurityGroupRuleDeleted', { id: string; securityGroupId: string }>
  | Ev<'SecurityGroupDeleted', { id: string }>
  | Ev<'RouterCreated', RouterInput>
  | Ev<'RouterUpdated', { id: string; changes: Partial<Pick<RouterInput, 'adminStateUp' | 'routes'>> }>
  | Ev<'RouterInterfaceAdded', RouterInterfaceInput>
  | Ev<'RouterInterfaceRemoved', RouterInterfaceInput>
  | Ev<'RouterDeleted', { id: string }>
  | Ev<'RouterGatewaySet', { id: string; gateway: { networkId: string; enableSnat: boolean; externalFixedIps: readonly FixedIpInput[]; portId: string } }>
  | Ev<'RouterGatewayCleared', { id: string; portId: string }>
  | Ev<'FloatingIpCreated', FloatingIpInput>
  | Ev<'FloatingIpAssociated', FloatingIpAssociationInput>
  | Ev<'FloatingIpDisassociated', { id: string }>
  | Ev<'FloatingIpDeleted', { id: string }>;

/** Everything the topology view folds. */
export type TopologyEvent = TopologyDomainEvent | SwitchObservation | RouterGatewayHostScheduled;
export type TopologyEventType = TopologyEvent['type'];

const TOPOLOGY_TYPES: ReadonlySet<string> = new Set<TopologyEventType>([
  'NetworkCreated', 'NetworkUpdated', 'NetworkDeleted', 'SubnetCreated', 'SubnetUpdated', 'SubnetDeleted',
  'PortCreated', 'PortUpdated', 'PortBoundToHost', 'PortUnboundFromHost', 'PortStatusChanged', 'PortDeleted',
  'HostRegistered', 'HostUpdated', 'HostDeregistered',
  'SecurityGroupRuleCreated', 'SecurityGroupRuleDeleted', 'SecurityGroupDeleted',
  'RouterCreated', 'RouterUpdated', 'RouterInterfaceAdded', 'RouterInterfaceRemoved', 'RouterDeleted',
  'RouterGatewaySet', 'RouterGatewayCleared', 'RouterGatewayHostScheduled',
  'FloatingIpCreated', 'FloatingIpAssociated', 'FloatingIpDisassociated', 'FloatingIpDeleted', 'ExternalNeighborObserved',
  'SwitchConnected', 'SwitchDisconnected', 'SwitchPortObserved', 'SwitchPortRemoved', 'SwitchInSync', 'PortWired',
]);

/** Narrows a recorded event to one the view folds; anything else in the log (routers, audit, ...) is skipped. */
export function asTopologyEvent(event: { type: string; data: unknown }): TopologyEvent | undefined {
  if (!TOPOLOGY_TYPES.has(event.type) || typeof event.data !== 'object' || event.data === null) return undefined;
  return event as TopologyEvent;
}
