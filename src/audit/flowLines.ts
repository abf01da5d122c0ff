// A switch's desired flow table at a point, as ovs-ofctl lines with the stage and resources each came from.
import { formatFlowMod } from '../../openflow/text/format.ts';
import { matchKey } from '../../openflow/oxm/normalize.ts';
import type { FlowSpec } from '../../openflow/messages/types.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { explainCookie, type CookieResource } from '../../projections/pipeline/cookie.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { pipelineTable } from '../../projections/pipeline/tables.ts';
import type { TopologyView } from '../../projections/topology/view.ts';

export interface FlowLine {
  /** ovs-ofctl syntax, as `ovs-ofctl -O OpenFlow13 dump-flows` prints it minus counters */
  flow: string;
  table: number;
  table_name: string;
  priority: number;
  cookie: string;
  stage: string;
  resources: CookieResource[];
}

/** The identity of a flow as the switch sees it: table, priority and the match's normalized wire bytes. */
export function switchFlowKey(f: Pick<FlowSpec, 'tableId' | 'priority' | 'match'>): string {
  return `${f.tableId}/${f.priority}/${matchKey(f.match)}`;
}

export function flowLine(f: FlowSpec, view: TopologyView): FlowLine {
  const why = explainCookie(f.cookie, view);
  return {
    flow: formatFlowMod(f),
    table: f.tableId,
    table_name: pipelineTable(f.tableId)?.name ?? '',
    priority: f.priority,
    cookie: `0x${f.cookie.toString(16)}`,
    stage: why.owner === 'esdn' ? why.stage : 'foreign',
    resources: why.owner === 'esdn' ? why.resources : [],
  };
}

/** Table ascending, priority descending, then text: the order ovs-ofctl --sort=... users expect to read. */
export function compareLines(a: FlowLine, b: FlowLine): number {
  return a.table - b.table || b.priority - a.priority || (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0);
}

/** The desired table keyed as the switch sees flows (see switchFlowKey). */
export function desiredBySwitchKey(view: TopologyView, host: string): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  for (const f of desiredFlows(view, host).values()) out.set(switchFlowKey(f), f);
  return out;
}

export function flowLinesAt(view: TopologyView, host: string): FlowLine[] {
  return [...desiredFlows(view, host).values()].map((f) => flowLine(f, view)).sort(compareLines);
}
