// The port update literal equals the spread it replaced ({...port, ...changes, updatedAt, revision}), keys in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withChanges, type PortStateChanges } from '../../../src/domain/port/evolve.ts';
import type { PortState } from '../../../src/domain/port/state.ts';

const fixedIps = fc.array(fc.record({ subnetId: fc.string(), ipAddress: fc.ipV4() }), { maxLength: 2 });
const pairs = fc.array(fc.record({ ipAddress: fc.ipV4(), macAddress: fc.string() }), { maxLength: 2 });
const profile = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 });
const status = fc.constantFrom('DOWN', 'ACTIVE', 'BUILD', 'ERROR') as fc.Arbitrary<PortState['status']>;

const port: fc.Arbitrary<PortState> = fc.record({
  id: fc.uuid(), projectId: fc.string(), networkId: fc.uuid(), name: fc.string(), description: fc.string(),
  adminStateUp: fc.boolean(), macAddress: fc.string(), fixedIps, deviceId: fc.string(), deviceOwner: fc.string(),
  bindingProfile: profile, vnicType: fc.constant('normal' as const), portSecurityEnabled: fc.boolean(),
  allowedAddressPairs: pairs, securityGroups: fc.array(fc.uuid(), { maxLength: 2 }), tags: fc.array(fc.string(), { maxLength: 2 }),
  createdAt: fc.string(), updatedAt: fc.string(), revision: fc.nat(), hostId: fc.string(), status,
});

// every key a port event may carry, each present or absent (requiredKeys: []), in random order
const changes: fc.Arbitrary<PortStateChanges> = fc.record({
  name: fc.string(), description: fc.string(), adminStateUp: fc.boolean(), macAddress: fc.string(), fixedIps,
  deviceId: fc.string(), deviceOwner: fc.string(), portSecurityEnabled: fc.boolean(), allowedAddressPairs: pairs,
  securityGroups: fc.array(fc.uuid(), { maxLength: 2 }), hostId: fc.string(), bindingProfile: profile, status,
}, { requiredKeys: [] }).chain((c) => fc.shuffledSubarray(Object.keys(c), { minLength: Object.keys(c).length })
  .map((keys) => Object.fromEntries(keys.map((k) => [k, (c as Record<string, unknown>)[k]])) as PortStateChanges));

describe('withChanges (the port update of port/evolve.ts)', () => {
  it('equals {...port, ...changes, updatedAt, revision + 1}, with the port\'s key order', () => {
    fc.assert(fc.property(port, changes, fc.string(), (p, c, at) => {
      const spread = { ...p, ...c, updatedAt: at, revision: p.revision + 1 };
      const literal = withChanges(p, c, at);
      expect(literal).toStrictEqual(spread);
      expect(Object.keys(literal)).toEqual(Object.keys(spread));
    }), { numRuns: 500 });
  });

  it('a change present with the value undefined wins, as in a spread', () => {
    const p = fc.sample(port, { numRuns: 1, seed: 1 })[0];
    const c = { name: undefined } as unknown as PortStateChanges;
    expect(withChanges(p, c, 'now')).toStrictEqual({ ...p, ...c, updatedAt: 'now', revision: p.revision + 1 });
  });
});
