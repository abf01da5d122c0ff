// Bad input never crashes anything: random bodies and queries get Neutron errors (4xx), never a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../src/api/createApp.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';

const RUNS = 150;
let harness: Harness;
let networkId = '';
let subnetId = '';
let portId = '';

beforeAll(async () => {
  harness = await startHarness();
  networkId = (await harness.client.post('/v2.0/networks', { network: { name: 'fuzz' } })).body.network.id;
  subnetId = (await harness.client.post('/v2.0/subnets', { subnet: { network_id: networkId, cidr: '10.99.0.0/24' } })).body.subnet.id;
  portId = (await harness.client.post('/v2.0/ports', { port: { network_id: networkId } })).body.port.id;
});
afterAll(async () => harness.cleanup());

const ATTRIBUTES = [
  'name', 'network_id', 'cidr', 'ip_version', 'gateway_ip', 'allocation_pools', 'mac_address', 'fixed_ips', 'admin_state_up',
  'binding:host_id', 'binding:profile', 'provider:network_type', 'provider:segmentation_id', 'provider:physical_network',
  'mtu', 'shared', 'router:external', 'allowed_address_pairs', 'security_groups', 'datapath_id', 'tunnel_ip', 'bridge_mappings',
  'dns_nameservers', 'host_routes', 'port_security_enabled', 'device_owner', 'tags', 'project_id',
];
/** Values that look almost right: the decider, not only zod, must refuse them. */
const nearlyValid = fc.oneof(
  fc.constantFrom('10.99.0.5', '10.99.0.0/24', '10.99.0.300', '::1', 'fa:16:3e:00:00:01', 'vxlan', 'vlan', 'flat', '4094', 'True', ''),
  fc.constant(networkId), fc.constant(subnetId), fc.integer(), fc.boolean(), fc.constant(null),
  fc.array(fc.record({ subnet_id: fc.constant(subnetId), ip_address: fc.constantFrom('10.99.0.7', '10.98.0.1', 'x') })),
  fc.array(fc.record({ start: fc.constantFrom('10.99.0.2', '10.99.0.200', 'q'), end: fc.constantFrom('10.99.0.9', '10.98.0.1') })),
  fc.jsonValue({ maxDepth: 2 }),
);
const memberBody = fc.dictionary(fc.constantFrom(...ATTRIBUTES), nearlyValid, { maxKeys: 6 });

describe('bad input', () => {
  it('answers random create and update bodies with a resource or a Neutron 4xx error', async () => {
    const targets = [
      ['POST', '/v2.0/networks', 'network'], ['POST', '/v2.0/subnets', 'subnet'], ['POST', '/v2.0/ports', 'port'],
      ['POST', '/v2.0/hosts', 'host'], ['PUT', `/v2.0/networks/${networkId}`, 'network'], ['PUT', `/v2.0/subnets/${subnetId}`, 'subnet'],
      ['PUT', `/v2.0/ports/${portId}`, 'port'],
    ] as const;
    await fc.assert(fc.asyncProperty(fc.constantFrom(...targets), memberBody, fc.boolean(), async ([method, path, member], body, wrap) => {
      const res = await harness.client.request(method, path, wrap ? { [member]: body } : body);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      if (res.status >= 400) expect(typeof res.body.NeutronError.type).toBe('string');
    }), { numRuns: RUNS });
  });

  it('answers random query strings on lists with 200 or 400', async () => {
    const query = fc.array(fc.tuple(fc.constantFrom('sort_key', 'sort_dir', 'limit', 'marker', 'fields', 'name', 'page_reverse', 'mtu'),
      fc.string({ maxLength: 8 })), { maxLength: 5 });
    await fc.assert(fc.asyncProperty(fc.constantFrom('networks', 'subnets', 'ports', 'hosts'), query, async (collection, pairs) => {
      const res = await harness.client.get(`/v2.0/${collection}?${new URLSearchParams(pairs).toString()}`);
      expect([200, 400]).toContain(res.status);
    }), { numRuns: RUNS });
  });

  it('refuses non-JSON, non-object and oversized bodies with 400/413', async () => {
    for (const raw of ['', 'null', '[]', '"network"', '{"network": []}', '{"network": null}', '\u0000']) {
      const res = await harness.client.request('POST', '/v2.0/networks', raw);
      expect(res.status, raw).toBe(400);
    }
    const huge = { network: { name: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } };
    const tooBig = await harness.client.post('/v2.0/networks', huge);
    expect([tooBig.status, tooBig.body.NeutronError.type]).toEqual([413, 'RequestEntityTooLarge']);
  });
});
