// The southbound records port status through the same pipeline (esdn is the single writer of its log).
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_PRINCIPAL } from '../../src/domain/principal.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('port status from the southbound', () => {
  it('turns a port ACTIVE with a PortStatusChanged event, visible in the API and after replay', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: {} })).body.network;
    const port = (await harness.client.post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'hv1' } })).body.port;
    const meta = { requestId: 'req-southbound-1', actor: { userId: SYSTEM_PRINCIPAL.userId, projectId: SYSTEM_PRINCIPAL.projectId } };
    const at = '2026-11-25T22:00:00Z';
    const done = await harness.service.execute({ type: 'SetPortStatus', actor: SYSTEM_PRINCIPAL, at, id: port.id, status: 'ACTIVE' }, meta);
    expect(done.events).toEqual([{ type: 'PortStatusChanged', data: { id: port.id, status: 'ACTIVE', updatedAt: at } }]);
    // Unchanged status: nothing to record.
    const again = await harness.service.execute({ type: 'SetPortStatus', actor: SYSTEM_PRINCIPAL, at, id: port.id, status: 'ACTIVE' }, meta);
    expect(again.events).toEqual([]);
    expect((await harness.client.get(`/v2.0/ports/${port.id}`)).body.port).toMatchObject({ status: 'ACTIVE', revision_number: 3 });
    harness = await harness.restart();
    expect((await harness.client.get(`/v2.0/ports/${port.id}`)).body.port.status).toBe('ACTIVE');
    const missing = harness.service.execute({ type: 'SetPortStatus', actor: SYSTEM_PRINCIPAL, at, id: 'nope', status: 'DOWN' }, meta);
    await expect(missing).rejects.toMatchObject({ type: 'PortNotFound' });
  });

  it('filters ports by fixed IP and device, as Nova and the CLI do', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: {} })).body.network;
    await harness.client.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.60.0.0/24' } });
    const a = (await harness.client.post('/v2.0/ports', { port: { network_id: net.id, device_id: 'vm-a' } })).body.port;
    await harness.client.post('/v2.0/ports', { port: { network_id: net.id, device_id: 'vm-b' } });
    const byIp = await harness.client.get(`/v2.0/ports?fixed_ips=ip_address%3D${a.fixed_ips[0].ip_address}`);
    expect(byIp.body.ports.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const byDevice = await harness.client.get('/v2.0/ports?device_id=vm-a&fields=id');
    expect(byDevice.body.ports).toEqual([{ id: a.id }]);
    const noDevice = (await harness.client.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect((await harness.client.get('/v2.0/ports?device_id=&fields=id')).body.ports).toEqual([{ id: noDevice.id }]);
    expect((await harness.client.get(`/v2.0/ports?network_id=${net.id}`)).body.ports).toHaveLength(3);
    expect((await harness.client.get(`/v2.0/ports?network_id=${net.id}&device_id=vm-b`)).body.ports).toHaveLength(1);
    expect((await harness.client.get(`/v2.0/ports?id=${a.id}&id=${noDevice.id}`)).body.ports).toHaveLength(2);
    expect((await harness.client.get('/v2.0/ports?network_id=nope')).body.ports).toEqual([]);
  });
});
