// Every domain event esdn records, as one discriminated union (data only; metadata is added by the service).
import type { HostAttrs, HostChanges } from './host/state.ts';
import type { NetworkAttrs, NetworkChanges } from './network/state.ts';
import type { PortAttrs, PortChanges, PortStatus } from './port/state.ts';
import type { SubnetAttrs, SubnetChanges } from './subnet/state.ts';
import { FLOATING_IP_EVENT_TYPES, type FloatingIpEvent } from './floatingIp/events.ts';
import { ROUTER_EVENT_TYPES, type RouterEvent } from './router/events.ts';
import { SECURITY_GROUP_EVENT_TYPES, type SecurityGroupEvent } from './securityGroup/events.ts';
import { TAG_EVENT_TYPES, type TagEvent } from './tag/events.ts';

type Ev<T extends string, D> = { type: T; data: D };

export type NetworkCreated = Ev<'NetworkCreated', NetworkAttrs>;
export type NetworkUpdated = Ev<'NetworkUpdated', { id: string; changes: NetworkChanges; updatedAt: string }>;
export type NetworkDeleted = Ev<'NetworkDeleted', { id: string }>;

export type SubnetCreated = Ev<'SubnetCreated', SubnetAttrs>;
export type SubnetUpdated = Ev<'SubnetUpdated', { id: string; changes: SubnetChanges; updatedAt: string }>;
export type SubnetDeleted = Ev<'SubnetDeleted', { id: string; networkId: string }>;

export type PortCreated = Ev<'PortCreated', PortAttrs>;
export type PortUpdated = Ev<'PortUpdated', { id: string; changes: PortChanges; updatedAt: string }>;
/** The port's VM interface is (now) on this host; the profile may name the OVS interface. */
export type PortBoundToHost = Ev<
  'PortBoundToHost',
  { id: string; hostId: string; profile: Record<string, unknown>; updatedAt: string }
>;
export type PortUnboundFromHost = Ev<'PortUnboundFromHost', { id: string; profile: Record<string, unknown>; updatedAt: string }>;
/** Appended by the southbound once a port's flows are confirmed on its switch (or lost). */
export type PortStatusChanged = Ev<'PortStatusChanged', { id: string; status: PortStatus; updatedAt: string }>;
export type PortDeleted = Ev<'PortDeleted', { id: string; networkId: string }>;

export type HostRegistered = Ev<'HostRegistered', HostAttrs>;
export type HostUpdated = Ev<'HostUpdated', { name: string; changes: HostChanges; updatedAt: string }>;
export type HostDeregistered = Ev<'HostDeregistered', { name: string }>;

export type NetworkEvent = NetworkCreated | NetworkUpdated | NetworkDeleted;
export type SubnetEvent = SubnetCreated | SubnetUpdated | SubnetDeleted;
export type PortEvent =
  | PortCreated
  | PortUpdated
  | PortBoundToHost
  | PortUnboundFromHost
  | PortStatusChanged
  | PortDeleted;
export type HostEvent = HostRegistered | HostUpdated | HostDeregistered;

export type DomainEvent =
  | NetworkEvent
  | SubnetEvent
  | PortEvent
  | HostEvent
  | SecurityGroupEvent
  | RouterEvent
  | FloatingIpEvent
  | TagEvent;
export type { FloatingIpEvent, RouterEvent, SecurityGroupEvent, TagEvent };
export type DomainEventType = DomainEvent['type'];

const EVENT_TYPES: ReadonlySet<string> = new Set<DomainEventType>([
  'NetworkCreated', 'NetworkUpdated', 'NetworkDeleted',
  'SubnetCreated', 'SubnetUpdated', 'SubnetDeleted',
  'PortCreated', 'PortUpdated', 'PortBoundToHost', 'PortUnboundFromHost', 'PortStatusChanged', 'PortDeleted',
  'HostRegistered', 'HostUpdated', 'HostDeregistered',
  ...SECURITY_GROUP_EVENT_TYPES, ...ROUTER_EVENT_TYPES, ...FLOATING_IP_EVENT_TYPES, ...TAG_EVENT_TYPES,
]);

/** True for event types this domain folds; others in the log (switch observations, ...) are skipped. */
export function isDomainEvent(event: { type: string }): event is DomainEvent {
  return EVENT_TYPES.has(event.type);
}
