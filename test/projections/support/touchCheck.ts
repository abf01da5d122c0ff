// A narrowed touch (the units an event recomputes) checked against the wider one it replaced, one event at a time.
import { expect } from 'vitest';
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../../projections/topology/view.ts';

type Touch = (view: TopologyView, ev: TopologyEvent) => Iterable<string>;

/** JSON.stringify replacer for flows, whose cookies and metadata are bigints. */
export const bigints = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);

/**
 * Folds `ev` into `view`, asking both touches before and after the fold (an event can name units by what it
 * adds or by what it removes), and asserts that the new touch names nothing outside the old one and names
 * every unit of the old one whose state changed. `onUnit` sees each unit of the old touch, for coverage counts.
 */
export function foldCheckingTouch(
  view: TopologyView, ev: TopologyEvent, oldTouch: Touch, newTouch: Touch, unitState: (view: TopologyView, unit: string) => string,
  onUnit: (unit: string, changed: boolean, named: boolean) => void = () => undefined,
): void {
  const oldSet = new Set(oldTouch(view, ev));
  const newSet = new Set(newTouch(view, ev));
  const before = new Map([...oldSet].map((u) => [u, unitState(view, u)]));
  applyTopologyEvent(view, ev);
  for (const u of oldTouch(view, ev)) oldSet.add(u);
  for (const u of newTouch(view, ev)) newSet.add(u);
  for (const u of newSet) expect(oldSet, `${ev.type} names ${u} outside the old touch`).toContain(u);
  for (const u of oldSet) {
    const changed = (before.get(u) ?? unitState(emptyView(), u)) !== unitState(view, u);
    if (changed) expect(newSet, `${ev.type} ${JSON.stringify(ev.data)} changes ${u} without naming it`).toContain(u);
    onUnit(u, changed, newSet.has(u));
  }
}
