// Applies security group events to the world: groups, rules, and the per-project default index.
import type { World } from '../world.ts';
import type { SecurityGroupEvent } from './events.ts';
import type { SecurityGroupState } from './state.ts';

function withGroup(world: World, id: string, f: (group: SecurityGroupState) => SecurityGroupState): World {
  const group = world.securityGroups.get(id);
  return group === undefined ? world : { ...world, securityGroups: world.securityGroups.set(id, f(group)) };
}

export function evolveSecurityGroup(world: World, event: SecurityGroupEvent): World {
  switch (event.type) {
    case 'SecurityGroupCreated': {
      const group: SecurityGroupState = { ...event.data, revision: 1, ruleIds: [] };
      return {
        ...world,
        securityGroups: world.securityGroups.set(group.id, group),
        defaultSecurityGroups: group.isDefault
          ? world.defaultSecurityGroups.set(group.projectId, group.id)
          : world.defaultSecurityGroups,
      };
    }
    case 'SecurityGroupUpdated':
      return withGroup(world, event.data.id, (g) => ({
        ...g,
        ...event.data.changes,
        updatedAt: event.data.updatedAt,
        revision: g.revision + 1,
      }));
    case 'SecurityGroupDeleted': {
      const group = world.securityGroups.get(event.data.id);
      if (group === undefined) return world;
      let rules = world.securityGroupRules;
      for (const id of group.ruleIds) rules = rules.delete(id);
      const isIndexedDefault = world.defaultSecurityGroups.get(group.projectId) === group.id;
      return {
        ...world,
        securityGroups: world.securityGroups.delete(group.id),
        securityGroupRules: rules,
        defaultSecurityGroups: isIndexedDefault ? world.defaultSecurityGroups.delete(group.projectId) : world.defaultSecurityGroups,
      };
    }
    case 'SecurityGroupRuleCreated': {
      const rule = { ...event.data, revision: 1 };
      const next = { ...world, securityGroupRules: world.securityGroupRules.set(rule.id, rule) };
      // Neutron bumps the group's revision when its rules change: clients use it to notice.
      return withGroup(next, rule.securityGroupId, (g) => ({ ...g, ruleIds: [...g.ruleIds, rule.id], revision: g.revision + 1 }));
    }
    case 'SecurityGroupRuleDeleted': {
      const next = { ...world, securityGroupRules: world.securityGroupRules.delete(event.data.id) };
      return withGroup(next, event.data.securityGroupId, (g) => ({
        ...g,
        ruleIds: g.ruleIds.filter((id) => id !== event.data.id),
        revision: g.revision + 1,
      }));
    }
  }
}
