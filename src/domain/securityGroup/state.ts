// Security groups and their rules as recorded in events, and their state in the world.

export type Direction = 'ingress' | 'egress';
export type Ethertype = 'IPv4' | 'IPv6';

/** The part of a rule that says which packets it admits; two rules with equal specs are duplicates. */
export interface RuleSpec {
  direction: Direction;
  ethertype: Ethertype;
  /** Lower-case name, decimal number string, or null for every protocol. */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  /** Canonical CIDR text, or null for any address. */
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
}

export interface SecurityGroupRuleAttrs extends RuleSpec {
  id: string;
  projectId: string;
  securityGroupId: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface SecurityGroupAttrs {
  id: string;
  projectId: string;
  name: string;
  description: string;
  /** The per-project group Neutron creates on first use; users may not delete it. */
  isDefault: boolean;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** What PUT may change. */
export type SecurityGroupChanges = Partial<Pick<SecurityGroupAttrs, 'name' | 'description'>>;

export interface SecurityGroupState extends SecurityGroupAttrs {
  revision: number;
  /** Ids of its rules in creation order. */
  ruleIds: readonly string[];
}

export interface SecurityGroupRuleState extends SecurityGroupRuleAttrs {
  revision: number;
}

/** The default group's name; users cannot create another group with it. */
export const DEFAULT_GROUP_NAME = 'default';
export const DEFAULT_GROUP_DESCRIPTION = 'Default security group';
