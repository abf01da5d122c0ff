// Random floating IP and port intents (fast-check): addresses stay unique, one floating IP per fixed IP, indexes agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../../src/domain/commands.ts';
import { seededContext } from '../../../src/domain/context.ts';
import { decide } from '../../../src/domain/decide.ts';
import { NeutronError } from '../../../src/domain/errors.ts';
import { evolve } from '../../../src/domain/evolve.ts';
import { fixedIpKey } from '../../../src/domain/floatingIp/state.ts';
import type { World } from '../../../src/domain/world.ts';
import { ADMIN, ALICE, AT, IDS, given, l3Base, vmPortCreated } from '../router/l3Fixtures.ts';

/** More floating IP ids than the external pool (.10-.20, one taken by the gateway) has addresses. */
const FIP_SLOTS = 12;
const PORT_SLOTS = 4;
const fipId = (i: number) => `00000000-0000-4000-a000-0000000001${i.toString(16).padStart(2, '0')}`;
const portId = (i: number) => `00000000-0000-4000-a000-0000000002${i.toString(16).padStart(2, '0')}`;

function startWorld(): World {
  const ports = Array.from({ length: PORT_SLOTS }, (_, i) =>
    vmPortCreated(portId(i), IDS.net, ALICE.projectId, [{ subnetId: IDS.subnet, ipAddress: `10.0.0.${20 + i}` }]));
  return given([...l3Base(), ...ports])
    .when({ type: 'CreateRouter', actor: ADMIN, at: AT, id: IDS.router, projectId: 'project-a', externalGateway: { networkId: IDS.ext } }).next()
    .when({ type: 'AddRouterInterface', actor: ALICE, at: AT, id: IDS.router, subnetId: IDS.subnet }).next().world;
}

const fipIndex = fc.integer({ min: 0, max: FIP_SLOTS - 1 });
const portIndex = fc.integer({ min: 0, max: PORT_SLOTS - 1 });
const portRef = fc.option(portIndex, { nil: null });

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ f: fipIndex, p: portRef }).map(({ f, p }): Command => ({
    type: 'CreateFloatingIp', actor: ALICE, at: AT, id: fipId(f), floatingNetworkId: IDS.ext, portId: p === null ? undefined : portId(p),
  })),
  fc.record({ f: fipIndex, p: portRef }).map(({ f, p }): Command => ({
    type: 'UpdateFloatingIp', actor: ALICE, at: AT, id: fipId(f), portId: p === null ? null : portId(p),
  })),
  fipIndex.map((f): Command => ({ type: 'DeleteFloatingIp', actor: ALICE, at: AT, id: fipId(f) })),
  portIndex.map((p): Command => ({ type: 'DeletePort', actor: ALICE, at: AT, id: portId(p) })),
  fc.record({ f: fipIndex, active: fc.boolean() }).map(({ f, active }): Command => ({
    type: 'SetFloatingIpStatus', actor: ADMIN, at: AT, id: fipId(f), status: active ? 'ACTIVE' : 'DOWN',
  })),
);

function checkInvariants(world: World): void {
  const addresses = new Set<string>();
  let associated = 0;
  const extSubnet = world.subnets.get(IDS.extSubnet)!;
  for (const [id, fip] of world.floatingIps) {
    expect(addresses.has(fip.floatingIpAddress)).toBe(false);
    addresses.add(fip.floatingIpAddress);
    expect(extSubnet.allocations.get(fip.floatingIpAddress)).toBe(fip.floatingPortId);
    expect(world.ports.get(fip.floatingPortId)?.deviceId).toBe(id);
    const a = fip.association;
    if (a === null) continue;
    associated += 1;
    expect(world.ports.get(a.portId)?.fixedIps.some((f) => f.ipAddress === a.fixedIpAddress)).toBe(true);
    expect(world.floatingIpsByFixedIp.get(fixedIpKey(a.portId, a.fixedIpAddress, fip.floatingNetworkId))).toBe(id);
    expect(world.floatingIpsByPort.get(a.portId)?.has(id)).toBe(true);
  }
  expect(world.floatingIpsByFixedIp.size).toBe(associated);
  let byPort = 0;
  for (const [, fips] of world.floatingIpsByPort) byPort += fips.size;
  expect(byPort).toBe(associated);
}

describe('floating IP invariants under random intents', () => {
  it('keeps addresses unique, one floating IP per fixed IP, and refusals change nothing', () => {
    const start = startWorld();
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        const ctx = seededContext(3);
        let world = start;
        for (const c of commands) {
          let events;
          try {
            events = decide(c, world, ctx);
          } catch (e) {
            // only typed refusals are allowed; the world stays as it was.
            expect(e).toBeInstanceOf(NeutronError);
            continue;
          }
          world = events.reduce(evolve, world);
          checkInvariants(world);
        }
      }),
      { numRuns: 300 },
    );
  });
});
