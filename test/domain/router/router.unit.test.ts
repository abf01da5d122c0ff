// Router decider, given/when/then: gateway port, interfaces by subnet and port, routes, delete refusals.
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { ADMIN, ALICE, AT, BOB, IDS, given, l3Base, networkCreated, subnetCreated } from './l3Fixtures.ts';

const create = { type: 'CreateRouter', actor: ALICE, at: AT, id: IDS.router, name: 'r1' } as const;
const withGateway = { ...create, externalGateway: { networkId: IDS.ext } } as const;
const addSubnet = { type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet } as const;

function ofType<T extends DomainEvent['type']>(events: DomainEvent[], type: T) {
  return events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
}

describe('router create', () => {
  it('records a router without a gateway', () => {
    given(l3Base()).when(create).then([{
      type: 'RouterCreated',
      data: { id: IDS.router, projectId: 'project-a', name: 'r1', description: '', adminStateUp: true, routes: [], tags: [], createdAt: AT, updatedAt: AT },
    }]);
  });

  it('creates a network:router_gateway port on the external network with SNAT on by default', () => {
    const events = given(l3Base()).when(withGateway).events();
    expect(events.map((e) => e.type)).toEqual(['RouterCreated', 'PortCreated', 'RouterGatewaySet']);
    const [port] = ofType(events, 'PortCreated');
    expect(port.data).toMatchObject({
      networkId: IDS.ext, deviceId: IDS.router, deviceOwner: 'network:router_gateway', projectId: '', securityGroups: [],
      fixedIps: [{ subnetId: IDS.extSubnet, ipAddress: '203.0.113.10' }],
    });
    const [set] = ofType(events, 'RouterGatewaySet');
    expect(set.data.gateway).toEqual({
      networkId: IDS.ext, enableSnat: true, portId: port.data.id, externalFixedIps: [{ subnetId: IDS.extSubnet, ipAddress: '203.0.113.10' }],
    });
  });

  it('refuses a gateway on an internal network (400) and enable_snat from a non-admin (403)', () => {
    given(l3Base()).when({ ...create, externalGateway: { networkId: IDS.net } }).thenThrows('BadRequest', 400);
    given(l3Base()).when({ ...create, externalGateway: { networkId: IDS.ext, enableSnat: false } }).thenThrows('PolicyNotAuthorized', 403);
    given(l3Base()).when({ ...create, actor: ADMIN, externalGateway: { networkId: IDS.ext, enableSnat: false } }).events();
  });

  it('answers 409 IpAddressGenerationFailure when the external subnet is full', () => {
    const tiny = [networkCreated(IDS.ext, ADMIN.projectId, { external: true }), subnetCreated(IDS.extSubnet, IDS.ext, ADMIN.projectId, '203.0.113', { first: 10, last: 10 })];
    const full = given(tiny).when({ ...withGateway, actor: ADMIN }).next();
    full.when({ ...withGateway, actor: ADMIN, id: IDS.router2 }).thenThrows('IpAddressGenerationFailure', 409);
  });
});

describe('router interfaces', () => {
  it('adds a subnet interface: a network:router_interface port holding the gateway IP', () => {
    const events = given(l3Base()).when(create).next().when(addSubnet).events();
    expect(events.map((e) => e.type)).toEqual(['PortCreated', 'RouterInterfaceAdded']);
    const [port] = ofType(events, 'PortCreated');
    expect(port.data).toMatchObject({ deviceOwner: 'network:router_interface', deviceId: IDS.router, fixedIps: [{ subnetId: IDS.subnet, ipAddress: '10.0.0.1' }] });
    expect(ofType(events, 'RouterInterfaceAdded')[0].data).toMatchObject({ id: IDS.router, portId: port.data.id, subnetId: IDS.subnet });
  });

  it('refuses the same subnet twice (400), overlapping subnets (400), and a subnet already on another router (409)', () => {
    const attached = given(l3Base()).when(create).next().when(addSubnet).next();
    attached.when(addSubnet).thenThrows('BadRequest', 400);
    const overlapping = given([...l3Base(), networkCreated(IDS.net2, 'project-a', { vni: 101 }), subnetCreated(IDS.subnet2, IDS.net2, 'project-a', '10.0.0')])
      .when(create).next().when(addSubnet).next();
    overlapping.when({ ...addSubnet, subnetId: IDS.subnet2 }).thenThrows('BadRequest', 400);
    attached.when({ ...create, id: IDS.router2 }).next().when({ ...addSubnet, id: IDS.router2 }).thenThrows('IpAddressAlreadyAllocated', 409);
  });

  it('needs exactly one of subnet_id and port_id, and refuses a port that already has a device', () => {
    const g = given(l3Base()).when(create).next();
    g.when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router }).thenThrows('BadRequest', 400);
    g.when({ ...addSubnet, portId: IDS.vm }).thenThrows('BadRequest', 400);
    g.when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, portId: IDS.vm }).thenThrows('PortInUse', 409);
  });

  it('refuses to delete a router with interfaces (409 RouterInUse); removing the interface deletes its port', () => {
    const attached = given(l3Base()).when(withGateway).next().when(addSubnet).next();
    attached.when({ type: 'DeleteRouter', actor: ALICE, at: AT, id: IDS.router }).thenThrows('RouterInUse', 409);
    const portId = attached.world.routers.get(IDS.router)!.interfaces[0].portId;
    const removed = attached.when({ type: 'RemoveRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet });
    expect(removed.events()).toEqual([
      { type: 'RouterInterfaceRemoved', data: { id: IDS.router, portId, subnetId: IDS.subnet, updatedAt: AT } },
      { type: 'PortDeleted', data: { id: portId, networkId: IDS.net } },
    ]);
    const detached = removed.next();
    const gatewayPort = detached.world.routers.get(IDS.router)!.gateway!.portId;
    expect(detached.when({ type: 'DeleteRouter', actor: ALICE, at: AT, id: IDS.router }).events().map((e) => e.type)).toEqual([
      'RouterGatewayCleared', 'PortDeleted', 'RouterDeleted',
    ]);
    expect(detached.world.ports.has(gatewayPort)).toBe(true);
  });

  it('answers 404 for interfaces the router does not have', () => {
    const g = given(l3Base()).when(create).next();
    g.when({ type: 'RemoveRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).thenThrows('RouterInterfaceNotFoundForSubnet', 404);
    g.when({ type: 'RemoveRouterInterface', actor: ALICE, at: AT, id: IDS.router, portId: IDS.vm }).thenThrows('RouterInterfaceNotFound', 404);
  });
});

describe('router routes and isolation', () => {
  it('accepts routes via an attached subnet, refuses others, and keeps the interface they need', () => {
    const attached = given(l3Base()).when(create).next().when(addSubnet).next();
    const update = { type: 'UpdateRouter', actor: ALICE, at: AT, id: IDS.router } as const;
    attached.when({ ...update, routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }] }).then([{
      type: 'RouterUpdated', data: { id: IDS.router, changes: { routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }] }, updatedAt: AT },
    }]);
    attached.when({ ...update, routes: [{ destination: '192.168.0.0/16', nexthop: '172.16.0.9' }] }).thenThrows('InvalidRoutes', 400);
    const routed = attached.when({ ...update, routes: [{ destination: '192.168.0.0/16', nexthop: '10.0.0.9' }] }).next();
    routed.when({ type: 'RemoveRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).thenThrows('RouterInterfaceInUseByRoute', 409);
  });

  it('adds and removes routes atomically (extraroute-atomic), ignoring ones already there or absent', () => {
    const attached = given(l3Base()).when(create).next().when(addSubnet).next();
    const change = { type: 'ChangeRouterRoutes', actor: ALICE, at: AT, id: IDS.router } as const;
    const a = { destination: '192.168.0.0/16', nexthop: '10.0.0.9' };
    const b = { destination: '172.16.0.0/12', nexthop: '10.0.0.10' };
    const one = attached.when({ ...change, mode: 'add', routes: [a] }).next();
    one.when({ ...change, mode: 'add', routes: [a] }).then([]);
    one.when({ ...change, mode: 'add', routes: [a, b] }).then([{ type: 'RouterUpdated', data: { id: IDS.router, changes: { routes: [a, b] }, updatedAt: AT } }]);
    one.when({ ...change, mode: 'remove', routes: [b] }).then([]);
    one.when({ ...change, mode: 'remove', routes: [a] }).then([{ type: 'RouterUpdated', data: { id: IDS.router, changes: { routes: [] }, updatedAt: AT } }]);
    one.when({ ...change, mode: 'add', routes: [{ destination: '10.9.0.0/16', nexthop: '10.9.9.9' }] }).thenThrows('InvalidRoutes', 400);
  });

  it("hides a project's router from another project (404 RouterNotFound)", () => {
    const g = given(l3Base()).when(create).next();
    g.when({ type: 'UpdateRouter', actor: BOB, at: AT, id: IDS.router, name: 'mine' }).thenThrows('RouterNotFound', 404);
    g.when({ ...addSubnet, actor: BOB }).thenThrows('RouterNotFound', 404);
  });
});

describe('router gateway addresses', () => {
  it('lets an admin pick gateway addresses, keeping one the gateway already holds', () => {
    const g = given(l3Base()).when({ ...withGateway, actor: ADMIN, externalGateway: { networkId: IDS.ext, externalFixedIps: [{ ipAddress: '203.0.113.15' }] } }).next();
    expect(g.world.routers.get(IDS.router)!.gateway!.externalFixedIps).toEqual([{ subnetId: IDS.extSubnet, ipAddress: '203.0.113.15' }]);
    const again = g.when({ type: 'UpdateRouter', actor: ADMIN, at: AT, id: IDS.router, externalGateway: { networkId: IDS.ext, externalFixedIps: [{ ipAddress: '203.0.113.15' }, { subnetId: IDS.extSubnet }] } });
    expect(again.events().map((e) => e.type)).toEqual(['RouterGatewayCleared', 'PortDeleted', 'PortCreated', 'RouterGatewaySet']);
    const moved = again.next().world.routers.get(IDS.router)!.gateway!;
    // the second address comes from the subnet's allocation cursor, which sits past .15.
    expect(moved.externalFixedIps.map((f) => f.ipAddress)).toEqual(['203.0.113.15', '203.0.113.16']);
    given(l3Base()).when({ ...withGateway, externalGateway: { networkId: IDS.ext, externalFixedIps: [{ ipAddress: '203.0.113.15' }] } }).thenThrows('PolicyNotAuthorized', 403);
    const two = given(l3Base()).when({ ...withGateway, actor: ADMIN, externalGateway: { networkId: IDS.ext, externalFixedIps: [{ subnetId: IDS.extSubnet }, { subnetId: IDS.extSubnet }] } }).next();
    expect(two.world.routers.get(IDS.router)!.gateway!.externalFixedIps.map((f) => f.ipAddress)).toEqual(['203.0.113.10', '203.0.113.11']);
  });
});

describe('external networks in use', () => {
  it('refuses making a network internal while a router has its gateway there (409 ExternalNetworkInUse)', () => {
    const g = given(l3Base()).when(withGateway).next();
    g.when({ type: 'UpdateNetwork', actor: ADMIN, at: AT, id: IDS.ext, external: false }).thenThrows('ExternalNetworkInUse', 409);
    expect(given(l3Base()).when({ type: 'UpdateNetwork', actor: ADMIN, at: AT, id: IDS.ext, external: false }).events()).toHaveLength(1);
  });
});
