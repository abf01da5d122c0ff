// given([events]).when(command).then([events]) / .thenThrows(type) for the network/subnet/port/host deciders.
import { expect } from 'vitest';
import type { Command } from '../../src/domain/commands.ts';
import { seededContext, type DecideContext } from '../../src/domain/context.ts';
import { decide } from '../../src/domain/decide.ts';
import { NeutronError } from '../../src/domain/errors.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { evolve, foldWorld } from '../../src/domain/evolve.ts';
import type { Principal } from '../../src/domain/principal.ts';
import type { World } from '../../src/domain/world.ts';

export const AT = '2026-11-25T12:00:00Z';
export const LATER = '2026-11-25T12:05:00Z';
export const ADMIN: Principal = { userId: 'root', projectId: 'admin-project', isAdmin: true };
export const ALICE: Principal = { userId: 'alice', projectId: 'project-a', isAdmin: false };
export const BOB: Principal = { userId: 'bob', projectId: 'project-b', isAdmin: false };

/** given(events or a world).when(command).then(events) / .thenThrows(type, status); next() chains the world on. */
export function given(events: DomainEvent[] | World, ctx: DecideContext = seededContext(42)): Given {
  const world = Array.isArray(events) ? foldWorld(events) : events;
  return {
    world,
    when(command: Command) {
      const run = () => decide(command, world, ctx);
      return {
        /** The decided events, for partial assertions. */
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
          expect(caught, `expected a ${type} refusal`).toBeInstanceOf(NeutronError);
          expect((caught as NeutronError).type).toBe(type);
          if (status !== undefined) expect((caught as NeutronError).status).toBe(status);
        },
        /** Decides and folds the result in: the next step's given. */
        next() {
          return given(run().reduce(evolve, world), ctx);
        },
      };
    },
  };
}

interface Given {
  world: World;
  when(command: Command): {
    events: () => DomainEvent[];
    then(expected: DomainEvent[]): void;
    thenThrows(type: string, status?: number): void;
    next(): Given;
  };
}

// ---- event fixtures ----

export function networkCreated(id: string, projectId: string, vni = 100, extra: Record<string, unknown> = {}): DomainEvent {
  return {
    type: 'NetworkCreated',
    data: {
      id, projectId, name: '', description: '', adminStateUp: true, shared: false, external: false, mtu: 1450,
      portSecurityEnabled: true, segment: { networkType: 'vxlan', physicalNetwork: null, segmentationId: vni },
      tags: [], createdAt: AT, updatedAt: AT, ...extra,
    },
  };
}

export function subnetCreated(id: string, networkId: string, projectId: string, cidr = '10.0.0.0/24', pool = { start: '10.0.0.2', end: '10.0.0.254' }, gatewayIp: string | null = '10.0.0.1'): DomainEvent {
  return {
    type: 'SubnetCreated',
    data: {
      id, projectId, networkId, name: '', description: '', ipVersion: 4, cidr, gatewayIp, allocationPools: [pool],
      enableDhcp: true, dnsNameservers: [], hostRoutes: [], tags: [], createdAt: AT, updatedAt: AT,
    },
  };
}

export function portCreated(id: string, networkId: string, projectId: string, mac: string, fixedIps: { subnetId: string; ipAddress: string }[], extra: Record<string, unknown> = {}): DomainEvent {
  return {
    type: 'PortCreated',
    data: {
      id, projectId, networkId, name: '', description: '', adminStateUp: true, macAddress: mac, fixedIps,
      deviceId: '', deviceOwner: '', bindingProfile: {}, vnicType: 'normal', portSecurityEnabled: false,
      allowedAddressPairs: [], securityGroups: [], tags: [], createdAt: AT, updatedAt: AT, ...extra,
    },
  };
}
