// For the incremental-flow property tests: a full recompute, switch tables rebuilt from the change stream, and the check after every event.
import { expect } from 'vitest';
import { desiredFlows } from '../../../projections/flows/desired.ts';
import { FlowProjection, type FlowChanges } from '../../../projections/flows/incremental.ts';
import { flowBody, type DesiredFlow } from '../../../projections/pipeline/flow.ts';
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../../projections/topology/view.ts';

export type Table = Map<string, DesiredFlow>;

/** A table as sorted `key body` lines: equal tables give equal arrays, and a failure shows the differing flows. */
export const normal = (t: ReadonlyMap<string, DesiredFlow>): string[] => [...t].map(([k, f]) => `${k} ${flowBody(f)}`).sort();

/** The host's desired flows from a view built from the whole log: what the incremental projection must equal. */
export function fullRecompute(log: readonly TopologyEvent[], host: string): Table {
  const v = emptyView();
  for (const e of log) applyTopologyEvent(v, e);
  return desiredFlows(v, host);
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
    for (const h of hosts) {
      const full = fullRecompute(log, h);
      const want = normal(full);
      expect(normal(proj.desired(h))).toEqual(want);
      expect(normal(switches.get(h) ?? new Map())).toEqual(want);
      onStep?.(h, full);
    }
  }
  return proj;
}
