// A host's desired flows as ovs-ofctl text, each with the pipeline stage and the resource(s) it came from (API and `esdn flows`).
import { formatFlowMod } from '../../openflow/text/format.ts';
import type { CookieResource } from '../../projections/pipeline/cookie.ts';
import { cookieExplainer } from '../audit/flowLines.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { pipelineTable } from '../../projections/pipeline/tables.ts';
import type { TopologyView } from '../../projections/topology/view.ts';
import { addFlow } from './flowDiff.ts';

export interface FlowReportLine {
  /** ovs-ofctl add-flow syntax (what `ovs-ofctl -O OpenFlow13 dump-flows` shows, minus counters) */
  flow: string;
  table: number;
  table_name: string;
  priority: number;
  cookie: string;
  stage: string;
  resources: CookieResource[];
}

/** The report, sorted by table, then priority (highest first), then text. */
export function flowsReport(view: TopologyView, flows: Iterable<DesiredFlow>): FlowReportLine[] {
  const lines: FlowReportLine[] = [];
  // indexed once per report: explainCookie alone scans every port per flow (11 s at 1000 ports)
  const explain = cookieExplainer(view);
  for (const f of flows) {
    const why = explain(f.cookie);
    lines.push({
      flow: formatFlowMod({ ...addFlow(f), xid: 0 }),
      table: f.tableId,
      table_name: pipelineTable(f.tableId)?.name ?? '',
      priority: f.priority,
      cookie: `0x${f.cookie.toString(16)}`,
      stage: why.owner === 'esdn' ? why.stage : 'foreign',
      resources: why.owner === 'esdn' ? why.resources : [],
    });
  }
  return lines.sort((a, b) => a.table - b.table || b.priority - a.priority || (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0));
}

/** Plain text: one flow per line, followed by `# stage <- kind id` provenance. */
export function formatFlowsReport(lines: readonly FlowReportLine[]): string {
  return lines.map((l) => {
    const from = l.resources.map((r) => `${r.kind} ${r.id}`).join(', ') || 'pipeline';
    return `${l.flow}  # ${l.stage} <- ${from}`;
  }).join('\n');
}
