// Subnet decider: layout defaults, overlap and pool checks, update of the gateway, delete while in use.
import { describe, expect, it } from 'vitest';
import { ADMIN, ALICE, AT, BOB, LATER, given, networkCreated, portCreated, subnetCreated } from '../given.ts';

const NET = 'net-1';
const base = [networkCreated(NET, 'project-a')];
const create = (extra: Record<string, unknown>) => ({ type: 'CreateSubnet' as const, actor: ALICE, at: AT, id: 's2', networkId: NET, cidr: '10.1.0.0/24', ...extra });

describe('CreateSubnet', () => {
  it('defaults the gateway to the first host and the pool to the rest', () => {
    given(base).when(create({ cidr: '10.1.0.0/28', name: 'a' })).then([{
      type: 'SubnetCreated',
      data: {
        id: 's2', projectId: 'project-a', networkId: NET, name: 'a', description: '', ipVersion: 4, cidr: '10.1.0.0/28',
        gatewayIp: '10.1.0.1', allocationPools: [{ start: '10.1.0.2', end: '10.1.0.14' }], enableDhcp: true,
        dnsNameservers: [], hostRoutes: [], tags: [], createdAt: AT, updatedAt: AT,
      },
    }]);
  });

  it('splits the default pool around a gateway in the middle, and handles IPv6', () => {
    const [mid] = given(base).when(create({ cidr: '10.1.0.0/29', gatewayIp: '10.1.0.3' })).events();
    expect(mid.type === 'SubnetCreated' && mid.data.allocationPools).toEqual([
      { start: '10.1.0.1', end: '10.1.0.2' }, { start: '10.1.0.4', end: '10.1.0.6' },
    ]);
    const [v6] = given(base).when(create({ cidr: '2001:DB8::/64', ipVersion: 6 })).events();
    expect(v6.type === 'SubnetCreated' && [v6.data.cidr, v6.data.gatewayIp, v6.data.allocationPools]).toEqual([
      '2001:db8::/64', '2001:db8::1', [{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }],
    ]);
  });

  it('refuses overlaps, host bits, version mismatches, out-of-cidr gateways and pools', () => {
    const world = [...base, subnetCreated('s1', NET, 'project-a', '10.1.0.0/24')];
    given(world).when(create({ cidr: '10.1.0.0/16' })).thenThrows('InvalidInput', 400);
    given(base).when(create({ cidr: '10.1.0.5/24' })).thenThrows('InvalidInput');
    given(base).when(create({ cidr: '10.1.0.0/24', ipVersion: 6 })).thenThrows('InvalidInput');
    given(base).when(create({ gatewayIp: '10.1.0.255' })).thenThrows('InvalidInput');
    given(base).when(create({ allocationPools: [{ start: '10.1.0.9', end: '10.1.0.3' }] })).thenThrows('InvalidAllocationPool');
    given(base).when(create({ allocationPools: [{ start: '10.1.0.2', end: '10.1.0.9' }, { start: '10.1.0.9', end: '10.1.0.20' }] }))
      .thenThrows('OverlappingAllocationPools');
    given(base).when(create({ dnsNameservers: ['8.8.8.8', '8.8.8.8'] })).thenThrows('InvalidInput');
  });

  it('refuses subnets on networks of other projects', () => {
    given(base).when({ ...create({}), actor: BOB }).thenThrows('NetworkNotFound', 404);
  });
});

describe('UpdateSubnet and DeleteSubnet', () => {
  const world = [
    ...base, subnetCreated('s1', NET, 'project-a'),
    portCreated('p1', NET, 'project-a', 'fa:16:3e:00:00:01', [{ subnetId: 's1', ipAddress: '10.0.0.7' }]),
  ];

  it('refuses a gateway that a port holds', () => {
    given(world).when({ type: 'UpdateSubnet', actor: ALICE, at: LATER, id: 's1', gatewayIp: '10.0.0.7', allocationPools: [{ start: '10.0.0.100', end: '10.0.0.200' }] })
      .thenThrows('GatewayIpInUse', 409);
    given(world).when({ type: 'UpdateSubnet', actor: ALICE, at: LATER, id: 's1', name: 'n', dnsNameservers: ['1.1.1.1'] })
      .then([{ type: 'SubnetUpdated', data: { id: 's1', changes: { name: 'n', dnsNameservers: ['1.1.1.1'] }, updatedAt: LATER } }]);
  });

  it('refuses deleting a subnet with allocations (409 SubnetInUse)', () => {
    given(world).when({ type: 'DeleteSubnet', actor: ADMIN, at: LATER, id: 's1' }).thenThrows('SubnetInUse', 409);
    given([...world, { type: 'PortDeleted', data: { id: 'p1', networkId: NET } }])
      .when({ type: 'DeleteSubnet', actor: ALICE, at: LATER, id: 's1' })
      .then([{ type: 'SubnetDeleted', data: { id: 's1', networkId: NET } }]);
  });
});
