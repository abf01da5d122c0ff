// Given/when/then over the whole world for the L3 and security group deciders, with small world fixtures.
import { expect } from 'vitest';
import type { Command } from '../../../src/domain/commands.ts';
import { seededContext, type DecideContext } from '../../../src/domain/context.ts';
import { decide } from '../../../src/domain/decide.ts';
import { NeutronError } from '../../../src/domain/errors.ts';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { evolve, foldWorld } from '../../../src/domain/evolve.ts';
import type { Principal } from '../../../src/domain/principal.ts';
import type { World } from '../../../src/domain/world.ts';

export const AT = '2026-11-25T12:00:00Z';
export const ADMIN: Principal = { userId: 'root', projectId: 'admin-project', isAdmin: true };
export const ALICE: Principal = { userId: 'alice', projectId: 'project-a', isAdmin: false };
export const BOB: Principal = { userId: 'bob', projectId: 'project-b', isAdmin: false };

/** given(events).when(command).then(events) / .thenThrows(type, status); run() chains the world on. */
export function given(events: DomainEvent[] | World, ctx: DecideContext = seededContext(7)) {
  const world = Array.isArray(events) ? foldWorld(events) : events;
  return {
    world,
    when(command: Command) {
      const run = () => decide(command, world, ctx);
      return {
        events: run,
        then(expected: DomainEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(type: string, status?: number) {
          let caught: unknown;
          try {
            run();
          } catch (e) {
            caught = e;
          }
          expect(caught).toBeInstanceOf(NeutronError);
          expect((caught as NeutronError).type).toBe(type);
          if (status !== undefined) expect((caught as NeutronError).status).toBe(status);
        },
        /** Decides and folds the result in: the next step's given. */
        next() {
          const produced = run();
          return given(produced.reduce(evolve, world), ctx);
        },
      };
    },
  };
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
