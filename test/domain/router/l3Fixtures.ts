// Given/when/then over the whole world for the L3 and security group deciders, with small world fixtures.
import { seededContext, type DecideContext } from '../../../src/domain/context.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import type { World } from '../../../src/domain/world.ts';
import { ADMIN, ALICE, AT, given as givenWorld } from '../given.ts';

export { ADMIN, ALICE, AT, BOB } from '../given.ts';

/** The shared given/when/then, seeded as these fixtures' addresses expect. */
export function given(events: DomainEvent[] | World, ctx: DecideContext = seededContext(7)) {
  return givenWorld(events, ctx);
}

export function networkCreated(id: string, projectId: string, opts: { external?: boolean; vni?: number } = {}): DomainEvent {
  return {
    type: 'NetworkCreated',
    data: {
      id, projectId, name: id, description: '', adminStateUp: true, shared: false, external: opts.external ?? false, mtu: 1450,
      portSecurityEnabled: true,
      segment: opts.external
        ? { networkType: 'flat', physicalNetwork: 'public', segmentationId: null }
        : { networkType: 'vxlan', physicalNetwork: null, segmentationId: opts.vni ?? 100 },
      tags: [], createdAt: AT, updatedAt: AT,
    },
  };
}

/** An IPv4 /24 subnet "a.b.c.0/24" with gateway .1 and pool .2-.254 (or a narrower pool). */
export function subnetCreated(id: string, networkId: string, projectId: string, prefix: string, pool = { first: 2, last: 254 }): DomainEvent {
  return {
    type: 'SubnetCreated',
    data: {
      id, projectId, networkId, name: id, description: '', ipVersion: 4, cidr: `${prefix}.0/24`, gatewayIp: `${prefix}.1`,
      allocationPools: [{ start: `${prefix}.${pool.first}`, end: `${prefix}.${pool.last}` }],
      enableDhcp: true, dnsNameservers: [], hostRoutes: [], tags: [], createdAt: AT, updatedAt: AT,
    },
  };
}

export function vmPortCreated(id: string, networkId: string, projectId: string, fixedIps: { subnetId: string; ipAddress: string }[]): DomainEvent {
  return {
    type: 'PortCreated',
    data: {
      id, projectId, networkId, name: id, description: '', adminStateUp: true, macAddress: `fa:16:3e:00:00:${id.slice(-2)}`,
      fixedIps, deviceId: `vm-${id}`, deviceOwner: 'compute:nova', bindingProfile: {}, vnicType: 'normal',
      portSecurityEnabled: true, allowedAddressPairs: [], securityGroups: [], tags: [], createdAt: AT, updatedAt: AT,
    },
  };
}

// Ids are uuids because the API validates them; the decider does not care.
export const IDS = {
  ext: '00000000-0000-4000-a000-0000000000e1',
  extSubnet: '00000000-0000-4000-a000-0000000000e2',
  net: '00000000-0000-4000-a000-000000000001',
  subnet: '00000000-0000-4000-a000-000000000002',
  net2: '00000000-0000-4000-a000-000000000003',
  subnet2: '00000000-0000-4000-a000-000000000004',
  vm: '00000000-0000-4000-a000-0000000000a1',
  vm2: '00000000-0000-4000-a000-0000000000a2',
  router: '00000000-0000-4000-a000-0000000000b1',
  router2: '00000000-0000-4000-a000-0000000000b2',
  fip: '00000000-0000-4000-a000-0000000000c1',
  fip2: '00000000-0000-4000-a000-0000000000c2',
};

/** An external network 203.0.113.0/24 (pool .10-.20), and alice's network 10.0.0.0/24 with one VM port. */
export function l3Base(): DomainEvent[] {
  return [
    networkCreated(IDS.ext, ADMIN.projectId, { external: true }),
    subnetCreated(IDS.extSubnet, IDS.ext, ADMIN.projectId, '203.0.113', { first: 10, last: 20 }),
    networkCreated(IDS.net, ALICE.projectId, { vni: 100 }),
    subnetCreated(IDS.subnet, IDS.net, ALICE.projectId, '10.0.0'),
    vmPortCreated(IDS.vm, IDS.net, ALICE.projectId, [{ subnetId: IDS.subnet, ipAddress: '10.0.0.5' }]),
  ];
}
