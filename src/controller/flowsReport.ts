// A host's desired flows as ovs-ofctl text, each with the pipeline stage and the resource(s) it came from (API and `esdn flows`).
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { TopologyView } from '../../projections/topology/view.ts';
import { flowLines, type FlowLine } from '../audit/flowLines.ts';

/** One line of the report: the same rendering, with provenance, as the audit's flow tables. */
export type FlowReportLine = FlowLine;

/** The report, sorted by table, then priority (highest first), then text. */
export function flowsReport(view: TopologyView, flows: Iterable<DesiredFlow>): FlowReportLine[] {
  return flowLines(view, flows);
}

/** Plain text: one flow per line, followed by `# stage <- kind id` provenance. */
export function formatFlowsReport(lines: readonly FlowReportLine[]): string {
  return lines.map((l) => {
    const from = l.resources.map((r) => `${r.kind} ${r.id}`).join(', ') || 'pipeline';
    return `${l.flow}  # ${l.stage} <- ${from}`;
  }).join('\n');
}
