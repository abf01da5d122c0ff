// Intents about security groups and rules, as the API hands them to the decider.
import type { Principal } from '../principal.ts';
import type { Direction, Ethertype } from './state.ts';

export interface CreateSecurityGroup {
  type: 'CreateSecurityGroup';
  actor: Principal;
  at: string;
  id: string;
  projectId?: string;
  name?: string;
  description?: string;
  tags?: string[];
}

export interface UpdateSecurityGroup {
  type: 'UpdateSecurityGroup';
  actor: Principal;
  at: string;
  id: string;
  name?: string;
  description?: string;
}

export interface DeleteSecurityGroup {
  type: 'DeleteSecurityGroup';
  actor: Principal;
  at: string;
  id: string;
}

/** Creates the project's default group if it has none yet (Neutron does this on first use). */
export interface EnsureDefaultSecurityGroup {
  type: 'EnsureDefaultSecurityGroup';
  actor: Principal;
  at: string;
  projectId: string;
}

export interface CreateSecurityGroupRule {
  type: 'CreateSecurityGroupRule';
  actor: Principal;
  at: string;
  id: string;
  securityGroupId: string;
  projectId?: string;
  direction: Direction;
  ethertype?: Ethertype;
  /** A name, a number 0-255 (or its decimal string), "any" or null: checked by the decider. */
  protocol?: string | number | null;
  portRangeMin?: number | null;
  portRangeMax?: number | null;
  remoteIpPrefix?: string | null;
  remoteGroupId?: string | null;
  description?: string;
}

export interface DeleteSecurityGroupRule {
  type: 'DeleteSecurityGroupRule';
  actor: Principal;
  at: string;
  id: string;
}

export type SecurityGroupCommand =
  | CreateSecurityGroup
  | UpdateSecurityGroup
  | DeleteSecurityGroup
  | EnsureDefaultSecurityGroup
  | CreateSecurityGroupRule
  | DeleteSecurityGroupRule;
