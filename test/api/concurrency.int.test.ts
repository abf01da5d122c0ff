// Concurrent intents on a real SQLite log: no duplicate IP, MAC or VNI, and the log replays to the same answers.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apiClient.ts';

const CLIENTS = 100;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('concurrent intents', () => {
  it('100 concurrent port creates in a /26 hand out each address and MAC once; the rest fail with 409', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: { name: 'busy' } })).body.network;
    await harness.client.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.20.0.0/26' } });
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, () => harness!.client.post('/v2.0/ports', { port: { network_id: net.id } })),
    );
    const ok = answers.filter((a) => a.status === 201).map((a) => a.body.port);
    const refused = answers.filter((a) => a.status !== 201);
    // A /26 minus network, gateway and broadcast leaves 61 addresses.
    expect(ok).toHaveLength(61);
    expect(new Set(ok.map((p) => p.fixed_ips[0].ip_address)).size).toBe(61);
    expect(new Set(ok.map((p) => p.mac_address)).size).toBe(61);
    expect(refused.every((a) => a.status === 409 && a.body.NeutronError.type === 'IpAddressGenerationFailure')).toBe(true);
    const portEvents = (await harness.events()).filter((e) => e.type === 'PortCreated');
    expect(portEvents).toHaveLength(61);
    const before = (await harness.client.get('/v2.0/ports?sort_key=mac_address')).body;
    harness = await harness.restart();
    expect((await harness.client.get('/v2.0/ports?sort_key=mac_address')).body).toEqual(before);
  });

  it('concurrent network creates never share a VNI', async () => {
    harness = await startHarness({ vniRange: { min: 1000, max: 1999 } });
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) => harness!.client.post('/v2.0/networks', { network: { name: `n${i}` } })),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const vnis = answers.map((a) => a.body.network['provider:segmentation_id']);
    expect(new Set(vnis).size).toBe(CLIENTS);
    expect(Math.min(...vnis)).toBe(1000);
    expect(Math.max(...vnis)).toBe(1000 + CLIENTS - 1);
  });

  it('replays a mixed history (hosts, networks, subnets, bound ports, updates, deletes) to identical answers', async () => {
    harness = await startHarness();
    const c = harness.client;
    await c.post('/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.0.2.11' } });
    const net = (await c.post('/v2.0/networks', { network: { name: 'n' } })).body.network;
    const sub = (await c.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.30.0.0/24' } })).body.subnet;
    const p1 = (await c.post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'hv1' } })).body.port;
    const p2 = (await c.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    await c.put(`/v2.0/ports/${p2.id}`, { port: { fixed_ips: [{ subnet_id: sub.id, ip_address: '10.30.0.99' }], name: 'moved' } });
    await c.delete(`/v2.0/ports/${p1.id}`);
    await c.put(`/v2.0/subnets/${sub.id}`, { subnet: { name: 'renamed' } });
    const paths = ['/v2.0/hosts', '/v2.0/networks', '/v2.0/subnets', '/v2.0/ports', '/v2.0/security-groups'];
    const before = await Promise.all(paths.map(async (p) => (await c.get(p)).body));
    harness = await harness.restart();
    const after = await Promise.all(paths.map(async (p) => (await harness!.client.get(p)).body));
    expect(after).toEqual(before);
    // The replayed allocation cursor continues where it was: the next port does not reuse a live address.
    const p3 = (await harness.client.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect(p3.fixed_ips[0].ip_address).not.toBe('10.30.0.99');
  });
});
