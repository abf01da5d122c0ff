// The persistent map behaves like Map under random operations, never changes old versions, and handles collisions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PMap, hashOf } from '../../src/domain/pmap.ts';

type Op = { kind: 'set'; key: string | number; value: number } | { kind: 'delete'; key: string | number };

const key = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -50, max: 50 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

function sorted(entries: Iterable<[string | number, number]>) {
  return [...entries].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || (typeof a[0] === 'number' ? -1 : 1));
}

describe('PMap', () => {
  it('matches Map after any sequence of sets and deletes, leaving earlier versions intact', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      let map = PMap.empty<string | number, number>();
      const model = new Map<string | number, number>();
      const versions: [PMap<string | number, number>, [string | number, number][]][] = [];
      for (const o of ops) {
        if (o.kind === 'set') { map = map.set(o.key, o.value); model.set(o.key, o.value); }
        else { map = map.delete(o.key); model.delete(o.key); }
        versions.push([map, sorted(model)]);
      }
      expect(map.size).toBe(model.size);
      for (const [k, v] of model) expect(map.get(k)).toBe(v);
      for (const [version, snapshot] of versions) expect(sorted(version.entries())).toEqual(snapshot);
    }));
  });

  it('keeps colliding keys apart and removes them one by one', () => {
    // Found once by a birthday search over `key-<n>` (about 2^16 keys for a 32-bit hash).
    const [a, b] = ['key-901258', 'key-1540052'];
    expect(hashOf(a)).toBe(hashOf(b));
    const both = PMap.empty<string, number>().set('x', 0).set(a, 1).set(b, 2);
    expect([both.get(a), both.get(b), both.size]).toEqual([1, 2, 3]);
    const oneLeft = both.delete(a);
    expect([oneLeft.get(a), oneLeft.get(b), oneLeft.size]).toEqual([undefined, 2, 2]);
    expect(oneLeft.delete(b).size).toBe(1);
    expect(both.delete('absent')).toBe(both);
  });

  it('returns the same map when a set changes nothing', () => {
    const m = PMap.empty<string, number>().set('a', 1);
    expect(m.set('a', 1)).toBe(m);
  });
});
