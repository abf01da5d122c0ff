// The per-project default security group Neutron creates on first use (listing groups, creating a port).
import type { DecideContext } from '../context.ts';
import type { World } from '../world.ts';
import { defaultRuleSpecs } from './defaultRules.ts';
import type { SecurityGroupEvent } from './events.ts';
import type { RuleSpec } from './state.ts';
import { DEFAULT_GROUP_DESCRIPTION, DEFAULT_GROUP_NAME } from './state.ts';

export interface DefaultGroup {
  groupId: string;
  /** Empty when the project already has its default group. */
  events: SecurityGroupEvent[];
}

/** One SecurityGroupRuleCreated per spec, with ids from the context. */
export function ruleCreatedEvents(
  ctx: DecideContext,
  group: { id: string; projectId: string },
  specs: readonly RuleSpec[],
  at: string,
): SecurityGroupEvent[] {
  return specs.map((spec) => ({
    type: 'SecurityGroupRuleCreated',
    data: { ...spec, id: ctx.newId(), projectId: group.projectId, securityGroupId: group.id, description: '', createdAt: at, updatedAt: at },
  }));
}

/** The project's default group, creating it (with Neutron's default rules) when it is missing. */
export function ensureDefaultGroup(world: World, ctx: DecideContext, projectId: string, at: string): DefaultGroup {
  const existing = world.defaultSecurityGroups.get(projectId);
  if (existing !== undefined) return { groupId: existing, events: [] };
  const id = ctx.newId();
  const created: SecurityGroupEvent = {
    type: 'SecurityGroupCreated',
    data: {
      id,
      projectId,
      name: DEFAULT_GROUP_NAME,
      description: DEFAULT_GROUP_DESCRIPTION,
      isDefault: true,
      tags: [],
      createdAt: at,
      updatedAt: at,
    },
  };
  return { groupId: id, events: [created, ...ruleCreatedEvents(ctx, { id, projectId }, defaultRuleSpecs(id), at)] };
}
