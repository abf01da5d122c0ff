// Security groups and rules through the HTTP API on a real SQLite log: defaults, refusals, isolation, replay.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const TOKENS = new Map([
  ['admin-token', { userId: 'root', projectId: 'admin-project', isAdmin: true }],
  ['alice-token', { userId: 'alice', projectId: 'project-a', isAdmin: false }],
  ['bob-token', { userId: 'bob', projectId: 'project-b', isAdmin: false }],
]);

async function tokenHarness(): Promise<Harness> {
  return startHarness({ auth: { kind: 'tokens', tokens: TOKENS } });
}

describe('security groups API', () => {
  it('creates the project default group with Neutron default rules on first listing, once', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const first = await alice.get('/v2.0/security-groups');
    expect(first.status).toBe(200);
    expect(first.body.security_groups).toHaveLength(1);
    const group = first.body.security_groups[0];
    expect(group).toMatchObject({ name: 'default', project_id: 'project-a', tenant_id: 'project-a', stateful: true });
    const rules = group.security_group_rules.map((r: Record<string, unknown>) => [r.direction, r.ethertype, r.remote_group_id, r.protocol]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ['egress', 'IPv4', null, null],
        ['egress', 'IPv6', null, null],
        ['ingress', 'IPv4', group.id, null],
        ['ingress', 'IPv6', group.id, null],
      ]),
    );
    expect(rules).toHaveLength(4);
    const again = await alice.get('/v2.0/security-groups');
    expect(again.body.security_groups.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const types = (await harness.events()).map((e) => e.type);
    expect(types).toEqual(['SecurityGroupCreated', ...Array(4).fill('SecurityGroupRuleCreated')]);
    // Rule events live in their group's stream.
    expect(new Set((await harness.events()).map((e) => e.stream))).toEqual(new Set([`security-group-${group.id}`]));
  });

  it('creates groups with egress rules, refuses "default" and cannot delete the default group as a user', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const created = await alice.post('/v2.0/security-groups', { security_group: { name: 'web', description: 'web tier' } });
    expect(created.status).toBe(201);
    expect(created.body.security_group.security_group_rules.map((r: { direction: string }) => r.direction)).toEqual(['egress', 'egress']);
    const named = await alice.post('/v2.0/security-groups', { security_group: { name: 'default' } });
    expect(named.status).toBe(409);
    expect(named.body.NeutronError.type).toBe('SecurityGroupDefaultAlreadyExists');
    const groups = (await alice.get('/v2.0/security-groups?name=default')).body.security_groups;
    expect(groups).toHaveLength(1);
    const del = await alice.delete(`/v2.0/security-groups/${groups[0].id}`);
    expect(del.status).toBe(409);
    expect(del.body.NeutronError.type).toBe('SecurityGroupCannotRemoveDefault');
    const rename = await alice.put(`/v2.0/security-groups/${groups[0].id}`, { security_group: { name: 'x' } });
    expect(rename.status).toBe(409);
    expect(rename.body.NeutronError.type).toBe('SecurityGroupCannotUpdateDefault');
    const update = await alice.put(`/v2.0/security-groups/${created.body.security_group.id}`, { security_group: { name: 'www' } });
    expect(update.body.security_group.name).toBe('www');
    expect((await alice.delete(`/v2.0/security-groups/${created.body.security_group.id}`)).status).toBe(204);
  });

  it('creates rules, refuses duplicates (409 SecurityGroupRuleExists) and invalid rules with their Neutron types', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const group = (await alice.post('/v2.0/security-groups', { security_group: { name: 'ssh' } })).body.security_group;
    const rule = { security_group_id: group.id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.7/8' };
    const created = await alice.post('/v2.0/security-group-rules', { security_group_rule: rule });
    expect(created.status).toBe(201);
    expect(created.body.security_group_rule).toMatchObject({
      ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.0/8', project_id: 'project-a',
    });
    const dup = await alice.post('/v2.0/security-group-rules', { security_group_rule: { ...rule, protocol: '6', ethertype: 'ipv4' } });
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError.type).toBe('SecurityGroupRuleExists');
    expect(dup.body.NeutronError.message).toContain(created.body.security_group_rule.id);
    const refusals: [Record<string, unknown>, string][] = [
      [{ port_range_min: 30, port_range_max: 20 }, 'SecurityGroupInvalidPortRange'],
      [{ protocol: null }, 'SecurityGroupProtocolRequiredWithPorts'],
      [{ protocol: 'bogus' }, 'SecurityGroupRuleInvalidProtocol'],
      [{ remote_group_id: group.id }, 'SecurityGroupRemoteGroupAndRemoteIpPrefix'],
      [{ remote_ip_prefix: '2001:db8::/32' }, 'SecurityGroupRuleParameterConflict'],
      [{ port_range_max: 70000 }, 'SecurityGroupInvalidPortValue'],
    ];
    for (const [change, type] of refusals) {
      const res = await alice.post('/v2.0/security-group-rules', { security_group_rule: { ...rule, ...change } });
      expect([res.status, res.body.NeutronError.type]).toEqual([400, type]);
    }
    const badDirection = await alice.post('/v2.0/security-group-rules', { security_group_rule: { ...rule, direction: 'sideways' } });
    expect(badDirection.status).toBe(400);
    const shown = await alice.get(`/v2.0/security-groups/${group.id}`);
    expect(shown.body.security_group.security_group_rules).toHaveLength(3);
    expect((await alice.delete(`/v2.0/security-group-rules/${created.body.security_group_rule.id}`)).status).toBe(204);
    expect((await alice.get(`/v2.0/security-group-rules/${created.body.security_group_rule.id}`)).body.NeutronError.type).toBe(
      'SecurityGroupRuleNotFound',
    );
    expect((await harness.events()).filter((e) => e.type === 'SecurityGroupRuleDeleted')).toHaveLength(1);
  });

  it('keeps projects apart: others see no group, cannot add rules to it or reference it', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const bob = harness.client.as('bob-token');
    const group = (await alice.post('/v2.0/security-groups', { security_group: { name: 'private' } })).body.security_group;
    expect((await bob.get(`/v2.0/security-groups/${group.id}`)).status).toBe(404);
    const bobGroups = (await bob.get('/v2.0/security-groups')).body.security_groups;
    expect(bobGroups.map((g: { project_id: string }) => g.project_id)).toEqual(['project-b']);
    expect((await bob.get('/v2.0/security-group-rules')).body.security_group_rules.every((r: { project_id: string }) => r.project_id === 'project-b')).toBe(true);
    const onTheirs = await bob.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: group.id, direction: 'ingress' } });
    expect([onTheirs.status, onTheirs.body.NeutronError.type]).toEqual([404, 'SecurityGroupNotFound']);
    const referencing = await bob.post('/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: bobGroups[0].id, direction: 'ingress', remote_group_id: group.id },
    });
    expect([referencing.status, referencing.body.NeutronError.type]).toEqual([404, 'SecurityGroupNotFound']);
    const admin = harness.client.as('admin-token');
    const forCarol = (await admin.get('/v2.0/security-groups?project_id=project-c')).body.security_groups;
    expect(forCarol.map((g: { name: string; project_id: string }) => [g.name, g.project_id])).toEqual([['default', 'project-c']]);
    const all = (await admin.get('/v2.0/security-groups')).body.security_groups.map((g: { project_id: string }) => g.project_id);
    expect(new Set(all)).toEqual(new Set(['project-a', 'project-b', 'project-c', 'admin-project']));
    expect((await admin.delete(`/v2.0/security-groups/${bobGroups[0].id}`)).status).toBe(204);
  });

  it("gives ports their project's default group, and refuses groups without port security or in use", async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const net = (await alice.post('/v2.0/networks', { network: { name: 'n' } })).body.network;
    await alice.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.0.0.0/24', ip_version: 4 } });
    const port = (await alice.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    const defaults = (await alice.get('/v2.0/security-groups?name=default')).body.security_groups;
    expect(defaults).toHaveLength(1);
    expect(port.security_groups).toEqual([defaults[0].id]);
    const web = (await alice.post('/v2.0/security-groups', { security_group: { name: 'web' } })).body.security_group;
    const noSecurity = await alice.post('/v2.0/ports', { port: { network_id: net.id, port_security_enabled: false, security_groups: [web.id] } });
    expect([noSecurity.status, noSecurity.body.NeutronError.type]).toEqual([400, 'PortSecurityAndIPRequiredForSecurityGroups']);
    const bare = (await alice.post('/v2.0/ports', { port: { network_id: net.id, port_security_enabled: false } })).body.port;
    expect(bare.security_groups).toEqual([]);
    const moved = await alice.put(`/v2.0/ports/${port.id}`, { port: { security_groups: [web.id] } });
    expect(moved.body.port.security_groups).toEqual([web.id]);
    const inUse = await alice.delete(`/v2.0/security-groups/${web.id}`);
    expect([inUse.status, inUse.body.NeutronError.type]).toEqual([409, 'SecurityGroupInUse']);
    const disable = await alice.put(`/v2.0/ports/${port.id}`, { port: { port_security_enabled: false } });
    expect([disable.status, disable.body.NeutronError.type]).toEqual([409, 'PortSecurityPortHasSecurityGroup']);
    await alice.put(`/v2.0/ports/${port.id}`, { port: { security_groups: [], port_security_enabled: false } });
    expect((await alice.delete(`/v2.0/security-groups/${web.id}`)).status).toBe(204);
  });

  it('creates one default group when first uses race (listings and port creates at once)', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const net = (await alice.post('/v2.0/networks', { network: { name: 'n' } })).body.network;
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0 ? alice.get('/v2.0/security-groups') : alice.post('/v2.0/ports', { port: { network_id: net.id } })));
    expect(racing.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    const defaults = (await alice.get('/v2.0/security-groups?name=default')).body.security_groups;
    expect(defaults).toHaveLength(1);
    const ports = (await alice.get(`/v2.0/ports?network_id=${net.id}`)).body.ports;
    expect(ports.every((p: { security_groups: string[] }) => p.security_groups.length === 1 && p.security_groups[0] === defaults[0].id)).toBe(true);
    expect((await harness.events()).filter((e) => e.type === 'SecurityGroupCreated')).toHaveLength(1);
  });

  it('gives the same groups after a restart on the same log', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    await alice.post('/v2.0/security-groups', { security_group: { name: 'a' } });
    const before = (await alice.get('/v2.0/security-groups')).body;
    harness = await harness.restart();
    expect((await harness.client.as('alice-token').get('/v2.0/security-groups')).body).toEqual(before);
  });
});
