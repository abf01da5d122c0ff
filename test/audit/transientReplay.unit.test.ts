// The audit head's transient port map (changed in place between checkpoints) gives the same worlds as the persistent evolve, and never changes a checkpoint or a copy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointOf, cloneState, foldEvent, initialReplayState, ownWorld, type ReplayState } from '../../src/audit/replayState.ts';
import type { ReplayEvent } from '../../src/audit/batches.ts';
import { foldWorld } from '../../src/domain/evolve.ts';
import { PMap } from '../../src/domain/pmap.ts';
import type { World } from '../../src/domain/world.ts';

const PORTS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
const AT = '2026-11-26T00:00:00.000Z';

function created(id: string, mac: string, deviceId: string): { type: string; data: unknown } {
  return { type: 'PortCreated', data: {
    id, projectId: 'proj', networkId: 'n0', name: id, description: '', adminStateUp: true, macAddress: mac, fixedIps: [],
    deviceId, deviceOwner: 'compute:nova', bindingProfile: {}, vnicType: 'normal', portSecurityEnabled: true,
    allowedAddressPairs: [], securityGroups: [], tags: [], createdAt: AT, updatedAt: AT,
  } };
}

/** A port event for a random port (events about absent ports are no-ops, as in a real fold). */
const step = fc.tuple(fc.constantFrom(...PORTS), fc.nat(99), fc.constantFrom('create', 'rename', 'mac', 'bind', 'unbind', 'status', 'delete', 'checkpoint', 'question'));

function eventOf([id, n, kind]: [string, number, string]): { type: string; data: unknown } | string {
  switch (kind) {
    case 'create': return created(id, `fa:16:3e:00:00:${(n % 16).toString(16).padStart(2, '0')}`, n % 3 === 0 ? '' : `vm-${n % 2}`);
    case 'rename': return { type: 'PortUpdated', data: { id, changes: { name: `n${n}` }, updatedAt: AT } };
    case 'mac': return { type: 'PortUpdated', data: { id, changes: { macAddress: `fa:16:3e:00:01:${(n % 16).toString(16).padStart(2, '0')}` }, updatedAt: AT } };
    case 'bind': return { type: 'PortBoundToHost', data: { id, hostId: `hv${n % 3}`, profile: {}, updatedAt: AT } };
    case 'unbind': return { type: 'PortUnboundFromHost', data: { id, profile: {}, updatedAt: AT } };
    case 'status': return { type: 'PortStatusChanged', data: { id, status: n % 2 === 0 ? 'ACTIVE' : 'DOWN', updatedAt: AT } };
    case 'delete': return { type: 'PortDeleted', data: { id, networkId: 'n0' } };
    default: return kind;
  }
}

/** The world's contents as text: every map's entries (nested PMaps too), in iteration order. */
function text(world: World): string {
  return JSON.stringify(world, (_, x) => (x instanceof PMap ? { pmap: [...x] } : x));
}

describe('transient head of the audit replay', () => {
  it('equals the persistent fold after every event; checkpoints and copies stay as they were taken', () => {
    fc.assert(fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
      const head: ReplayState = initialReplayState();
      const log: { type: string; data: unknown }[] = [];
      const kept: { state: ReplayState; expected: string }[] = [];
      for (const s of steps) {
        const e = eventOf(s);
        if (typeof e === 'string') {
          const copy = e === 'checkpoint' ? checkpointOf(head, kept[kept.length - 1]?.state) : cloneState(head);
          kept.push({ state: copy, expected: text(foldWorld(log)) });
          continue;
        }
        log.push(e);
        ownWorld(head);
        foldEvent(head, { ...e, position: BigInt(log.length), id: `e${log.length}`, metadata: undefined } as unknown as ReplayEvent);
        expect(text(head.world)).toBe(text(foldWorld(log)));
        expect(head.world.ports.isTransient).toBe(true);
      }
      for (const k of kept) expect(text(k.state.world)).toBe(k.expected);
    }), { numRuns: 300 });
  });

  it('PMap: a transient map and a persistent one given the same sets and deletes hold the same entries in the same order; sealed snapshots never change', () => {
    const op = fc.tuple(fc.constantFrom('set', 'set', 'set', 'delete', 'snapshot'), fc.integer({ min: 0, max: 300 }), fc.nat(9));
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      let persistent = PMap.empty<string, number>();
      let transient = PMap.empty<string, number>().transient();
      const snapshots: { map: PMap<string, number>; entries: string }[] = [];
      for (const [kind, k, v] of ops) {
        const key = `k${k}`;
        if (kind === 'set') {
          persistent = persistent.set(key, v);
          transient = transient.set(key, v);
        } else if (kind === 'delete') {
          persistent = persistent.delete(key);
          transient = transient.delete(key);
        } else {
          transient.seal();
          snapshots.push({ map: transient, entries: JSON.stringify([...transient]) });
          transient = transient.transient();
        }
        expect(JSON.stringify([...transient])).toBe(JSON.stringify([...persistent]));
        expect(transient.size).toBe(persistent.size);
      }
      for (const s of snapshots) expect(JSON.stringify([...s.map])).toBe(s.entries);
    }), { numRuns: 300 });
  });

  it('a transient map changes its own nodes in place; a sealed one, and the maps it was made from, never change', () => {
    let m = PMap.empty<string, number>();
    for (let i = 0; i < 200; i++) m = m.set(`k${i}`, i);
    const persistent = m;
    const t = m.transient();
    const t2 = t.set('k1', -1);
    expect(persistent.get('k1')).toBe(1);
    expect(t2.get('k1')).toBe(-1);
    // the second write to the same key reuses the nodes the first one made
    expect(t2.set('k1', -2)).toBe(t2);
    t2.seal();
    const t3 = t2.set('k1', -3);
    expect(t3).not.toBe(t2);
    expect(t2.get('k1')).toBe(-2);
    expect(t3.isTransient).toBe(false);
  });
});
