// Finding security groups and rules as a principal may see them: other projects' groups do not exist for them.
import { notFound } from '../errors.ts';
import { owns, type Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { SecurityGroupRuleState, SecurityGroupState } from './state.ts';

export const securityGroupNotFound = (id: string) => notFound('SecurityGroupNotFound', `Security group ${id} does not exist`);
export const securityGroupRuleNotFound = (id: string) =>
  notFound('SecurityGroupRuleNotFound', `Security group rule ${id} does not exist`);

export function visibleSecurityGroup(world: World, principal: Principal, id: string): SecurityGroupState {
  const group = world.securityGroups.get(id);
  if (group === undefined || !owns(principal, group.projectId)) throw securityGroupNotFound(id);
  return group;
}

export function visibleSecurityGroupRule(world: World, principal: Principal, id: string): SecurityGroupRuleState {
  const rule = world.securityGroupRules.get(id);
  if (rule === undefined || !owns(principal, rule.projectId)) throw securityGroupRuleNotFound(id);
  return rule;
}

/** The group's rules in creation order. */
export function rulesOf(world: World, group: SecurityGroupState): SecurityGroupRuleState[] {
  const rules: SecurityGroupRuleState[] = [];
  for (const id of group.ruleIds) {
    const rule = world.securityGroupRules.get(id);
    if (rule !== undefined) rules.push(rule);
  }
  return rules;
}

/** Ids of ports that use the group: a group in use cannot be deleted. */
export function portsUsingGroup(world: World, groupId: string): string[] {
  const ids: string[] = [];
  for (const [id, port] of world.ports) if (port.securityGroups.includes(groupId)) ids.push(id);
  return ids;
}
