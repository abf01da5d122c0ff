// Floating IP decider, given/when/then: allocation, association through a router, uniqueness, status, port delete.
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { ADMIN, ALICE, AT, BOB, IDS, given, l3Base, networkCreated, vmPortCreated } from '../router/l3Fixtures.ts';

const createFip = { type: 'CreateFloatingIp', actor: ALICE, at: AT, id: IDS.fip, floatingNetworkId: IDS.ext } as const;

/** A router with its gateway on the external network and an interface on alice's subnet. */
function routed() {
  return given(l3Base())
    .when({ type: 'CreateRouter', actor: ADMIN, at: AT, id: IDS.router, projectId: 'project-a', externalGateway: { networkId: IDS.ext } }).next()
    .when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).next();
}

function ofType<T extends DomainEvent['type']>(events: DomainEvent[], type: T) {
  return events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
}

describe('floating IP create', () => {
  it('allocates the next free external address on a network:floatingip port, DOWN and unassociated', () => {
    const g = routed();
    // .10 went to the router's gateway port.
    const events = g.when(createFip).events();
    expect(events.map((e) => e.type)).toEqual(['PortCreated', 'FloatingIpCreated']);
    const [port] = ofType(events, 'PortCreated');
    expect(port.data).toMatchObject({ deviceOwner: 'network:floatingip', deviceId: IDS.fip, networkId: IDS.ext, fixedIps: [{ subnetId: IDS.extSubnet, ipAddress: '203.0.113.11' }] });
    const after = g.when(createFip).next().world;
    const fip = after.floatingIps.get(IDS.fip)!;
    expect(fip).toMatchObject({ floatingIpAddress: '203.0.113.11', status: 'DOWN', association: null, projectId: 'project-a' });
    expect(after.ports.get(fip.floatingPortId)?.deviceOwner).toBe('network:floatingip');
  });

  it('refuses internal networks (400), addresses in use (409) and addresses chosen by non-admins (403)', () => {
    const g = routed();
    g.when({ ...createFip, floatingNetworkId: IDS.net }).thenThrows('BadRequest', 400);
    g.when({ ...createFip, actor: ADMIN, floatingIpAddress: '203.0.113.10' }).thenThrows('IpAddressInUse', 409);
    g.when({ ...createFip, actor: ADMIN, floatingIpAddress: '198.51.100.1' }).thenThrows('InvalidIpForNetwork', 400);
    g.when({ ...createFip, floatingIpAddress: '203.0.113.15' }).thenThrows('PolicyNotAuthorized', 403);
    expect(g.when({ ...createFip, actor: ADMIN, floatingIpAddress: '203.0.113.15' }).next().world.floatingIps.get(IDS.fip)?.floatingIpAddress).toBe('203.0.113.15');
  });
});

describe('floating IPs are IPv4', () => {
  it('refuses an external network without an IPv4 subnet (400)', () => {
    const v6only: DomainEvent[] = [
      { ...networkCreated(IDS.ext, ADMIN.projectId, { external: true }) },
      {
        type: 'SubnetCreated',
        data: {
          id: IDS.extSubnet, projectId: ADMIN.projectId, networkId: IDS.ext, name: '', description: '', ipVersion: 6, cidr: '2001:db8::/64',
          gatewayIp: '2001:db8::1', allocationPools: [{ start: '2001:db8::10', end: '2001:db8::20' }], enableDhcp: false,
          dnsNameservers: [], hostRoutes: [], tags: [], createdAt: AT, updatedAt: AT,
        },
      },
    ];
    given(v6only).when(createFip).thenThrows('BadRequest', 400);
  });
});

describe('floating IP association', () => {
  it('associates at create with the router joining the subnet to the external network', () => {
    const events = routed().when({ ...createFip, portId: IDS.vm }).events();
    expect(events.at(-1)).toEqual({
      type: 'FloatingIpAssociated', data: { id: IDS.fip, portId: IDS.vm, fixedIpAddress: '10.0.0.5', routerId: IDS.router, updatedAt: AT },
    });
  });

  it('answers 404 ExternalGatewayForFloatingIPNotFound without such a router, and allocates nothing', () => {
    given(l3Base()).when({ ...createFip, portId: IDS.vm }).thenThrows('ExternalGatewayForFloatingIPNotFound', 404);
    given(l3Base())
      .when({ type: 'CreateRouter', actor: ALICE, at: AT, id: IDS.router }).next()
      .when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).next()
      .when({ ...createFip, portId: IDS.vm }).thenThrows('ExternalGatewayForFloatingIPNotFound', 404);
  });

  it('gives one fixed IP at most one floating IP (409 FloatingIPPortAlreadyAssociated)', () => {
    const first = routed().when({ ...createFip, portId: IDS.vm }).next();
    first.when({ ...createFip, id: IDS.fip2, portId: IDS.vm }).thenThrows('FloatingIPPortAlreadyAssociated', 409);
    const second = first.when({ ...createFip, id: IDS.fip2 }).next();
    second.when({ type: 'UpdateFloatingIp', actor: ALICE, at: AT, id: IDS.fip2, portId: IDS.vm }).thenThrows('FloatingIPPortAlreadyAssociated', 409);
    // once the first lets go, the second may take the fixed IP.
    const freed = second.when({ type: 'UpdateFloatingIp', actor: ALICE, at: AT, id: IDS.fip, portId: null }).next();
    expect(freed.when({ type: 'UpdateFloatingIp', actor: ALICE, at: AT, id: IDS.fip2, portId: IDS.vm }).events().map((e) => e.type)).toEqual(['FloatingIpAssociated']);
  });

  it("needs fixed_ip_address when the port has several IPv4 addresses, and refuses others' ports", () => {
    const multi = [...l3Base(), vmPortCreated(IDS.vm2, IDS.net, 'project-a', [
      { subnetId: IDS.subnet, ipAddress: '10.0.0.6' }, { subnetId: IDS.subnet, ipAddress: '10.0.0.7' },
    ])];
    const g = given(multi)
      .when({ type: 'CreateRouter', actor: ADMIN, at: AT, id: IDS.router, projectId: 'project-a', externalGateway: { networkId: IDS.ext } }).next()
      .when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).next();
    g.when({ ...createFip, portId: IDS.vm2 }).thenThrows('BadRequest', 400);
    g.when({ ...createFip, portId: IDS.vm2, fixedIpAddress: '10.0.0.9' }).thenThrows('BadRequest', 400);
    expect(g.when({ ...createFip, portId: IDS.vm2, fixedIpAddress: '10.0.0.7' }).events().at(-1)).toMatchObject({ data: { fixedIpAddress: '10.0.0.7' } });
    g.when({ ...createFip, actor: BOB, portId: IDS.vm }).thenThrows('PortNotFound', 404);
    const routerPort = g.world.routers.get(IDS.router)!.interfaces[0].portId;
    g.when({ ...createFip, portId: routerPort }).thenThrows('BadRequest', 400);
  });

  it('refuses to remove the interface or clear the gateway a floating IP needs (409)', () => {
    const g = routed().when({ ...createFip, portId: IDS.vm }).next();
    g.when({ type: 'RemoveRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).thenThrows('RouterInterfaceInUseByFloatingIP', 409);
    g.when({ type: 'UpdateRouter', actor: ADMIN, at: AT, id: IDS.router, externalGateway: null }).thenThrows('RouterExternalGatewayInUseByFloatingIp', 409);
    // new gateway addresses on the same external network keep the floating IPs' way out.
    const readdressed = g.when({ type: 'UpdateRouter', actor: ADMIN, at: AT, id: IDS.router, externalGateway: { networkId: IDS.ext, externalFixedIps: [{ ipAddress: '203.0.113.19' }] } });
    expect(readdressed.events().map((e) => e.type)).toEqual(['RouterGatewayCleared', 'PortDeleted', 'PortCreated', 'RouterGatewaySet']);
  });
});

describe('floating IP status, delete and port delete', () => {
  it('records ACTIVE from the southbound once; back to DOWN on disassociation', () => {
    const g = routed().when({ ...createFip, portId: IDS.vm }).next();
    const active = g.when({ type: 'SetFloatingIpStatus', actor: ADMIN, at: AT, id: IDS.fip, status: 'ACTIVE' });
    expect(active.events()).toEqual([{ type: 'FloatingIpStatusChanged', data: { id: IDS.fip, status: 'ACTIVE', updatedAt: AT } }]);
    const g2 = active.next();
    g2.when({ type: 'SetFloatingIpStatus', actor: ADMIN, at: AT, id: IDS.fip, status: 'ACTIVE' }).then([]);
    g2.when({ type: 'SetFloatingIpStatus', actor: ALICE, at: AT, id: IDS.fip, status: 'DOWN' }).thenThrows('PolicyNotAuthorized', 403);
    const off = g2.when({ type: 'UpdateFloatingIp', actor: ALICE, at: AT, id: IDS.fip, portId: null }).next();
    expect(off.world.floatingIps.get(IDS.fip)).toMatchObject({ status: 'DOWN', association: null });
  });

  it('deleting the port disassociates its floating IPs; deleting the floating IP frees its address', () => {
    const g = routed().when({ ...createFip, portId: IDS.vm }).next();
    const deleted = g.when({ type: 'DeletePort', actor: ALICE, at: AT, id: IDS.vm });
    expect(deleted.events()).toEqual([
      { type: 'FloatingIpDisassociated', data: { id: IDS.fip, updatedAt: AT } },
      { type: 'PortDeleted', data: { id: IDS.vm, networkId: IDS.net } },
    ]);
    const after = deleted.next();
    expect(after.world.floatingIps.get(IDS.fip)?.association).toBeNull();
    expect(after.world.floatingIpsByFixedIp.size).toBe(0);
    const gone = after.when({ type: 'DeleteFloatingIp', actor: ALICE, at: AT, id: IDS.fip }).next();
    expect(gone.world.subnets.get(IDS.extSubnet)?.allocations.has('203.0.113.11')).toBe(false);
    expect(gone.world.floatingIps.has(IDS.fip)).toBe(false);
  });

  it("refuses changing a port's fixed IPs away from the one its floating IP uses (400)", () => {
    const g = routed().when({ ...createFip, portId: IDS.vm }).next();
    g.when({ type: 'UpdatePort', actor: ALICE, at: AT, id: IDS.vm, fixedIps: [{ subnetId: IDS.subnet, ipAddress: '10.0.0.50' }] }).thenThrows('BadRequest', 400);
    const kept = g.when({ type: 'UpdatePort', actor: ALICE, at: AT, id: IDS.vm, fixedIps: [{ subnetId: IDS.subnet, ipAddress: '10.0.0.5' }, { subnetId: IDS.subnet, ipAddress: '10.0.0.50' }] });
    expect(kept.events().map((e) => e.type)).toEqual(['PortUpdated']);
  });

  it('refuses deleting router and floating IP ports through the port API (409 ServicePortInUse)', () => {
    const g = routed().when({ ...createFip }).next();
    for (const [, port] of g.world.ports) {
      if (port.deviceOwner.startsWith('network:')) g.when({ type: 'DeletePort', actor: ADMIN, at: AT, id: port.id }).thenThrows('ServicePortInUse', 409);
    }
  });
});
