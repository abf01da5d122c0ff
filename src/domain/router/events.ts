// Events about routers (members of the DomainEvent union in ../events.ts); their ports have port events.
import type { ExternalGateway, RouterAttrs, RouterChanges, RouterInterface } from './state.ts';

type Ev<T extends string, D> = { type: T; data: D };

export type RouterCreated = Ev<'RouterCreated', RouterAttrs>;
export type RouterUpdated = Ev<'RouterUpdated', { id: string; changes: RouterChanges; updatedAt: string }>;
/** Follows the PortCreated of the gateway port. */
export type RouterGatewaySet = Ev<'RouterGatewaySet', { id: string; gateway: ExternalGateway; updatedAt: string }>;
/** Precedes the PortDeleted of the gateway port. */
export type RouterGatewayCleared = Ev<'RouterGatewayCleared', { id: string; portId: string; updatedAt: string }>;
export type RouterInterfaceAdded = Ev<'RouterInterfaceAdded', RouterInterface & { id: string; updatedAt: string }>;
export type RouterInterfaceRemoved = Ev<'RouterInterfaceRemoved', RouterInterface & { id: string; updatedAt: string }>;
export type RouterDeleted = Ev<'RouterDeleted', { id: string }>;

export type RouterEvent =
  | RouterCreated
  | RouterUpdated
  | RouterGatewaySet
  | RouterGatewayCleared
  | RouterInterfaceAdded
  | RouterInterfaceRemoved
  | RouterDeleted;

export const ROUTER_EVENT_TYPES: readonly RouterEvent['type'][] = [
  'RouterCreated',
  'RouterUpdated',
  'RouterGatewaySet',
  'RouterGatewayCleared',
  'RouterInterfaceAdded',
  'RouterInterfaceRemoved',
  'RouterDeleted',
];
