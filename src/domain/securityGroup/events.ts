// Events about security groups and their rules (members of the DomainEvent union in ../events.ts).
import type { SecurityGroupAttrs, SecurityGroupChanges, SecurityGroupRuleAttrs } from './state.ts';

type Ev<T extends string, D> = { type: T; data: D };

export type SecurityGroupCreated = Ev<'SecurityGroupCreated', SecurityGroupAttrs>;
export type SecurityGroupUpdated = Ev<'SecurityGroupUpdated', { id: string; changes: SecurityGroupChanges; updatedAt: string }>;
export type SecurityGroupDeleted = Ev<'SecurityGroupDeleted', { id: string; projectId: string }>;
/** Rules live in their group's stream: a group and its rules are one consistency boundary. */
export type SecurityGroupRuleCreated = Ev<'SecurityGroupRuleCreated', SecurityGroupRuleAttrs>;
export type SecurityGroupRuleDeleted = Ev<'SecurityGroupRuleDeleted', { id: string; securityGroupId: string }>;

export type SecurityGroupEvent =
  | SecurityGroupCreated
  | SecurityGroupUpdated
  | SecurityGroupDeleted
  | SecurityGroupRuleCreated
  | SecurityGroupRuleDeleted;

export const SECURITY_GROUP_EVENT_TYPES: readonly SecurityGroupEvent['type'][] = [
  'SecurityGroupCreated',
  'SecurityGroupUpdated',
  'SecurityGroupDeleted',
  'SecurityGroupRuleCreated',
  'SecurityGroupRuleDeleted',
];
