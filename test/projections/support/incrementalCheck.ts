// For the incremental-flow property tests: a full recompute, switch tables rebuilt from the change stream, and the check after every event.
import { expect } from 'vitest';
import { desiredFlows } from '../../../projections/flows/desired.ts';
import { FlowProjection, type FlowChanges } from '../../../projections/flows/incremental.ts';
import { flowBody, type DesiredFlow } from '../../../projections/pipeline/flow.ts';
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../../projections/topology/view.ts';

export type Table = Map<string, DesiredFlow>;

/** A table as sorted `key body` lines: equal tables give equal arrays, and a failure shows the differing flows. */
export const normal = (t: ReadonlyMap<string, DesiredFlow>): string[] => [...t].map(([k, f]) => `${k} ${flowBody(f)}`).sort();

/** A view built from the whole log, from scratch. */
function replay(log: readonly TopologyEvent[]): TopologyView {
  const v = emptyView();
  for (const e of log) applyTopologyEvent(v, e);
  return v;
}

/** The host's desired flows from a view built from the whole log: what the incremental projection must equal. */
export function fullRecompute(log: readonly TopologyEvent[], host: string): Table {
  return desiredFlows(replay(log), host);
}

/**
 * Whether two tables hold the same keys with the same flow bodies, which is what equal normal() arrays mean.
 * Cheap where both hold the very same flow objects (the switch tables hold the projection's): normal() on three
 * tables after every event was half of the property tests' time.
 */
function sameTable(a: ReadonlyMap<string, DesiredFlow>, b: ReadonlyMap<string, DesiredFlow>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, f] of a) {
    const g = b.get(k);
    if (g === undefined || (g !== f && flowBody(g) !== flowBody(f))) return false;
  }
  return true;
}

/** Fails with the differing flows (as normal() lines) unless the tables are the same. */
function expectSameTable(actual: ReadonlyMap<string, DesiredFlow>, want: ReadonlyMap<string, DesiredFlow>): void {
  if (!sameTable(actual, want)) expect(normal(actual)).toEqual(normal(want));
}

/** Plays a change stream onto switch tables; a delete of a key the switch does not hold is an error. */
export function applyChanges(tables: Map<string, Table>, changes: FlowChanges): void {
  for (const [host, c] of changes) {
    const t = tables.get(host) ?? new Map<string, DesiredFlow>();
    for (const k of c.deletes) {
      if (!t.has(k)) throw new Error(`delete of a key the switch does not hold: ${host} ${k}`);
      t.delete(k);
    }
    for (const [k, f] of c.upserts) t.set(k, f);
    tables.set(host, t);
  }
}

/**
 * Folds the events one at a time; after each, for every host, the projection's table and the table
 * rebuilt from its changes must equal a full recompute of the log so far. onStep sees each host's
 * full table after each event (coverage counts). Returns the projection after the last event.
 */
export function checkHistory(
  events: readonly TopologyEvent[],
  hosts: readonly string[],
  onStep?: (host: string, full: Table) => void,
): FlowProjection {
  const proj = new FlowProjection();
  const switches = new Map<string, Table>();
  const log: TopologyEvent[] = [];
  for (const e of events) {
    log.push(e);
    applyChanges(switches, proj.apply(e));
    // one replay from scratch per event serves every host: desiredFlows adds nothing to the view but the router index,
    // built from the routers on first use whichever host asks first
    const view = replay(log);
    for (const h of hosts) {
      const full = desiredFlows(view, h);
      const mine = proj.desired(h);
      expectSameTable(mine, full);
      // equal to the projection's table, so to the full recompute too
      expectSameTable(switches.get(h) ?? new Map(), mine);
      onStep?.(h, full);
    }
  }
  return proj;
}
