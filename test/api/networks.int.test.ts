// Networks through the HTTP API on a real SQLite log: envelopes, defaults, errors, VNIs, delete, replay.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('networks API', () => {
  it('creates a network with Neutron defaults and a VNI from the configured range', async () => {
    harness = await startHarness({ vniRange: { min: 1000, max: 1999 } });
    const res = await harness.client.post('/v2.0/networks', { network: { name: 'net1' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('X-Openstack-Request-Id')).toMatch(/^req-[0-9a-f-]{36}$/);
    const net = res.body.network;
    expect(net).toMatchObject({
      name: 'net1', admin_state_up: true, status: 'ACTIVE', shared: false, 'router:external': false, mtu: 1450,
      subnets: [], 'provider:network_type': 'vxlan', 'provider:physical_network': null, 'provider:segmentation_id': 1000,
      project_id: 'admin', tenant_id: 'admin', revision_number: 1, tags: [], description: '',
    });
    expect(net.id).toMatch(/^[0-9a-f-]{36}$/);
    const shown = await harness.client.get(`/v2.0/networks/${net.id}`);
    expect(shown.body).toEqual({ network: net });
  });

  it('answers 404 NetworkNotFound, 400 for unknown attributes and malformed JSON', async () => {
    harness = await startHarness();
    const missing = await harness.client.get('/v2.0/networks/0b6f2bd4-3d9e-4bd8-9df4-2d0a1f0a4c1e');
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError).toMatchObject({ type: 'NetworkNotFound', detail: '' });
    const unknown = await harness.client.post('/v2.0/networks', { network: { name: 'x', colour: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.NeutronError.message).toContain('colour');
    const badType = await harness.client.post('/v2.0/networks', { network: { admin_state_up: 'maybe' } });
    expect(badType.status).toBe(400);
    expect(badType.body.NeutronError.message).toContain('admin_state_up');
    const malformed = await harness.client.post('/v2.0/networks', '{"network": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.NeutronError.type).toBe('HTTPBadRequest');
    expect(await harness.events()).toHaveLength(0);
  });

  it('refuses a VNI that is in use and a network when the range is exhausted (503), appending nothing', async () => {
    harness = await startHarness({ vniRange: { min: 1000, max: 1001 } });
    const a = await harness.client.post('/v2.0/networks', { network: { name: 'a' } });
    await harness.client.post('/v2.0/networks', { network: { name: 'b' } });
    const full = await harness.client.post('/v2.0/networks', { network: { name: 'c' } });
    expect(full.status).toBe(503);
    expect(full.body.NeutronError.type).toBe('NoNetworkAvailable');
    const taken = await harness.client.post('/v2.0/networks', {
      network: { 'provider:network_type': 'vxlan', 'provider:segmentation_id': 1000 },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.NeutronError.type).toBe('TunnelIdInUse');
    expect(await harness.events()).toHaveLength(2);
    // Deleting a network frees its VNI for the next one.
    expect((await harness.client.delete(`/v2.0/networks/${a.body.network.id}`)).status).toBe(204);
    const again = await harness.client.post('/v2.0/networks', { network: { name: 'd' } });
    expect(again.body.network['provider:segmentation_id']).toBe(1000);
  });

  it('updates, deletes, and gives the same answers after a restart on the same log', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: { name: 'old' } })).body.network;
    const updated = await harness.client.put(`/v2.0/networks/${net.id}`, { network: { name: 'new', mtu: 1400 } });
    expect(updated.status).toBe(200);
    expect(updated.body.network).toMatchObject({ name: 'new', mtu: 1400, revision_number: 2 });
    const flat = await harness.client.post('/v2.0/networks', {
      network: { name: 'pub', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
    });
    expect(flat.body.network).toMatchObject({ mtu: 1500, 'provider:segmentation_id': null, 'router:external': true });
    const before = (await harness.client.get('/v2.0/networks')).body;
    harness = await harness.restart();
    expect((await harness.client.get('/v2.0/networks')).body).toEqual(before);
    expect((await harness.client.delete(`/v2.0/networks/${net.id}`)).status).toBe(204);
    expect((await harness.client.get(`/v2.0/networks/${net.id}`)).status).toBe(404);
  });

  it('honours If-Match: revision_number=N on PUT and DELETE (412 otherwise)', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: { name: 'r' } })).body.network;
    const put = (revision: number) => harness!.client.app.request(`/v2.0/networks/${net.id}`, {
      method: 'PUT',
      headers: { 'If-Match': `revision_number=${revision}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ network: { name: `r${revision}` } }),
    });
    expect((await put(1)).status).toBe(200);
    const stale = await put(1);
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { NeutronError: { type: string } }).NeutronError.type).toBe('RevisionNumberConstraintFailed');
    const del = await harness.client.app.request(`/v2.0/networks/${net.id}`, { method: 'DELETE', headers: { 'If-Match': 'revision_number=2' } });
    expect(del.status).toBe(204);
  });
});
