// Full recompute: the desired flow table of one switch, from the topology view alone.
import type { DesiredFlow } from '../pipeline/flow.ts';
import type { TopologyView } from '../topology/view.ts';
import { unitFlows, unitsOfHost } from './units.ts';

/** The flows esdn wants on a host's br-int, keyed by (table, priority, match): see flowKey(). */
export function desiredFlows(view: TopologyView, host: string): Map<string, DesiredFlow> {
  const table = new Map<string, DesiredFlow>();
  // units in ascending order, first wins: the smallest unit key owns a contested key
  for (const unit of unitsOfHost(view, host)) {
    for (const [k, f] of unitFlows(view, unit, host)) if (!table.has(k)) table.set(k, f);
  }
  return table;
}
