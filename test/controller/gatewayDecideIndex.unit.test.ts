// The gateway scheduler's decisions with eligible hosts found once per physical network equal the per-router pass over every host it replaced (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideGatewayHosts, type GatewayDecision, type HostCandidate, type RouterToSchedule, type SchedulingInput,
} from '../../src/controller/gatewayScheduler/decide.ts';
import { scanDecide } from '../support/scanGatewayDecide.ts';

const HOSTS = ['hv1', 'hv2', 'hv3', 'hv4', 'hv5'];
const PHYSNETS = ['public', 'other'];
const FAILOVER_MS = 1000;

const hostArb: fc.Arbitrary<HostCandidate> = fc.record({
  name: fc.constantFrom(...HOSTS),
  physicalNetworks: fc.subarray(PHYSNETS),
  connected: fc.boolean(),
  downForMs: fc.constantFrom(0, FAILOVER_MS - 1, FAILOVER_MS, 5 * FAILOVER_MS),
});

const inputArb: fc.Arbitrary<SchedulingInput> = fc.record({
  hosts: fc.uniqueArray(hostArb, { selector: (h) => h.name, maxLength: HOSTS.length }),
  routers: fc.uniqueArray(fc.record({
    routerId: fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `r${i.toString().padStart(2, '0')}`)),
    physicalNetwork: fc.constantFrom(null, ...PHYSNETS),
    current: fc.constantFrom<string | null | undefined>(undefined, null, ...HOSTS, 'gone'),
  }), { selector: (r) => r.routerId, maxLength: 12 }),
  failoverAfterMs: fc.constant(FAILOVER_MS),
});

describe('gateway scheduling decisions', () => {
  it('equal the per-router pass over every host on random inputs (same hosts, reasons, order)', () => {
    let decided = 0;
    fc.assert(fc.property(inputArb, (input) => {
      const want = scanDecide(input);
      decided += want.length;
      expect(decideGatewayHosts(input)).toEqual(want);
    }), { numRuns: 2000 });
    expect(decided).toBeGreaterThan(1000);
  });
});
