// Port decider: MAC and IP allocation (cursor, wrap, exhaustion), conflicts, binding, status, delete, policy.
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { foldWorld } from '../../../src/domain/evolve.ts';
import { ADMIN, ALICE, AT, BOB, LATER, given, networkCreated, portCreated, subnetCreated } from '../given.ts';

const NET = 'net-1';
const pool = { start: '10.0.0.2', end: '10.0.0.4' };
const base: DomainEvent[] = [networkCreated(NET, 'project-a'), subnetCreated('s1', NET, 'project-a', '10.0.0.0/29', pool)];
const create = (extra: Record<string, unknown> = {}) =>
  ({ type: 'CreatePort' as const, actor: ALICE, at: AT, id: 'p9', networkId: NET, portSecurityEnabled: false, ...extra });

function created(events: DomainEvent[]) {
  const event = events.find((e) => e.type === 'PortCreated');
  if (event?.type !== 'PortCreated') throw new Error('no PortCreated');
  return event.data;
}

describe('CreatePort', () => {
  it('allocates a fa:16:3e MAC and the first free pool address', () => {
    const port = created(given(base).when(create()).events());
    expect(port.macAddress).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(port.fixedIps).toEqual([{ subnetId: 's1', ipAddress: '10.0.0.2' }]);
  });

  it('continues after the last allocation, wraps to freed addresses, and fails when the pool is full', () => {
    const p = (id: string, ip: string, mac: string) => portCreated(id, NET, 'project-a', mac, [{ subnetId: 's1', ipAddress: ip }]);
    const two = [...base, p('a', '10.0.0.2', 'fa:16:3e:00:00:01'), p('b', '10.0.0.3', 'fa:16:3e:00:00:02')];
    expect(created(given(two).when(create()).events()).fixedIps[0].ipAddress).toBe('10.0.0.4');
    const full = [...two, p('c', '10.0.0.4', 'fa:16:3e:00:00:03')];
    given(full).when(create()).thenThrows('IpAddressGenerationFailure', 409);
    // An address outside the pool does not count towards the pool being full.
    const outside = [...two, p('x', '10.0.0.6', 'fa:16:3e:00:00:09')];
    expect(created(given(outside).when(create()).events()).fixedIps[0].ipAddress).toBe('10.0.0.4');
    const freed = [...full, { type: 'PortDeleted', data: { id: 'a', networkId: NET } } as DomainEvent];
    expect(created(given(freed).when(create()).events()).fixedIps[0].ipAddress).toBe('10.0.0.2');
  });

  it('refuses addresses and MACs in use, addresses outside the subnet, the gateway, and unknown subnets', () => {
    const world = [...base, portCreated('a', NET, 'project-a', 'fa:16:3e:00:00:01', [{ subnetId: 's1', ipAddress: '10.0.0.3' }])];
    given(world).when(create({ fixedIps: [{ ipAddress: '10.0.0.3' }] })).thenThrows('IpAddressAlreadyAllocated', 409);
    given(world).when(create({ fixedIps: [{ ipAddress: '10.0.0.2' }, { subnetId: 's1', ipAddress: '10.0.0.2' }] })).thenThrows('IpAddressAlreadyAllocated');
    given(world).when(create({ macAddress: 'fa:16:3e:00:00:01' })).thenThrows('MacAddressInUse', 409);
    given(world).when(create({ fixedIps: [{ subnetId: 's1', ipAddress: '10.0.1.3' }] })).thenThrows('InvalidIpForSubnet', 400);
    given(world).when(create({ fixedIps: [{ ipAddress: '192.168.0.3' }] })).thenThrows('InvalidIpForNetwork', 400);
    given(world).when(create({ fixedIps: [{ ipAddress: '10.0.0.1' }] })).thenThrows('IpAddressAlreadyAllocated');
    given(world).when(create({ fixedIps: [{ subnetId: 'nope' }] })).thenThrows('InvalidInput', 400);
    // Router ports (network:*) may hold the gateway address; an explicit address outside the pool is fine.
    const router = created(given(world).when(create({ actor: ADMIN, deviceOwner: 'network:router_interface', fixedIps: [{ ipAddress: '10.0.0.1' }] })).events());
    expect(router.fixedIps).toEqual([{ subnetId: 's1', ipAddress: '10.0.0.1' }]);
    expect(created(given(world).when(create({ fixedIps: [{ ipAddress: '10.0.0.6' }] })).events()).fixedIps[0].ipAddress).toBe('10.0.0.6');
  });

  it('emits PortBoundToHost after PortCreated when created with a host (admin only)', () => {
    const events = given(base).when(create({ actor: ADMIN, hostId: 'hv1', bindingProfile: { interface_name: 'vm-eth0' } })).events();
    expect(events.map((e) => e.type)).toEqual(['PortCreated', 'PortBoundToHost']);
    expect(events[1].data).toEqual({ id: 'p9', hostId: 'hv1', profile: { interface_name: 'vm-eth0' }, updatedAt: AT });
    given(base).when(create({ hostId: 'hv1' })).thenThrows('PolicyNotAuthorized', 403);
  });

  it('gives a port the project default security group, creating it first on first use', () => {
    const events = given(base).when(create({ portSecurityEnabled: undefined })).events();
    const group = events[0];
    if (group.type !== 'SecurityGroupCreated') throw new Error(`expected SecurityGroupCreated first, got ${group.type}`);
    const port = created(events);
    expect(port.portSecurityEnabled).toBe(true);
    expect(port.securityGroups).toEqual([group.data.id]);
  });

  it("does not let other projects use a private network", () => {
    given(base).when(create({ actor: BOB })).thenThrows('NetworkNotFound', 404);
  });
});

describe('UpdatePort, binding, status and DeletePort', () => {
  const world = [...base, portCreated('p1', NET, 'project-a', 'fa:16:3e:00:00:01', [{ subnetId: 's1', ipAddress: '10.0.0.2' }])];

  it('binds, re-binds with a new profile, and unbinds', () => {
    given(world).when({ type: 'UpdatePort', actor: ADMIN, at: LATER, id: 'p1', hostId: 'hv1' })
      .then([{ type: 'PortBoundToHost', data: { id: 'p1', hostId: 'hv1', profile: {}, updatedAt: LATER } }]);
    const bound = [...world, { type: 'PortBoundToHost', data: { id: 'p1', hostId: 'hv1', profile: {}, updatedAt: LATER } } as DomainEvent];
    given(bound).when({ type: 'UpdatePort', actor: ADMIN, at: LATER, id: 'p1', hostId: 'hv1' }).then([]);
    given(bound).when({ type: 'UpdatePort', actor: ADMIN, at: LATER, id: 'p1', hostId: '' })
      .then([{ type: 'PortUnboundFromHost', data: { id: 'p1', profile: {}, updatedAt: LATER } }]);
  });

  it('moves fixed IPs, keeping its own address available to itself', () => {
    given(world).when({ type: 'UpdatePort', actor: ALICE, at: LATER, id: 'p1', fixedIps: [{ ipAddress: '10.0.0.2' }, { subnetId: 's1' }] })
      .then([{ type: 'PortUpdated', data: { id: 'p1', changes: { fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.2' }, { subnetId: 's1', ipAddress: '10.0.0.3' }] }, updatedAt: LATER } }]);
  });

  it('records status changes from the southbound only when they change', () => {
    given(world).when({ type: 'SetPortStatus', actor: ADMIN, at: LATER, id: 'p1', status: 'ACTIVE' })
      .then([{ type: 'PortStatusChanged', data: { id: 'p1', status: 'ACTIVE', updatedAt: LATER } }]);
    given(world).when({ type: 'SetPortStatus', actor: ADMIN, at: LATER, id: 'p1', status: 'DOWN' }).then([]);
  });

  it('deletes, freeing its MAC and address in the world', () => {
    given(world).when({ type: 'DeletePort', actor: ALICE, at: LATER, id: 'p1' }).then([{ type: 'PortDeleted', data: { id: 'p1', networkId: NET } }]);
    given(world).when({ type: 'DeletePort', actor: BOB, at: LATER, id: 'p1' }).thenThrows('PortNotFound', 404);
    const after = foldWorld([...world, { type: 'PortDeleted', data: { id: 'p1', networkId: NET } }]);
    expect(after.networks.get(NET)!.macs.size).toBe(0);
    expect(after.subnets.get('s1')!.allocations.size).toBe(0);
  });
});
