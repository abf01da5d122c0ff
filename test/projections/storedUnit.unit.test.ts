// A unit's flows between recomputes: up to 32 as one flat array, more in a Map; both read the same.
import { describe, expect, test } from 'vitest';
import { flow, gotoOnly, m, type DesiredFlow } from '../../projections/pipeline/flow.ts';
import { flowIn, keepUnchanged, storeUnit, unitEntries } from '../../projections/flows/storedUnit.ts';

function flows(n: number, cookie = 1n): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  for (let i = 0; i < n; i++) out.set(`0/100/in_port=${i}`, flow(0, 100, [m('in_port', i)], gotoOnly(10), cookie));
  return out;
}

describe('stored units', () => {
  test.each([0, 1, 13, 32, 33, 200])('%i flows: the same pairs in the same order, each found by its key', (n) => {
    const fresh = flows(n);
    const stored = storeUnit(fresh);
    expect(Array.isArray(stored)).toBe(n <= 32);
    expect([...unitEntries(stored)]).toEqual([...fresh]);
    for (const [k, f] of fresh) expect(flowIn(stored, k)).toBe(f);
    expect(flowIn(stored, '0/100/in_port=9999')).toBeUndefined();
    expect(flowIn(undefined, '0/100/in_port=0')).toBeUndefined();
  });

  test('a recompute keeps the stored flow objects that did not change and takes the changed ones', () => {
    const old = storeUnit(flows(13));
    const fresh = flows(14);
    const changed = flow(0, 100, [m('in_port', 3)], gotoOnly(20), 1n);
    fresh.set('0/100/in_port=3', changed);
    const kept = keepUnchanged(old, fresh);
    expect([...kept.keys()].sort()).toEqual([...fresh.keys()].sort());
    expect(kept.get('0/100/in_port=0')).toBe(flowIn(old, '0/100/in_port=0'));
    expect(kept.get('0/100/in_port=3')).toBe(changed);
    expect(kept.get('0/100/in_port=13')).toBe(fresh.get('0/100/in_port=13'));
  });
});
