// Checkpoint copies that share with the previous checkpoint: equal to a deep copy (order too), never aliased to the live view, and sharing what did not change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sharedCopy, sharedRecords } from '../../src/audit/sharedCopy.ts';

type View = { byNet: Map<string, Set<string>>; byHost: Map<string, Map<string, number>>; sw: Map<string, { up: boolean; ports: Map<string, number> }>; list: string[] };

const KEYS = ['a', 'b', 'c', 'd'];

function emptyView(): View {
  return { byNet: new Map(), byHost: new Map(), sw: new Map(), list: [] };
}

/** One in-place edit of the kind the topology fold makes. */
type Edit = { kind: 'add' | 'del' | 'bump' | 'sw' | 'push'; k: string; j: string; n: number };
const edit: fc.Arbitrary<Edit> = fc.record({ kind: fc.constantFrom('add', 'del', 'bump', 'sw', 'push'), k: fc.constantFrom(...KEYS), j: fc.constantFrom(...KEYS), n: fc.integer({ min: -1, max: 3 }) }) as fc.Arbitrary<Edit>;

function apply(v: View, e: Edit): void {
  switch (e.kind) {
    case 'add': {
      let s = v.byNet.get(e.k);
      if (!s) v.byNet.set(e.k, (s = new Set()));
      s.add(e.j);
      return;
    }
    case 'del': {
      const s = v.byNet.get(e.k);
      s?.delete(e.j);
      if (s?.size === 0) v.byNet.delete(e.k);
      return;
    }
    case 'bump': {
      let m = v.byHost.get(e.k);
      if (!m) v.byHost.set(e.k, (m = new Map()));
      if (e.n <= 0) m.delete(e.j);
      else m.set(e.j, e.n);
      return;
    }
    case 'sw': {
      let s = v.sw.get(e.k);
      if (!s) v.sw.set(e.k, (s = { up: false, ports: new Map() }));
      s.up = e.n > 0;
      s.ports.set(e.j, e.n);
      return;
    }
    case 'push':
      if (v.list.length < 4) v.list.push(e.j);
      else v.list.pop();
  }
}

/** Plain JSON of a view, maps and sets as entry lists in iteration order. */
function text(v: unknown): string {
  return JSON.stringify(v, (_, x) => (x instanceof Map ? { map: [...x] } : x instanceof Set ? { set: [...x] } : x));
}

function containers(v: unknown, out = new Set<object>()): Set<object> {
  if (typeof v !== 'object' || v === null) return out;
  out.add(v);
  const children = v instanceof Map ? [...v.values()] : v instanceof Set ? [...v] : Object.values(v);
  for (const c of children) containers(c, out);
  return out;
}

describe('sharedCopy (checkpoints share unchanged parts with the previous checkpoint)', () => {
  it('each checkpoint equals the live view when it was taken, shares nothing with it, and later edits change no checkpoint', () => {
    fc.assert(fc.property(fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rounds) => {
      const live = emptyView();
      const checkpoints: { copy: View; at: string }[] = [];
      for (const edits of rounds) {
        for (const e of edits) apply(live, e);
        const prev = checkpoints[checkpoints.length - 1]?.copy;
        const copy = sharedCopy(live, prev);
        checkpoints.push({ copy, at: text(live) });
        expect(text(copy)).toBe(text(live));
        const mine = containers(live);
        for (const c of containers(copy)) expect(mine.has(c)).toBe(false);
      }
      for (const { copy, at } of checkpoints) expect(text(copy)).toBe(at);
    }), { numRuns: 300 });
  });

  it('an unchanged part is the previous checkpoint\'s, a changed one is new', () => {
    const live = emptyView();
    apply(live, { kind: 'add', k: 'a', j: 'p1', n: 0 });
    apply(live, { kind: 'add', k: 'b', j: 'p2', n: 0 });
    const first = sharedCopy(live, undefined);
    apply(live, { kind: 'add', k: 'b', j: 'p3', n: 0 });
    const second = sharedCopy(live, first);
    expect(second.byNet.get('a')).toBe(first.byNet.get('a'));
    expect(second.byNet.get('b')).not.toBe(first.byNet.get('b'));
    expect(second.sw).toBe(first.sw);
    expect(second).not.toBe(first);
  });

  it('a set with the same members in another order is not shared (consumers iterate it)', () => {
    const first = sharedCopy(new Set(['x', 'y']), undefined);
    const second = sharedCopy(new Set(['y', 'x']), first);
    expect(second).not.toBe(first);
    expect([...second]).toEqual(['y', 'x']);
  });

  it('sharedRecords: the previous map when it holds the same records in the same order, else a new map', () => {
    const r1 = { id: 1 };
    const r2 = { id: 2 };
    const live = new Map([['1', r1], ['2', r2]]);
    const first = sharedRecords(live, undefined);
    expect(first).not.toBe(live);
    expect(sharedRecords(live, first)).toBe(first);
    live.set('2', { id: 2 });
    const third = sharedRecords(live, first);
    expect(third).not.toBe(first);
    expect(third.get('1')).toBe(r1);
  });
});
