// Renders security groups and rules in Neutron's JSON shape.
import type { World } from '../world.ts';
import { rulesOf } from './access.ts';
import type { SecurityGroupRuleState, SecurityGroupState } from './state.ts';

export type NeutronJson = Record<string, unknown>;

export function toNeutronSecurityGroupRule(rule: SecurityGroupRuleState, world: World): NeutronJson {
  return {
    id: rule.id,
    security_group_id: rule.securityGroupId,
    direction: rule.direction,
    ethertype: rule.ethertype,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    normalized_cidr: rule.remoteIpPrefix,
    remote_group_id: rule.remoteGroupId,
    remote_address_group_id: null,
    belongs_to_default_sg: world.securityGroups.get(rule.securityGroupId)?.isDefault ?? false,
    description: rule.description,
    tenant_id: rule.projectId,
    project_id: rule.projectId,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    revision_number: rule.revision,
  };
}

export function toNeutronSecurityGroup(group: SecurityGroupState, world: World): NeutronJson {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    tenant_id: group.projectId,
    project_id: group.projectId,
    security_group_rules: rulesOf(world, group).map((r) => toNeutronSecurityGroupRule(r, world)),
    stateful: true,
    shared: false,
    tags: [...group.tags],
    created_at: group.createdAt,
    updated_at: group.updatedAt,
    revision_number: group.revision,
  };
}
