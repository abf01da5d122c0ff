// Security group decider, given/when/then: default group, rules, duplicates, deletion refusals, port hooks.
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { ALICE, ADMIN, AT, BOB, IDS, given, l3Base } from '../router/l3Fixtures.ts';

const GROUP = '00000000-0000-4000-a000-0000000000d1';
const RULE = '00000000-0000-4000-a000-0000000000d2';
const createGroup = { type: 'CreateSecurityGroup', actor: ALICE, at: AT, id: GROUP, name: 'web' } as const;
const ingressSsh = {
  type: 'CreateSecurityGroupRule', actor: ALICE, at: AT, id: RULE, securityGroupId: GROUP,
  direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22,
} as const;

function types(events: DomainEvent[]): string[] {
  return events.map((e) => e.type);
}

describe('default security group', () => {
  it('is created once per project with the four Neutron default rules', () => {
    const first = given([]).when({ type: 'EnsureDefaultSecurityGroup', actor: ALICE, at: AT, projectId: 'project-a' });
    expect(types(first.events())).toEqual(['SecurityGroupCreated', ...Array(4).fill('SecurityGroupRuleCreated')]);
    const after = first.next();
    after.when({ type: 'EnsureDefaultSecurityGroup', actor: ALICE, at: AT, projectId: 'project-a' }).then([]);
    const id = after.world.defaultSecurityGroups.get('project-a')!;
    expect(after.world.securityGroups.get(id)).toMatchObject({ name: 'default', isDefault: true, projectId: 'project-a' });
  });

  it('comes with the first user group of a project, and users may not delete or rename it', () => {
    const g = given([]).when(createGroup).next();
    const defaultId = g.world.defaultSecurityGroups.get('project-a')!;
    expect(g.world.securityGroups.get(GROUP)?.ruleIds).toHaveLength(2);
    g.when({ type: 'DeleteSecurityGroup', actor: ALICE, at: AT, id: defaultId }).thenThrows('SecurityGroupCannotRemoveDefault', 409);
    g.when({ type: 'UpdateSecurityGroup', actor: ALICE, at: AT, id: defaultId, name: 'other' }).thenThrows('SecurityGroupCannotUpdateDefault', 409);
    g.when({ ...createGroup, id: RULE, name: 'default' }).thenThrows('SecurityGroupDefaultAlreadyExists', 409);
    expect(types(g.when({ type: 'DeleteSecurityGroup', actor: ADMIN, at: AT, id: defaultId }).events()).at(-1)).toBe('SecurityGroupDeleted');
  });
});

describe('security group rules', () => {
  it('records a canonical rule in the group', () => {
    const g = given([]).when(createGroup).next();
    g.when({ ...ingressSsh, protocol: 'TCP' }).then([{
      type: 'SecurityGroupRuleCreated',
      data: {
        id: RULE, projectId: 'project-a', securityGroupId: GROUP, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp',
        portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: null, remoteGroupId: null, description: '', createdAt: AT, updatedAt: AT,
      },
    }]);
  });

  it('refuses a duplicate by meaning (409), an unknown remote group (404) and another project (404)', () => {
    const g = given([]).when(createGroup).next().when(ingressSsh).next();
    g.when({ ...ingressSsh, id: GROUP.replace('d1', 'd3'), protocol: 6, remoteIpPrefix: '0.0.0.0/0' }).thenThrows('SecurityGroupRuleExists', 409);
    g.when({ ...ingressSsh, id: GROUP.replace('d1', 'd3'), protocol: 'udp', remoteGroupId: IDS.net }).thenThrows('SecurityGroupNotFound', 404);
    g.when({ ...ingressSsh, actor: BOB, id: GROUP.replace('d1', 'd3'), protocol: 'udp' }).thenThrows('SecurityGroupNotFound', 404);
  });

  it('deletes rules, and a group takes its rules and the rules naming it as remote group with it', () => {
    const other = '00000000-0000-4000-a000-0000000000d4';
    const g = given([]).when(createGroup).next().when(ingressSsh).next()
      .when({ ...createGroup, id: other, name: 'db' }).next()
      .when({ ...ingressSsh, id: '00000000-0000-4000-a000-0000000000d5', securityGroupId: other, remoteGroupId: GROUP, portRangeMin: 5432, portRangeMax: 5432 }).next();
    g.when({ type: 'DeleteSecurityGroupRule', actor: ALICE, at: AT, id: RULE }).then([
      { type: 'SecurityGroupRuleDeleted', data: { id: RULE, securityGroupId: GROUP } },
    ]);
    const gone = g.when({ type: 'DeleteSecurityGroup', actor: ALICE, at: AT, id: GROUP }).next();
    expect(gone.world.securityGroups.has(GROUP)).toBe(false);
    expect([...gone.world.securityGroupRules.values()].some((r) => r.remoteGroupId === GROUP || r.securityGroupId === GROUP)).toBe(false);
    expect(gone.world.securityGroups.get(other)?.ruleIds).toHaveLength(2);
  });
});

describe('ports and security groups', () => {
  const createPort = { type: 'CreatePort', actor: ALICE, at: AT, id: '00000000-0000-4000-a000-0000000000f1', networkId: IDS.net } as const;

  it("gives a new port its project's default group, creating it on first use", () => {
    const events = given(l3Base()).when(createPort).events();
    expect(types(events).slice(0, 5)).toEqual(['SecurityGroupCreated', ...Array(4).fill('SecurityGroupRuleCreated')]);
    const group = events[0];
    const created = events.find((e) => e.type === 'PortCreated');
    if (group.type !== 'SecurityGroupCreated' || created?.type !== 'PortCreated') throw new Error('expected a group and a port');
    expect(created.data.securityGroups).toEqual([group.data.id]);
  });

  it('refuses security groups without port security (400), and a group in use cannot be deleted (409)', () => {
    const g = given(l3Base()).when(createGroup).next();
    g.when({ ...createPort, portSecurityEnabled: false, securityGroups: [GROUP] }).thenThrows('PortSecurityAndIPRequiredForSecurityGroups', 400);
    const withPort = g.when({ ...createPort, securityGroups: [GROUP] }).next();
    withPort.when({ type: 'DeleteSecurityGroup', actor: ALICE, at: AT, id: GROUP }).thenThrows('SecurityGroupInUse', 409);
    withPort.when({ type: 'UpdatePort', actor: ALICE, at: AT, id: createPort.id, portSecurityEnabled: false }).thenThrows('PortSecurityPortHasSecurityGroup', 409);
    const bare = given(l3Base()).when({ ...createPort, portSecurityEnabled: false }).events();
    expect(types(bare)).toEqual(['PortCreated']);
  });
});
