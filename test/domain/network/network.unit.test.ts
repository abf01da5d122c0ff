// Network decider: segments (VNI allocation from a range, provider checks), policy, update, delete.
import { describe, expect, it } from 'vitest';
import { seededContext } from '../../../src/domain/context.ts';
import { ADMIN, ALICE, AT, BOB, LATER, given, networkCreated, portCreated, subnetCreated } from '../given.ts';

const N1 = '11111111-1111-4111-8111-111111111111';
const N2 = '22222222-2222-4222-8222-222222222222';
const RANGE = seededContext(1, { min: 1000, max: 1002 });

describe('CreateNetwork', () => {
  it('gives a tenant network the next free VNI of the range, a 1450 MTU and the actor project', () => {
    given([networkCreated(N1, 'project-a', 1000)], RANGE)
      .when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N2, name: 'net' })
      .then([{
        type: 'NetworkCreated',
        data: {
          id: N2, projectId: 'project-a', name: 'net', description: '', adminStateUp: true, shared: false, external: false,
          mtu: 1450, portSecurityEnabled: true, segment: { networkType: 'vxlan', physicalNetwork: null, segmentationId: 1001 },
          tags: [], createdAt: AT, updatedAt: AT,
        },
      }]);
  });

  it('refuses with 503 NoNetworkAvailable when the range is exhausted, wrapping to find freed VNIs', () => {
    const full = [networkCreated('a', 'p', 1000), networkCreated('b', 'p', 1001), networkCreated('c', 'p', 1002)];
    given(full, RANGE).when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N2 }).thenThrows('NoNetworkAvailable', 503);
    const freed = given([...full, { type: 'NetworkDeleted', data: { id: 'a' } }], RANGE)
      .when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N2 }).events();
    expect(freed[0].type === 'NetworkCreated' && freed[0].data.segment.segmentationId).toBe(1000);
  });

  it('lets only admins set provider attributes, shared and router:external', () => {
    const provider = { networkType: 'vlan' as const, physicalNetwork: 'physnet1', segmentationId: 10 };
    given([]).when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N1, provider }).thenThrows('PolicyNotAuthorized', 403);
    given([]).when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N1, shared: true }).thenThrows('PolicyNotAuthorized');
    given([]).when({ type: 'CreateNetwork', actor: ALICE, at: AT, id: N1, external: true }).thenThrows('PolicyNotAuthorized');
    const [event] = given([]).when({ type: 'CreateNetwork', actor: ADMIN, at: AT, id: N1, provider }).events();
    expect(event.type === 'NetworkCreated' && [event.data.segment, event.data.mtu]).toEqual([provider, 1500]);
  });

  it('checks provider combinations and refuses segments in use', () => {
    const create = (provider: object) => given([networkCreated(N2, 'p', 5000)])
      .when({ type: 'CreateNetwork', actor: ADMIN, at: AT, id: N1, provider });
    create({ networkType: 'vlan', segmentationId: 10 }).thenThrows('InvalidInput', 400);
    create({ networkType: 'vlan', physicalNetwork: 'p1', segmentationId: 4095 }).thenThrows('InvalidInput');
    create({ networkType: 'flat', physicalNetwork: 'p1', segmentationId: 3 }).thenThrows('InvalidInput');
    create({ networkType: 'vxlan', physicalNetwork: 'p1' }).thenThrows('InvalidInput');
    create({ networkType: 'vxlan', segmentationId: 5000 }).thenThrows('TunnelIdInUse', 409);
    const flat = given([networkCreated(N2, 'p', 0, { segment: { networkType: 'flat', physicalNetwork: 'public', segmentationId: null } })]);
    flat.when({ type: 'CreateNetwork', actor: ADMIN, at: AT, id: N1, provider: { networkType: 'flat', physicalNetwork: 'public' } })
      .thenThrows('FlatNetworkInUse', 409);
  });
});

describe('UpdateNetwork', () => {
  it('records only the given changes; others see 404, shared-network users 403', () => {
    const world = [networkCreated(N1, 'project-a')];
    given(world).when({ type: 'UpdateNetwork', actor: ALICE, at: LATER, id: N1, name: 'x', mtu: 1400 })
      .then([{ type: 'NetworkUpdated', data: { id: N1, changes: { name: 'x', mtu: 1400 }, updatedAt: LATER } }]);
    given(world).when({ type: 'UpdateNetwork', actor: BOB, at: LATER, id: N1, name: 'x' }).thenThrows('NetworkNotFound', 404);
    given([networkCreated(N1, 'project-a', 100, { shared: true })])
      .when({ type: 'UpdateNetwork', actor: BOB, at: LATER, id: N1, name: 'x' }).thenThrows('PolicyNotAuthorized', 403);
    given(world).when({ type: 'UpdateNetwork', actor: ALICE, at: LATER, id: N1 }).then([]);
  });
});

describe('DeleteNetwork', () => {
  it('deletes its subnets with it, and refuses while it has ports (409 NetworkInUse)', () => {
    const world = [networkCreated(N1, 'project-a'), subnetCreated('s1', N1, 'project-a')];
    given(world).when({ type: 'DeleteNetwork', actor: ALICE, at: LATER, id: N1 }).then([
      { type: 'SubnetDeleted', data: { id: 's1', networkId: N1 } },
      { type: 'NetworkDeleted', data: { id: N1 } },
    ]);
    given([...world, portCreated('p1', N1, 'project-a', 'fa:16:3e:00:00:01', [{ subnetId: 's1', ipAddress: '10.0.0.2' }])])
      .when({ type: 'DeleteNetwork', actor: ALICE, at: LATER, id: N1 }).thenThrows('NetworkInUse', 409);
  });
});
