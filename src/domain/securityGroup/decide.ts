// Decides security group and rule intents against the whole world.
import type { DecideContext } from '../context.ts';
import { HTTP_CONFLICT, NeutronError, conflict, notAuthorized } from '../errors.ts';
import type { World } from '../world.ts';
import { portsUsingGroup, rulesOf, visibleSecurityGroup, visibleSecurityGroupRule } from './access.ts';
import type {
  CreateSecurityGroup,
  CreateSecurityGroupRule,
  DeleteSecurityGroup,
  DeleteSecurityGroupRule,
  EnsureDefaultSecurityGroup,
  SecurityGroupCommand,
  UpdateSecurityGroup,
} from './commands.ts';
import { ensureDefaultGroup, ruleCreatedEvents } from './defaultGroup.ts';
import { newGroupRuleSpecs } from './defaultRules.ts';
import type { SecurityGroupEvent } from './events.ts';
import { canonicalProtocol } from './protocols.ts';
import { findDuplicate } from './ruleKey.ts';
import { checkRuleSpec } from './ruleSpec.ts';
import { DEFAULT_GROUP_NAME, type SecurityGroupChanges } from './state.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

const defaultAlreadyExists = () => conflict('SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');

function projectFor(actor: CreateSecurityGroup['actor'], projectId: string | undefined, rule: string): string {
  if (projectId !== undefined && projectId !== actor.projectId && !actor.isAdmin) throw notAuthorized(rule);
  return projectId ?? actor.projectId;
}

function createGroup(command: CreateSecurityGroup, world: World, ctx: DecideContext): SecurityGroupEvent[] {
  const projectId = projectFor(command.actor, command.projectId, 'create_security_group');
  if (world.securityGroups.has(command.id)) throw conflict('SecurityGroupExists', `Security group ${command.id} already exists.`);
  if (command.name === DEFAULT_GROUP_NAME) throw defaultAlreadyExists();
  const { events: defaults } = ensureDefaultGroup(world, ctx, projectId, command.at);
  const group = { id: command.id, projectId };
  return [
    ...defaults,
    {
      type: 'SecurityGroupCreated',
      data: {
        ...group,
        name: command.name ?? '',
        description: command.description ?? '',
        isDefault: false,
        tags: normalTags(command.tags ?? []),
        createdAt: command.at,
        updatedAt: command.at,
      },
    },
    ...ruleCreatedEvents(ctx, group, newGroupRuleSpecs(), command.at),
  ];
}

function updateGroup(command: UpdateSecurityGroup, world: World): SecurityGroupEvent[] {
  const group = visibleSecurityGroup(world, command.actor, command.id);
  if (command.name !== undefined && command.name !== group.name) {
    if (group.isDefault) throw conflict('SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    if (command.name === DEFAULT_GROUP_NAME) throw defaultAlreadyExists();
  }
  const changes: SecurityGroupChanges = {};
  if (command.name !== undefined) changes.name = command.name;
  if (command.description !== undefined) changes.description = command.description;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'SecurityGroupUpdated', data: { id: group.id, changes, updatedAt: command.at } }];
}

/** Rules of other groups that name this one as their remote group go with it (Neutron cascades them). */
function deleteGroup(command: DeleteSecurityGroup, world: World): SecurityGroupEvent[] {
  const group = visibleSecurityGroup(world, command.actor, command.id);
  if (group.isDefault && !command.actor.isAdmin) {
    throw conflict('SecurityGroupCannotRemoveDefault', 'Removing default security group not allowed.');
  }
  if (portsUsingGroup(world, group.id).length > 0) throw conflict('SecurityGroupInUse', `Security Group ${group.id} in use.`);
  const events: SecurityGroupEvent[] = [];
  for (const [id, rule] of world.securityGroupRules) {
    if (rule.remoteGroupId === group.id || rule.securityGroupId === group.id) {
      events.push({ type: 'SecurityGroupRuleDeleted', data: { id, securityGroupId: rule.securityGroupId } });
    }
  }
  events.push({ type: 'SecurityGroupDeleted', data: { id: group.id, projectId: group.projectId } });
  return events;
}

function ensureDefault(command: EnsureDefaultSecurityGroup, world: World, ctx: DecideContext): SecurityGroupEvent[] {
  const projectId = projectFor(command.actor, command.projectId, 'create_security_group');
  return ensureDefaultGroup(world, ctx, projectId, command.at).events;
}

function createRule(command: CreateSecurityGroupRule, world: World): SecurityGroupEvent[] {
  const group = visibleSecurityGroup(world, command.actor, command.securityGroupId);
  projectFor(command.actor, command.projectId, 'create_security_group_rule');
  if (world.securityGroupRules.has(command.id)) {
    throw conflict('SecurityGroupRuleExists', `Security group rule already exists. Rule id is ${command.id}.`);
  }
  const spec = checkRuleSpec({
    direction: command.direction,
    ethertype: command.ethertype ?? 'IPv4',
    protocol: canonicalProtocol(command.protocol),
    portRangeMin: command.portRangeMin ?? null,
    portRangeMax: command.portRangeMax ?? null,
    remoteIpPrefix: command.remoteIpPrefix ?? null,
    remoteGroupId: command.remoteGroupId ?? null,
  });
  if (spec.remoteGroupId !== null) visibleSecurityGroup(world, command.actor, spec.remoteGroupId);
  const duplicate = findDuplicate(rulesOf(world, group), spec);
  if (duplicate !== undefined) {
    throw new NeutronError('SecurityGroupRuleExists', HTTP_CONFLICT, `Security group rule already exists. Rule id is ${duplicate.id}.`);
  }
  return [{
    type: 'SecurityGroupRuleCreated',
    data: {
      ...spec,
      id: command.id,
      projectId: group.projectId,
      securityGroupId: group.id,
      description: command.description ?? '',
      createdAt: command.at,
      updatedAt: command.at,
    },
  }];
}

function deleteRule(command: DeleteSecurityGroupRule, world: World): SecurityGroupEvent[] {
  const rule = visibleSecurityGroupRule(world, command.actor, command.id);
  return [{ type: 'SecurityGroupRuleDeleted', data: { id: rule.id, securityGroupId: rule.securityGroupId } }];
}

export function decideSecurityGroup(command: SecurityGroupCommand, world: World, ctx: DecideContext): SecurityGroupEvent[] {
  switch (command.type) {
    case 'CreateSecurityGroup':
      return createGroup(command, world, ctx);
    case 'UpdateSecurityGroup':
      return updateGroup(command, world);
    case 'DeleteSecurityGroup':
      return deleteGroup(command, world);
    case 'EnsureDefaultSecurityGroup':
      return ensureDefault(command, world, ctx);
    case 'CreateSecurityGroupRule':
      return createRule(command, world);
    case 'DeleteSecurityGroupRule':
      return deleteRule(command, world);
    default:
      return unhandled(command, 'unknown security group command');
  }
}
