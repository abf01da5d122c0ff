// Neutron's standard-attr-tag API on a real log: sub-resource routes on every taggable collection, list filters, events, isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, Harness } from '../support/apiClient.ts';
import { externalNetwork, routerWith, tenantNetwork, tokenHarness, vmPort } from './l3Setup.ts';

let harness: Harness;
let admin: ApiClient;
let alice: ApiClient;
let bob: ApiClient;
/** collection path -> one of alice's resources in it */
const owned = new Map<string, string>();

beforeAll(async () => {
  harness = await tokenHarness();
  [admin, alice, bob] = ['admin-token', 'alice-token', 'bob-token'].map((t) => harness.client.as(t));
  const ext = await externalNetwork(admin);
  const { net, subnet } = await tenantNetwork(alice);
  const router = await routerWith(alice, ext.net.id, subnet.id);
  const port = await vmPort(alice, net.id);
  const fip = (await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id } })).body.floatingip;
  const group = (await alice.post('/v2.0/security-groups', { security_group: { name: 'web' } })).body.security_group;
  for (const [path, id] of [['networks', net.id], ['subnets', subnet.id], ['ports', port.id], ['routers', router.id], ['floatingips', fip.id], ['security-groups', group.id]]) {
    owned.set(path, id);
  }
});
afterAll(async () => harness.cleanup());

const MEMBER: Record<string, string> = {
  networks: 'network', subnets: 'subnet', ports: 'port', routers: 'router', floatingips: 'floatingip', 'security-groups': 'security_group',
};

describe('tags API', () => {
  it('replaces, adds, checks, removes and clears tags on every taggable collection, with tags in the resource', async () => {
    for (const [path, id] of owned) {
      const base = `/v2.0/${path}/${id}/tags`;
      const replaced = await alice.put(base, { tags: ['red', 'blue', 'red'] });
      expect([path, replaced.status, replaced.body]).toEqual([path, 200, { tags: ['blue', 'red'] }]);
      const added = await alice.put(`${base}/green`, undefined);
      expect([path, added.status, added.body]).toEqual([path, 201, undefined]);
      expect((await alice.get(base)).body).toEqual({ tags: ['blue', 'green', 'red'] });
      expect((await alice.get(`${base}/green`)).status).toBe(204);
      const missing = await alice.get(`${base}/purple`);
      expect([missing.status, missing.body.NeutronError.type]).toEqual([404, 'TagNotFound']);
      const shown = (await alice.get(`/v2.0/${path}/${id}`)).body[MEMBER[path]];
      expect([path, shown.tags]).toEqual([path, ['blue', 'green', 'red']]);
      expect((await alice.delete(`${base}/blue`)).status).toBe(204);
      const again = await alice.delete(`${base}/blue`);
      expect([again.status, again.body.NeutronError.type]).toEqual([404, 'TagNotFound']);
      expect((await alice.get(base)).body.tags).toEqual(['green', 'red']);
      expect((await alice.delete(base)).status).toBe(204);
      expect((await alice.get(base)).body.tags).toEqual([]);
    }
  });

  it('records each change as TagsChanged on the resource stream with actor and request id; a no-op records nothing', async () => {
    const id = owned.get('networks') as string;
    const res = await alice.put(`/v2.0/networks/${id}/tags`, { tags: ['audit'] });
    const requestId = res.headers.get('X-Openstack-Request-Id');
    const before = (await harness.events()).length;
    expect((await alice.put(`/v2.0/networks/${id}/tags/audit`, undefined)).status).toBe(201);
    expect((await alice.put(`/v2.0/networks/${id}/tags`, { tags: ['audit'] })).status).toBe(200);
    const events = await harness.events();
    expect(events.length).toBe(before);
    const last = events.at(-1);
    expect(last).toMatchObject({
      stream: `network-${id}`, type: 'TagsChanged', data: { resource: 'network', id, tags: ['audit'] },
      metadata: { requestId, actor: { userId: 'alice', projectId: 'project-a' } },
    });
    const network = (await alice.get(`/v2.0/networks/${id}`)).body.network;
    harness = await harness.restart();
    [admin, alice, bob] = ['admin-token', 'alice-token', 'bob-token'].map((t) => harness.client.as(t));
    expect((await alice.get(`/v2.0/networks/${id}`)).body.network).toMatchObject({ tags: ['audit'], revision_number: network.revision_number });
  });

  it('lands every one of many concurrent single-tag adds (each is applied to the world at decision time)', async () => {
    const id = owned.get('subnets') as string;
    const CONCURRENT = 25;
    const tags = Array.from({ length: CONCURRENT }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(tags.map((t) => alice.put(`/v2.0/subnets/${id}/tags/${t}`, undefined)));
    expect(answers.map((a) => a.status)).toEqual(tags.map(() => 201));
    expect((await alice.get(`/v2.0/subnets/${id}/tags`)).body.tags).toEqual(tags);
    await alice.delete(`/v2.0/subnets/${id}/tags`);
  });

  it('filters lists by tags (all), tags-any, not-tags and not-tags-any, comma-separated', async () => {
    const make = async (name: string, tags: string[]) => {
      const net = (await alice.post('/v2.0/networks', { network: { name, tags } })).body.network;
      return net.id as string;
    };
    const ab = await make('f-ab', ['a', 'b']);
    const a = await make('f-a', ['a']);
    const c = await make('f-c', ['c']);
    const none = await make('f-none', []);
    const names = async (query: string) => {
      const res = await alice.get(`/v2.0/networks?${query}`);
      return (res.body.networks as { id: string }[]).map((n) => n.id).filter((id) => [ab, a, c, none].includes(id)).sort();
    };
    expect(await names('tags=a,b')).toEqual([ab].sort());
    expect(await names('tags=a')).toEqual([ab, a].sort());
    expect(await names('tags-any=b,c')).toEqual([ab, c].sort());
    expect(await names('not-tags=a,b')).toEqual([a, c, none].sort());
    expect(await names('not-tags-any=a,c')).toEqual([none].sort());
    expect(await names('tags=a&tags=b')).toEqual([ab].sort());
    expect(await names('tags=a&not-tags=b')).toEqual([a].sort());
  });

  it("keeps projects apart: others' resources are 404, a shared one is readable but not taggable, admins tag anything", async () => {
    const id = owned.get('ports') as string;
    const foreign = await bob.put(`/v2.0/ports/${id}/tags/x`, undefined);
    expect([foreign.status, foreign.body.NeutronError.type]).toEqual([404, 'PortNotFound']);
    expect((await bob.get(`/v2.0/ports/${id}/tags`)).status).toBe(404);
    const shared = (await admin.post('/v2.0/networks', { network: { name: 'shared', shared: true, tags: ['s'] } })).body.network;
    expect((await bob.get(`/v2.0/networks/${shared.id}/tags`)).body).toEqual({ tags: ['s'] });
    const refused = await bob.put(`/v2.0/networks/${shared.id}/tags`, { tags: [] });
    expect([refused.status, refused.body.NeutronError.type]).toEqual([403, 'PolicyNotAuthorized']);
    expect((await admin.put(`/v2.0/ports/${id}/tags/ops`, undefined)).status).toBe(201);
  });

  it('refuses malformed tag bodies with 400 and lists the extension', async () => {
    const id = owned.get('routers') as string;
    for (const body of [{ tags: 'x' }, { tags: [''] }, { tags: ['x'.repeat(256)] }, { tag: ['x'] }, [], { tags: [1] }]) {
      const res = await alice.put(`/v2.0/routers/${id}/tags`, body);
      expect([JSON.stringify(body).slice(0, 30), res.status]).toEqual([JSON.stringify(body).slice(0, 30), 400]);
    }
    expect((await alice.put(`/v2.0/routers/${id}/tags/${'y'.repeat(256)}`, undefined)).status).toBe(400);
    const aliases = (await alice.get('/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toContain('standard-attr-tag');
  });
});
