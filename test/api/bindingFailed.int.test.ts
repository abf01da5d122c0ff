// binding:vif_type follows the host registry: "binding_failed" on an unregistered host, "ovs" once it registers, and back.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const HOST = { name: 'hv7', datapath_id: '00000000000000a7', tunnel_ip: '192.0.2.17', bridge_mappings: {} };
const OVS_DETAILS = { port_filter: true, ovs_hybrid_plug: false, datapath_type: 'system', bridge_name: 'br-int', connectivity: 'l2' };

async function vif(h: Harness, id: string): Promise<{ type: unknown; details: unknown; listed: unknown }> {
  const shown = (await h.client.get(`/v2.0/ports/${id}`)).body.port;
  const listed = (await h.client.get(`/v2.0/ports?id=${id}`)).body.ports[0]['binding:vif_type'];
  return { type: shown['binding:vif_type'], details: shown['binding:vif_details'], listed };
}

describe('binding_failed', () => {
  it('reports a port bound to an unregistered host as binding_failed until the host registers, and again after it leaves', async () => {
    harness = await startHarness();
    const net = (await harness.client.post('/v2.0/networks', { network: {} })).body.network;
    const created = await harness.client.post('/v2.0/ports', { port: { network_id: net.id, 'binding:host_id': 'hv7' } });
    expect(created.body.port).toMatchObject({ 'binding:host_id': 'hv7', 'binding:vif_type': 'binding_failed', 'binding:vif_details': {} });
    const id = created.body.port.id as string;
    const unbound = (await harness.client.post('/v2.0/ports', { port: { network_id: net.id } })).body.port;
    expect(unbound['binding:vif_type']).toBe('unbound');

    expect((await harness.client.post('/v2.0/hosts', { host: HOST })).status).toBe(201);
    expect(await vif(harness, id)).toEqual({ type: 'ovs', details: OVS_DETAILS, listed: 'ovs' });
    // derived, not recorded: registering the host appended nothing on the port's stream
    const portEvents = (await harness.events()).filter((e) => e.stream === `port-${id}`).map((e) => e.type);
    expect(portEvents).toEqual(['PortCreated', 'PortBoundToHost']);

    harness = await harness.restart();
    expect((await vif(harness, id)).type).toBe('ovs');

    expect((await harness.client.delete('/v2.0/hosts/hv7')).status).toBe(204);
    expect(await vif(harness, id)).toEqual({ type: 'binding_failed', details: {}, listed: 'binding_failed' });

    // re-binding to another unregistered host, then to a registered one
    await harness.client.post('/v2.0/hosts', { host: { ...HOST, name: 'hv8', datapath_id: '00000000000000a8' } });
    const moved = await harness.client.put(`/v2.0/ports/${id}`, { port: { 'binding:host_id': 'hv8' } });
    expect(moved.body.port['binding:vif_type']).toBe('ovs');
    const cleared = await harness.client.put(`/v2.0/ports/${id}`, { port: { 'binding:host_id': '' } });
    expect(cleared.body.port['binding:vif_type']).toBe('unbound');
  });
});
