// Random intent sequences: indexes always match the resources, nothing is handed out twice, replay equals the live world.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/domain/commands.ts';
import { seededContext } from '../../src/domain/context.ts';
import { decide } from '../../src/domain/decide.ts';
import { NeutronError } from '../../src/domain/errors.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { evolve, foldWorld } from '../../src/domain/evolve.ts';
import { toNeutronNetwork } from '../../src/domain/network/view.ts';
import { toNeutronPort } from '../../src/domain/port/view.ts';
import { toNeutronSubnet } from '../../src/domain/subnet/view.ts';
import { formatIp } from '../../src/domain/ip/address.ts';
import { countInPools } from '../../src/domain/subnet/layout.ts';
import type { AllocationPool } from '../../src/domain/subnet/state.ts';
import { emptyWorld, type World } from '../../src/domain/world.ts';
import { ADMIN, ALICE, AT } from './given.ts';

const NETS = ['n0', 'n1'];
const SUBNETS = ['s0', 's1', 's2'];
const PORTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
const CIDRS = ['10.0.0.0/29', '10.0.0.8/29', '10.1.0.0/30', '192.168.0.0/29'];
const IPS = ['10.0.0.2', '10.0.0.3', '10.0.0.10', '10.1.0.1', '192.168.0.4'];

const actor = fc.constantFrom(ADMIN, ADMIN, ALICE);

/** Most steps act on ports, where the indexes are busiest. */
function portCommand(): fc.Arbitrary<Command> {
  const fixedIps = fc.array(fc.oneof(fc.record({ ipAddress: fc.constantFrom(...IPS) }), fc.record({ subnetId: fc.constantFrom(...SUBNETS) })), { maxLength: 2 });
  return fc.oneof(
    fc.record({
      type: fc.constant('CreatePort' as const), actor: fc.constant(ADMIN), at: fc.constant(AT), id: fc.constantFrom(...PORTS),
      networkId: fc.constantFrom(...NETS), fixedIps: fc.option(fixedIps, { nil: undefined, freq: 2 }),
      macAddress: fc.option(fc.constantFrom('fa:16:3e:00:00:01', 'fa:16:3e:00:00:02'), { nil: undefined }),
      deviceId: fc.option(fc.constantFrom('vm-1', 'vm-2'), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant('UpdatePort' as const), actor: fc.constant(ADMIN), at: fc.constant(AT), id: fc.constantFrom(...PORTS),
      fixedIps: fc.option(fixedIps, { nil: undefined, freq: 2 }), hostId: fc.option(fc.constantFrom('', 'hv1'), { nil: undefined }),
      macAddress: fc.option(fc.constantFrom('fa:16:3e:00:00:01', 'fa:16:3e:00:00:03'), { nil: undefined }),
      deviceId: fc.option(fc.constantFrom('', 'vm-1', 'vm-3'), { nil: undefined }),
    }),
    fc.record({ type: fc.constant('DeletePort' as const), actor: fc.constant(ADMIN), at: fc.constant(AT), id: fc.constantFrom(...PORTS) }),
  );
}

/** Every sequence starts from two networks with three small subnets. */
const SETUP: Command[] = [
  { type: 'CreateNetwork', actor: ADMIN, at: AT, id: 'n0' },
  { type: 'CreateNetwork', actor: ADMIN, at: AT, id: 'n1' },
  { type: 'CreateSubnet', actor: ADMIN, at: AT, id: 's0', networkId: 'n0', cidr: '10.0.0.0/29' },
  { type: 'CreateSubnet', actor: ADMIN, at: AT, id: 's1', networkId: 'n0', cidr: '10.0.0.8/29' },
  { type: 'CreateSubnet', actor: ADMIN, at: AT, id: 's2', networkId: 'n1', cidr: '10.1.0.0/30' },
];
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: portCommand(), weight: 12 },
  { arbitrary: portCommand(), weight: 12 },
  fc.record({ type: fc.constant('CreateNetwork' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...NETS) }),
  fc.record({ type: fc.constant('DeleteNetwork' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...NETS) }),
  fc.record({
    type: fc.constant('CreateSubnet' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...SUBNETS),
    networkId: fc.constantFrom(...NETS), cidr: fc.constantFrom(...CIDRS),
  }),
  fc.record({
    type: fc.constant('UpdateSubnet' as const), actor: fc.constant(ADMIN), at: fc.constant(AT), id: fc.constantFrom(...SUBNETS),
    allocationPools: fc.constantFrom<AllocationPool[][]>(
      [{ start: '10.0.0.2', end: '10.0.0.3' }], [{ start: '10.0.0.4', end: '10.0.0.6' }], [{ start: '10.0.0.10', end: '10.0.0.14' }],
    ),
  }),
  fc.record({ type: fc.constant('DeleteSubnet' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...SUBNETS) }),
  fc.record({
    type: fc.constant('CreatePort' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...PORTS), networkId: fc.constantFrom(...NETS),
    fixedIps: fc.option(fc.array(fc.record({ ipAddress: fc.constantFrom(...IPS) }), { maxLength: 2 }), { nil: undefined }),
    macAddress: fc.option(fc.constantFrom('fa:16:3e:00:00:01', 'fa:16:3e:00:00:02'), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant('UpdatePort' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...PORTS),
    fixedIps: fc.option(fc.array(fc.oneof(fc.record({ ipAddress: fc.constantFrom(...IPS) }), fc.record({ subnetId: fc.constantFrom(...SUBNETS) })), { maxLength: 2 }), { nil: undefined }),
    hostId: fc.option(fc.constantFrom('', 'hv1', 'hv2'), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('DeletePort' as const), actor, at: fc.constant(AT), id: fc.constantFrom(...PORTS) }),
);

function checkIndexes(world: World): void {
  const segments = new Set<string>();
  for (const network of world.networks.values()) {
    const key = `vxlan:${network.segment.segmentationId}`;
    expect(segments.has(key)).toBe(false);
    segments.add(key);
    expect(world.segments.get(key)).toBe(network.id);
    const ports = [...world.ports.values()].filter((p) => p.networkId === network.id);
    expect(new Set(network.ports.keys())).toEqual(new Set(ports.map((p) => p.id)));
    expect(new Map(network.macs)).toEqual(new Map(ports.map((p) => [p.macAddress, p.id])));
    for (const subnetId of network.subnetIds) expect(world.subnets.get(subnetId)?.networkId).toBe(network.id);
  }
  expect(world.segments.size).toBe(world.networks.size);
  const devices = new Map<string, Set<string>>();
  for (const p of world.ports.values()) if (p.deviceId !== '') devices.set(p.deviceId, (devices.get(p.deviceId) ?? new Set()).add(p.id));
  expect(new Map([...world.portsByDevice].map(([d, ids]) => [d, new Set(ids.keys())]))).toEqual(devices);
  for (const subnet of world.subnets.values()) {
    const held = [...world.ports.values()].flatMap((p) => p.fixedIps.filter((f) => f.subnetId === subnet.id).map((f) => [f.ipAddress, p.id] as const));
    expect(new Map(subnet.allocations)).toEqual(new Map(held));
    expect(held.length).toBe(new Set(held.map(([ip]) => ip)).size);
    expect(subnet.poolAllocated).toBe(countInPools(subnet.pools, subnet.allocations.keys()));
    // The allocator's invariant: every free pool address is at or after the cursor, or in `freed`.
    const behind = subnet.pools.flatMap((p) => {
      const out: string[] = [];
      for (let v = p.start; v <= p.end && v < subnet.nextHint; v++) out.push(formatIp({ version: subnet.ipVersion, value: v }));
      return out;
    });
    expect(new Set(subnet.freed.keys())).toEqual(new Set(behind.filter((ip) => !subnet.allocations.has(ip))));
  }
}

function views(world: World) {
  return {
    networks: [...world.networks.values()].map((n) => toNeutronNetwork(n, ADMIN)),
    subnets: [...world.subnets.values()].map(toNeutronSubnet),
    ports: [...world.ports.values()].map((p) => toNeutronPort(p, ADMIN, world)),
  };
}

const seen: Record<string, number> = {};
describe('world invariants under random intents', () => {
  it('keeps every index equal to what the resources say, and replay gives the same world', () => {
    fc.assert(fc.property(fc.array(command, { minLength: 30, maxLength: 60 }), (commands) => {
      const ctx = seededContext(9, { min: 100, max: 103 });
      let world = emptyWorld();
      const log: DomainEvent[] = [];
      for (const c of [...SETUP, ...commands]) {
        let events: DomainEvent[];
        try {
          events = decide(c, world, ctx);
        } catch (error) {
          if (!(error instanceof NeutronError)) throw error;
          continue;
        }
        for (const e of events) world = evolve(world, e);
        log.push(...events);
        for (const e of events) seen[e.type] = (seen[e.type] ?? 0) + 1;
        checkIndexes(world);
      }
      expect(views(foldWorld(JSON.parse(JSON.stringify(log))))).toEqual(views(world));
    }), { numRuns: 200 });
    // The generator must reach the interesting paths, not only refusals.
    for (const type of ['PortCreated', 'PortUpdated', 'PortBoundToHost', 'PortDeleted', 'SubnetUpdated', 'SubnetDeleted', 'NetworkDeleted']) {
      expect(seen[type] ?? 0, type).toBeGreaterThan(0);
    }
  });
});
