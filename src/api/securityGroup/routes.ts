// The security-groups and security-group-rules collections, and the default group made on first listing.
import type { Hono } from 'hono';
import { securityGroupNotFound, securityGroupRuleNotFound } from '../../domain/securityGroup/access.ts';
import type { SecurityGroupRuleState, SecurityGroupState } from '../../domain/securityGroup/state.ts';
import { toNeutronSecurityGroup, toNeutronSecurityGroupRule } from '../../domain/securityGroup/view.ts';
import type { ApiEnv } from '../env.ts';
import { addExtension } from '../extensions.ts';
import { projectOf } from '../fields.ts';
import { isoSeconds, meta, ownedResource, type ResourceDeps, type ResourceSpec } from '../resource.ts';
import {
  createSecurityGroupRuleSchema,
  createSecurityGroupSchema,
  updateSecurityGroupSchema,
  type CreateSecurityGroupBody,
  type CreateSecurityGroupRuleBody,
  type UpdateSecurityGroupBody,
} from './schemas.ts';

export const securityGroupResource: ResourceSpec<SecurityGroupState, CreateSecurityGroupBody, UpdateSecurityGroupBody> = {
  collection: 'security_groups',
  path: 'security-groups',
  member: 'security_group',
  ...ownedResource((world) => world.securityGroups, securityGroupNotFound),
  render: (group, _principal, world) => toNeutronSecurityGroup(group, world),
  create: {
    schema: createSecurityGroupSchema,
    command: (body, req) => ({
      type: 'CreateSecurityGroup',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      projectId: projectOf(body),
      name: body.name,
      description: body.description,
      tags: body.tags,
    }),
  },
  update: {
    schema: updateSecurityGroupSchema,
    command: (id, body, req) => ({
      type: 'UpdateSecurityGroup', actor: req.principal, at: req.at, id, name: body.name, description: body.description,
    }),
  },
  remove: (id, req) => ({ type: 'DeleteSecurityGroup', actor: req.principal, at: req.at, id }),
};

export const securityGroupRuleResource: ResourceSpec<SecurityGroupRuleState, CreateSecurityGroupRuleBody> = {
  collection: 'security_group_rules',
  path: 'security-group-rules',
  member: 'security_group_rule',
  ...ownedResource((world) => world.securityGroupRules, securityGroupRuleNotFound),
  render: (rule, _principal, world) => toNeutronSecurityGroupRule(rule, world),
  create: {
    schema: createSecurityGroupRuleSchema,
    command: (body, req) => ({
      type: 'CreateSecurityGroupRule',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      securityGroupId: body.security_group_id,
      projectId: projectOf(body),
      direction: body.direction,
      ethertype: body.ethertype,
      protocol: body.protocol,
      portRangeMin: body.port_range_min,
      portRangeMax: body.port_range_max,
      remoteIpPrefix: body.remote_ip_prefix,
      remoteGroupId: body.remote_group_id,
      description: body.description,
    }),
  },
  remove: (id, req) => ({ type: 'DeleteSecurityGroupRule', actor: req.principal, at: req.at, id }),
};

/**
 * Listing groups creates the project's default group first when it has none, as Neutron does, so a
 * fresh project always sees "default": the caller's project, or the one an admin filters on.
 */
export function registerSecurityGroupDefaults(app: Hono<ApiEnv>, deps: ResourceDeps): void {
  addExtension({ alias: 'security-group', name: 'security-group', description: 'The security groups extension.' });
  app.get('/v2.0/security-groups', async (c, next) => {
    const principal = c.get('principal');
    const filtered = c.req.query('project_id') ?? c.req.query('tenant_id');
    const projectId = filtered !== undefined && principal.isAdmin ? filtered : principal.projectId;
    if (projectId !== '' && !deps.service.world().defaultSecurityGroups.has(projectId)) {
      await deps.service.execute(
        { type: 'EnsureDefaultSecurityGroup', actor: principal, at: isoSeconds(deps.now()), projectId },
        meta(c),
      );
    }
    await next();
  });
}
