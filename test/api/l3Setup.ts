// Shared setup for the router and floating IP API tests: tokens, an external network, a tenant network.
import type { ApiClient, Harness } from '../support/apiClient.ts';
import { startHarness } from '../support/apiClient.ts';

export const TOKENS = new Map([
  ['admin-token', { userId: 'root', projectId: 'admin-project', isAdmin: true }],
  ['alice-token', { userId: 'alice', projectId: 'project-a', isAdmin: false }],
  ['bob-token', { userId: 'bob', projectId: 'project-b', isAdmin: false }],
]);

export async function tokenHarness(): Promise<Harness> {
  return startHarness({ auth: { kind: 'tokens', tokens: TOKENS } });
}

async function ok(res: Promise<{ status: number; body: any }>, status = 201): Promise<any> {
  const r = await res;
  if (r.status !== status) throw new Error(`setup step answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** An external flat network 203.0.113.0/24 (by the admin). */
export async function externalNetwork(admin: ApiClient, pool?: { start: string; end: string }) {
  const net = (await ok(admin.post('/v2.0/networks', {
    network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
  }))).network;
  const subnet = (await ok(admin.post('/v2.0/subnets', {
    subnet: { network_id: net.id, cidr: '203.0.113.0/24', ip_version: 4, enable_dhcp: false, ...(pool ? { allocation_pools: [pool] } : {}) },
  }))).subnet;
  return { net, subnet };
}

/** A tenant network with one subnet (by the given user). */
export async function tenantNetwork(client: ApiClient, cidr = '10.0.0.0/24') {
  const net = (await ok(client.post('/v2.0/networks', { network: { name: 'private' } }))).network;
  const subnet = (await ok(client.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr, ip_version: 4 } }))).subnet;
  return { net, subnet };
}

export async function routerWith(client: ApiClient, externalNetworkId: string | null, subnetId?: string) {
  const router = (await ok(client.post('/v2.0/routers', {
    router: { name: 'r1', ...(externalNetworkId === null ? {} : { external_gateway_info: { network_id: externalNetworkId } }) },
  }))).router;
  if (subnetId !== undefined) await ok(client.put(`/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnetId }), 200);
  return router;
}

export async function vmPort(client: ApiClient, networkId: string) {
  return (await ok(client.post('/v2.0/ports', { port: { network_id: networkId, device_owner: 'compute:nova', device_id: 'vm-1' } }))).port;
}
