// Events about floating IPs (members of the DomainEvent union in ../events.ts).
import type { FloatingIpAssociation, FloatingIpAttrs, FloatingIpChanges, FloatingIpStatus } from './state.ts';

type Ev<T extends string, D> = { type: T; data: D };

/** Follows the PortCreated of its network:floatingip port. */
export type FloatingIpCreated = Ev<'FloatingIpCreated', FloatingIpAttrs>;
export type FloatingIpUpdated = Ev<'FloatingIpUpdated', { id: string; changes: FloatingIpChanges; updatedAt: string }>;
export type FloatingIpAssociated = Ev<'FloatingIpAssociated', FloatingIpAssociation & { id: string; updatedAt: string }>;
export type FloatingIpDisassociated = Ev<'FloatingIpDisassociated', { id: string; updatedAt: string }>;
/** Appended by the southbound once the NAT flows are confirmed (ACTIVE) or lost (DOWN). */
export type FloatingIpStatusChanged = Ev<'FloatingIpStatusChanged', { id: string; status: FloatingIpStatus; updatedAt: string }>;
/** Precedes the PortDeleted of its network:floatingip port. */
export type FloatingIpDeleted = Ev<'FloatingIpDeleted', { id: string }>;

export type FloatingIpEvent =
  | FloatingIpCreated
  | FloatingIpUpdated
  | FloatingIpAssociated
  | FloatingIpDisassociated
  | FloatingIpStatusChanged
  | FloatingIpDeleted;

export const FLOATING_IP_EVENT_TYPES: readonly FloatingIpEvent['type'][] = [
  'FloatingIpCreated',
  'FloatingIpUpdated',
  'FloatingIpAssociated',
  'FloatingIpDisassociated',
  'FloatingIpStatusChanged',
  'FloatingIpDeleted',
];
