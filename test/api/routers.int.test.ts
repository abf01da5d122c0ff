// Routers through the HTTP API on a real SQLite log: gateway, interfaces, routes, refusals, isolation, replay.
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/apiClient.ts';
import { externalNetwork, routerWith, tenantNetwork, tokenHarness, vmPort } from './l3Setup.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('routers API', () => {
  it('creates a router with a gateway and an interface, in Neutron shapes', async () => {
    harness = await tokenHarness();
    const admin = harness.client.as('admin-token');
    const alice = harness.client.as('alice-token');
    const ext = await externalNetwork(admin);
    const priv = await tenantNetwork(alice);
    const created = await alice.post('/v2.0/routers', { router: { name: 'r1', external_gateway_info: { network_id: ext.net.id } } });
    expect(created.status).toBe(201);
    const router = created.body.router;
    expect(router).toMatchObject({
      name: 'r1', status: 'ACTIVE', admin_state_up: true, project_id: 'project-a', routes: [],
      external_gateway_info: { network_id: ext.net.id, enable_snat: true, external_fixed_ips: [{ subnet_id: ext.subnet.id, ip_address: '203.0.113.2' }] },
    });
    const added = await alice.put(`/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: priv.subnet.id });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ id: router.id, subnet_id: priv.subnet.id, subnet_ids: [priv.subnet.id], network_id: priv.net.id, project_id: 'project-a' });
    const port = (await alice.get(`/v2.0/ports/${added.body.port_id}`)).body.port;
    expect(port).toMatchObject({ device_owner: 'network:router_interface', device_id: router.id, fixed_ips: [{ subnet_id: priv.subnet.id, ip_address: '10.0.0.1' }] });
    const listed = await alice.get(`/v2.0/ports?device_id=${router.id}`);
    expect(listed.body.ports.map((p: { id: string }) => p.id)).toEqual([added.body.port_id]);
    const types = (await harness.events()).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['RouterCreated', 'RouterGatewaySet', 'RouterInterfaceAdded']));
    const extensions = (await alice.get('/v2.0/extensions')).body.extensions.map((e: { alias: string }) => e.alias);
    expect(extensions).toEqual(expect.arrayContaining(['router', 'extraroute', 'ext-gw-mode', 'security-group']));
  });

  it('refuses with Neutron error types: RouterInUse, ServicePortInUse, duplicate and second-router subnets, bad routes', async () => {
    harness = await tokenHarness();
    const admin = harness.client.as('admin-token');
    const alice = harness.client.as('alice-token');
    const ext = await externalNetwork(admin);
    const priv = await tenantNetwork(alice);
    const router = await routerWith(alice, ext.net.id, priv.subnet.id);
    const del = await alice.delete(`/v2.0/routers/${router.id}`);
    expect([del.status, del.body.NeutronError.type]).toEqual([409, 'RouterInUse']);
    // the interface and gateway ports keep their subnets and networks in use.
    expect((await alice.delete(`/v2.0/subnets/${priv.subnet.id}`)).status).toBe(409);
    expect((await admin.delete(`/v2.0/networks/${ext.net.id}`)).status).toBe(409);
    const ifPort = (await alice.get(`/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`)).body.ports[0];
    const delPort = await alice.delete(`/v2.0/ports/${ifPort.id}`);
    expect([delPort.status, delPort.body.NeutronError.type]).toEqual([409, 'ServicePortInUse']);
    const again = await alice.put(`/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: priv.subnet.id });
    expect([again.status, again.body.NeutronError.type]).toEqual([400, 'BadRequest']);
    const other = await routerWith(alice, null);
    const second = await alice.put(`/v2.0/routers/${other.id}/add_router_interface`, { subnet_id: priv.subnet.id });
    expect([second.status, second.body.NeutronError.type]).toEqual([409, 'IpAddressAlreadyAllocated']);
    const both = await alice.put(`/v2.0/routers/${other.id}/add_router_interface`, { subnet_id: priv.subnet.id, port_id: ifPort.id });
    expect(both.status).toBe(400);
    const badRoute = await alice.put(`/v2.0/routers/${router.id}`, { router: { routes: [{ destination: '192.168.0.0/16', nexthop: '172.16.0.1' }] } });
    expect([badRoute.status, badRoute.body.NeutronError.type]).toEqual([400, 'InvalidRoutes']);
    const goodRoute = await alice.put(`/v2.0/routers/${router.id}`, { router: { routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }] } });
    expect(goodRoute.body.router.routes).toEqual([{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }]);
    const needed = await alice.put(`/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: priv.subnet.id });
    expect([needed.status, needed.body.NeutronError.type]).toEqual([409, 'RouterInterfaceInUseByRoute']);
    const atomic = await alice.put(`/v2.0/routers/${router.id}/add_extraroutes`, { router: { routes: [{ destination: '172.16.0.0/12', nexthop: '10.0.0.10' }] } });
    expect(atomic.body.router.routes).toEqual([{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }, { destination: '172.16.0.0/12', nexthop: '10.0.0.10' }]);
    const fewer = await alice.put(`/v2.0/routers/${router.id}/remove_extraroutes`, { router: { routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }] } });
    expect(fewer.body.router.routes).toEqual([{ destination: '172.16.0.0/12', nexthop: '10.0.0.10' }]);
    await alice.put(`/v2.0/routers/${router.id}`, { router: { routes: [] } });
    const removed = await alice.put(`/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: priv.subnet.id });
    expect(removed.body).toMatchObject({ id: router.id, port_id: ifPort.id, subnet_ids: [priv.subnet.id] });
    expect((await alice.get(`/v2.0/ports/${ifPort.id}`)).status).toBe(404);
    const missing = await alice.put(`/v2.0/routers/${router.id}/remove_router_interface`, { subnet_id: priv.subnet.id });
    expect([missing.status, missing.body.NeutronError.type]).toEqual([404, 'RouterInterfaceNotFoundForSubnet']);
    expect((await alice.delete(`/v2.0/routers/${router.id}`)).status).toBe(204);
    // the gateway port went with the router: the external subnet can be deleted now.
    expect((await admin.get(`/v2.0/ports?network_id=${ext.net.id}`)).body.ports).toEqual([]);
  });

  it('attaches an existing port as an interface and keeps projects apart', async () => {
    harness = await tokenHarness();
    const alice = harness.client.as('alice-token');
    const bob = harness.client.as('bob-token');
    const priv = await tenantNetwork(alice);
    const router = await routerWith(alice, null);
    const port = (await alice.post('/v2.0/ports', { port: { network_id: priv.net.id, fixed_ips: [{ subnet_id: priv.subnet.id, ip_address: '10.0.0.254' }] } })).body.port;
    const added = await alice.put(`/v2.0/routers/${router.id}/add_router_interface`, { port_id: port.id });
    expect(added.body).toMatchObject({ port_id: port.id, subnet_ids: [priv.subnet.id] });
    expect((await alice.get(`/v2.0/ports/${port.id}`)).body.port).toMatchObject({ device_owner: 'network:router_interface', device_id: router.id });
    expect((await bob.get(`/v2.0/routers/${router.id}`)).status).toBe(404);
    expect((await bob.get('/v2.0/routers')).body.routers).toEqual([]);
    const foreign = await bob.put(`/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: priv.subnet.id });
    expect([foreign.status, foreign.body.NeutronError.type]).toEqual([404, 'RouterNotFound']);
    const bobRouter = await routerWith(bob, null);
    const theirs = await bob.put(`/v2.0/routers/${bobRouter.id}/add_router_interface`, { subnet_id: priv.subnet.id });
    expect([theirs.status, theirs.body.NeutronError.type]).toEqual([404, 'SubnetNotFound']);
    const vm = await vmPort(alice, priv.net.id);
    const inUse = await alice.put(`/v2.0/routers/${router.id}/add_router_interface`, { port_id: vm.id });
    expect([inUse.status, inUse.body.NeutronError.type]).toEqual([409, 'PortInUse']);
  });

  it('changes SNAT (admin only) and clears the gateway with {} or null, freeing its port', async () => {
    harness = await tokenHarness();
    const admin = harness.client.as('admin-token');
    const alice = harness.client.as('alice-token');
    const ext = await externalNetwork(admin);
    const router = await routerWith(alice, ext.net.id);
    const snat = await alice.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.net.id, enable_snat: false } } });
    expect(snat.status).toBe(403);
    const byAdmin = await admin.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.net.id, enable_snat: false } } });
    expect(byAdmin.body.router.external_gateway_info).toMatchObject({ enable_snat: false, external_fixed_ips: router.external_gateway_info.external_fixed_ips });
    const noNetwork = await alice.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: { enable_snat: true } } });
    expect(noNetwork.status).toBe(400);
    const cleared = await alice.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: {} } });
    expect(cleared.body.router.external_gateway_info).toBeNull();
    expect((await admin.get(`/v2.0/ports?device_id=${router.id}`)).body.ports).toEqual([]);
    const again = await alice.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: { network_id: ext.net.id } } });
    expect(again.body.router.external_gateway_info.enable_snat).toBe(true);
    const nulled = await alice.put(`/v2.0/routers/${router.id}`, { router: { external_gateway_info: null } });
    expect(nulled.body.router.external_gateway_info).toBeNull();
  });

  it('gives the same routers after a restart on the same log', async () => {
    harness = await tokenHarness();
    const admin = harness.client.as('admin-token');
    const ext = await externalNetwork(admin);
    const priv = await tenantNetwork(admin);
    await routerWith(admin, ext.net.id, priv.subnet.id);
    const before = [(await admin.get('/v2.0/routers')).body, (await admin.get('/v2.0/ports')).body];
    harness = await harness.restart();
    const again = harness.client.as('admin-token');
    expect([(await again.get('/v2.0/routers')).body, (await again.get('/v2.0/ports')).body]).toEqual(before);
  });
});
