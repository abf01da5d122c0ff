// Floating IPs through the HTTP API on a real SQLite log: association, refusals, isolation, concurrency, replay.
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/apiClient.ts';
import { externalNetwork, routerWith, tenantNetwork, tokenHarness, vmPort } from './l3Setup.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

/** Concurrent intents in flight at once (the acceptance figure for the no-duplicate guarantee). */
const CONCURRENT_CREATES = 100;
const CONCURRENT_ASSOCIATIONS = 20;

async function routedProject(h: Harness) {
  const admin = h.client.as('admin-token');
  const alice = h.client.as('alice-token');
  const ext = await externalNetwork(admin);
  const priv = await tenantNetwork(alice);
  const router = await routerWith(alice, ext.net.id, priv.subnet.id);
  const vm = await vmPort(alice, priv.net.id);
  return { admin, alice, ext, priv, router, vm };
}

describe('floating IPs API', () => {
  it('allocates, associates (router_id filled in), disassociates and deletes in Neutron shapes', async () => {
    harness = await tokenHarness();
    const { alice, ext, router, vm } = await routedProject(harness);
    const created = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: vm.id } });
    expect(created.status).toBe(201);
    const fip = created.body.floatingip;
    expect(fip).toMatchObject({
      floating_network_id: ext.net.id, subnet_id: ext.subnet.id, port_id: vm.id, fixed_ip_address: vm.fixed_ips[0].ip_address,
      router_id: router.id, status: 'DOWN', project_id: 'project-a', tenant_id: 'project-a', description: '',
    });
    expect(fip.floating_ip_address).toMatch(/^203\.0\.113\.\d+$/);
    expect(fip.port_details).toMatchObject({ network_id: vm.network_id, mac_address: vm.mac_address, device_owner: 'compute:nova' });
    const off = await alice.put(`/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } });
    expect(off.body.floatingip).toMatchObject({ port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' });
    const on = await alice.put(`/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: vm.id } });
    expect(on.body.floatingip).toMatchObject({ port_id: vm.id, router_id: router.id });
    const types = (await harness.events()).filter((e) => e.stream === `floatingip-${fip.id}`).map((e) => e.type);
    expect(types).toEqual(['FloatingIpCreated', 'FloatingIpAssociated', 'FloatingIpDisassociated', 'FloatingIpAssociated']);
    expect((await alice.delete(`/v2.0/floatingips/${fip.id}`)).status).toBe(204);
    expect((await alice.get(`/v2.0/floatingips/${fip.id}`)).body.NeutronError.type).toBe('FloatingIPNotFound');
  });

  it('refuses with Neutron error types and appends nothing for a refused create', async () => {
    harness = await tokenHarness();
    const { admin, alice, ext, priv, vm } = await routedProject(harness);
    const internal = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: priv.net.id } });
    expect([internal.status, internal.body.NeutronError.type]).toEqual([400, 'BadRequest']);
    const unrouted = await tenantNetwork(alice, '10.9.0.0/24');
    const lonely = await vmPort(alice, unrouted.net.id);
    const before = (await harness.events()).length;
    const noGateway = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: lonely.id } });
    expect([noGateway.status, noGateway.body.NeutronError.type]).toEqual([404, 'ExternalGatewayForFloatingIPNotFound']);
    expect((await harness.events()).length).toBe(before);
    await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: vm.id } });
    const twice = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: vm.id } });
    expect([twice.status, twice.body.NeutronError.type]).toEqual([409, 'FloatingIPPortAlreadyAssociated']);
    const chosen = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, floating_ip_address: '203.0.113.99' } });
    expect(chosen.status).toBe(403);
    const byAdmin = await admin.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, floating_ip_address: '203.0.113.99' } });
    expect(byAdmin.body.floatingip.floating_ip_address).toBe('203.0.113.99');
    const taken = await admin.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, floating_ip_address: '203.0.113.99' } });
    expect([taken.status, taken.body.NeutronError.type]).toEqual([409, 'IpAddressInUse']);
    const badPort = await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: 'not-a-uuid' } });
    expect(badPort.status).toBe(400);
  });

  it('disassociates when the port is deleted, and keeps projects apart', async () => {
    harness = await tokenHarness();
    const { alice, ext, vm } = await routedProject(harness);
    const bob = harness.client.as('bob-token');
    const fip = (await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: vm.id } })).body.floatingip;
    expect((await bob.get(`/v2.0/floatingips/${fip.id}`)).status).toBe(404);
    expect((await bob.get('/v2.0/floatingips')).body.floatingips).toEqual([]);
    const bobFip = (await bob.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id } })).body.floatingip;
    const steal = await bob.put(`/v2.0/floatingips/${bobFip.id}`, { floatingip: { port_id: vm.id } });
    expect([steal.status, steal.body.NeutronError.type]).toEqual([404, 'PortNotFound']);
    expect((await alice.delete(`/v2.0/ports/${vm.id}`)).status).toBe(204);
    expect((await alice.get(`/v2.0/floatingips/${fip.id}`)).body.floatingip).toMatchObject({ port_id: null, router_id: null });
  });

  it(`never hands out one address twice to ${CONCURRENT_CREATES} concurrent creates, and survives a restart`, async () => {
    harness = await tokenHarness();
    const { alice, ext } = await routedProject(harness);
    const results = await Promise.all(
      Array.from({ length: CONCURRENT_CREATES }, () => alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(CONCURRENT_CREATES).fill(201));
    const addresses = results.map((r) => r.body.floatingip.floating_ip_address);
    expect(new Set(addresses).size).toBe(CONCURRENT_CREATES);
    const gateway = (await harness.client.as('admin-token').get(`/v2.0/ports?network_id=${ext.net.id}&device_owner=network:router_gateway`)).body.ports[0];
    expect(addresses).not.toContain(gateway.fixed_ips[0].ip_address);
    const listed = (await alice.get('/v2.0/floatingips')).body.floatingips;
    harness = await harness.restart();
    expect((await harness.client.as('alice-token').get('/v2.0/floatingips')).body.floatingips).toEqual(listed);
  });

  it(`gives a port one floating IP when ${CONCURRENT_ASSOCIATIONS} associations race`, async () => {
    harness = await tokenHarness();
    const { alice, ext, vm } = await routedProject(harness);
    const fips = await Promise.all(
      Array.from({ length: CONCURRENT_ASSOCIATIONS }, async () =>
        (await alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id } })).body.floatingip),
    );
    const raced = await Promise.all(fips.map((f) => alice.put(`/v2.0/floatingips/${f.id}`, { floatingip: { port_id: vm.id } })));
    expect(raced.filter((r) => r.status === 200)).toHaveLength(1);
    expect(raced.filter((r) => r.status === 409).every((r) => r.body.NeutronError.type === 'FloatingIPPortAlreadyAssociated')).toBe(true);
    const associated = (await alice.get(`/v2.0/floatingips?port_id=${vm.id}`)).body.floatingips;
    expect(associated).toHaveLength(1);
    const creates = await Promise.all(
      Array.from({ length: CONCURRENT_ASSOCIATIONS }, () => alice.post('/v2.0/floatingips', { floatingip: { floating_network_id: ext.net.id, port_id: vm.id } })),
    );
    expect(creates.every((r) => r.status === 409)).toBe(true);
    expect((await alice.get(`/v2.0/floatingips?port_id=${vm.id}`)).body.floatingips).toHaveLength(1);
  });
});
