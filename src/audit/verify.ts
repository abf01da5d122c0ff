// Drift between a live switch's flows and the desired table at the head: missing, extra and different flows.
import type { FlowSpec, FlowStats } from '../../openflow/messages/types.ts';
import { formatFlowMod } from '../../openflow/text/format.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { TopologyView } from '../../projections/topology/view.ts';
import { compareLines, cookieExplainer, flowLine, type FlowLine } from './flowLines.ts';
import { switchKey } from '../controller/flowDiff.ts';

export interface VerifyReport {
  host: string;
  in_sync: boolean;
  /** desired flows the switch holds as they are */
  matching: number;
  /** desired, absent from the switch */
  missing: FlowLine[];
  /** on the switch, not desired (someone else's flows included: esdn owns the whole br-int pipeline) */
  extra: FlowLine[];
  /** same table, priority and match, other cookie or actions */
  different: { desired: FlowLine; installed: FlowLine }[];
}

/** The part of a flow that is not its identity: cookie and actions, in ovs-ofctl text (representation-independent). */
function body(f: FlowSpec): string {
  const text = formatFlowMod(f);
  return `${f.cookie}|${f.idleTimeout}|${f.hardTimeout}|${text.slice(text.indexOf('actions='))}`;
}

function asSpec(s: FlowStats): FlowSpec {
  return { cookie: s.cookie, tableId: s.tableId, priority: s.priority, idleTimeout: s.idleTimeout, hardTimeout: s.hardTimeout, match: s.match, instructions: s.instructions };
}

export function compareFlows(host: string, view: TopologyView, desired: ReadonlyMap<string, DesiredFlow>, installed: readonly FlowStats[]): VerifyReport {
  const want = new Map<string, DesiredFlow>();
  for (const f of desired.values()) want.set(switchKey(f), f);
  const explain = cookieExplainer(view);
  const line = (f: FlowSpec) => flowLine(f, view, explain);
  const report: VerifyReport = { host, in_sync: true, matching: 0, missing: [], extra: [], different: [] };
  for (const stats of installed) {
    const have = asSpec(stats);
    const k = switchKey(have);
    const d = want.get(k);
    if (d === undefined) report.extra.push(line(have));
    else if (body(d) === body(have)) report.matching++;
    else report.different.push({ desired: line(d), installed: line(have) });
    want.delete(k);
  }
  for (const d of want.values()) report.missing.push(line(d));
  report.missing.sort(compareLines);
  report.extra.sort(compareLines);
  report.different.sort((a, b) => compareLines(a.desired, b.desired));
  report.in_sync = report.missing.length === 0 && report.extra.length === 0 && report.different.length === 0;
  return report;
}
