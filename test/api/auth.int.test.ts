// Token auth on a real log: 401 without a token, project isolation (404 for others'), admin-only attributes and hosts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/principal.ts';
import { startHarness, type ApiClient, type Harness } from '../support/apiClient.ts';

const tokens = new Map<string, Principal>([
  ['tok-admin', { userId: 'root', projectId: 'ops', isAdmin: true }],
  ['tok-alice', { userId: 'alice', projectId: 'project-a', isAdmin: false }],
  ['tok-bob', { userId: 'bob', projectId: 'project-b', isAdmin: false }],
]);

let harness: Harness;
let alice: ApiClient;
let bob: ApiClient;
let admin: ApiClient;
beforeAll(async () => {
  harness = await startHarness({ auth: { kind: 'tokens', tokens } });
  [alice, bob, admin] = ['tok-alice', 'tok-bob', 'tok-admin'].map((t) => harness.client.as(t));
});
afterAll(async () => harness.cleanup());

describe('token auth', () => {
  it('answers 401 without or with an unknown token, but serves the version document', async () => {
    const none = await harness.client.get('/v2.0/networks');
    expect([none.status, none.body.NeutronError.type]).toEqual([401, 'HTTPUnauthorized']);
    expect(none.headers.get('X-Openstack-Request-Id')).toMatch(/^req-/);
    expect((await harness.client.as('nope').get('/v2.0/networks')).status).toBe(401);
    const root = await harness.client.get('/');
    expect(root.body.versions[0]).toMatchObject({ id: 'v2.0', status: 'CURRENT' });
  });

  it("isolates projects: others' resources are 404 and absent from lists; admins see all", async () => {
    const net = (await alice.post('/v2.0/networks', { network: { name: 'a-net' } })).body.network;
    expect(net.project_id).toBe('project-a');
    expect(net['provider:segmentation_id']).toBeUndefined();
    await alice.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.5.0.0/24' } });
    const port = (await alice.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect(port['binding:host_id']).toBeUndefined();
    await bob.post('/v2.0/networks', { network: { name: 'b-net' } });
    expect((await bob.get(`/v2.0/networks/${net.id}`)).body.NeutronError.type).toBe('NetworkNotFound');
    expect((await bob.get(`/v2.0/ports/${port.id}`)).status).toBe(404);
    expect((await bob.delete(`/v2.0/networks/${net.id}`)).status).toBe(404);
    expect((await bob.post('/v2.0/ports', { port: { network_id: net.id } })).status).toBe(404);
    expect((await bob.get('/v2.0/networks')).body.networks.map((n: { name: string }) => n.name)).toEqual(['b-net']);
    expect((await bob.get('/v2.0/ports')).body.ports).toEqual([]);
    expect((await bob.get(`/v2.0/ports?network_id=${net.id}`)).body.ports).toEqual([]);
    expect((await bob.get(`/v2.0/ports?id=${port.id}`)).body.ports).toEqual([]);
    const all = (await admin.get('/v2.0/networks?sort_key=name')).body.networks;
    expect(all.map((n: { name: string }) => n.name)).toEqual(['a-net', 'b-net']);
    expect(all[0]['provider:network_type']).toBe('vxlan');
  });

  it('keeps provider attributes, binding and hosts for admins (403 otherwise)', async () => {
    const provider = await alice.post('/v2.0/networks', { network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 77 } });
    expect([provider.status, provider.body.NeutronError.type]).toEqual([403, 'PolicyNotAuthorized']);
    const hosts = await alice.get('/v2.0/hosts');
    expect(hosts.status).toBe(403);
    const register = await alice.post('/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.0.2.1' } });
    expect(register.status).toBe(403);
    expect((await admin.post('/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.0.2.1' } })).status).toBe(201);
  });

  it('records the request id and the actor in every event of an intent', async () => {
    const res = await bob.post('/v2.0/networks', { network: { name: 'traced' } });
    const requestId = res.headers.get('X-Openstack-Request-Id');
    const events = (await harness.events()).filter((e) => e.stream === `network-${res.body.network.id}`);
    expect(events).toHaveLength(1);
    expect(events[0].metadata).toMatchObject({ requestId, correlationId: requestId, actor: { userId: 'bob', projectId: 'project-b' } });
  });

  it("uses the caller's global request id as the correlation id", async () => {
    const global = 'req-0b6f2bd4-3d9e-4bd8-9df4-2d0a1f0a4c1e';
    const res = await bob.app.request('/v2.0/networks', {
      method: 'POST',
      headers: { 'X-Auth-Token': 'tok-bob', 'X-Openstack-Request-Id': global, 'Content-Type': 'application/json' },
      body: JSON.stringify({ network: { name: 'from-nova' } }),
    });
    const own = res.headers.get('X-Openstack-Request-Id');
    expect(own).not.toBe(global);
    const { network } = (await res.json()) as { network: { id: string } };
    const [event] = (await harness.events()).filter((e) => e.stream === `network-${network.id}`);
    expect(event.metadata).toMatchObject({ requestId: own, correlationId: global });
  });
});
