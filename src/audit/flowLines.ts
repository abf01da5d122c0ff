// A switch's desired flow table at a point, as ovs-ofctl lines with the stage and resources each came from.
import { formatFlowMod } from '../../openflow/text/format.ts';
import type { FlowSpec } from '../../openflow/messages/types.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { cookieIdBits, explainCookie, resourceIdBits, type CookieExplanation, type CookieResource } from '../../projections/pipeline/cookie.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { pipelineTable } from '../../projections/pipeline/tables.ts';
import type { TopologyView } from '../../projections/topology/view.ts';
import { switchKey } from '../controller/flowDiff.ts';

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

export type CookieExplainer = (cookie: bigint) => CookieExplanation;

/**
 * explainCookie scans every resource of the cookie's kind per call; a table of a thousand flows on a
 * view of thousands of ports made that quadratic (0.6 s). This groups every id-keyed map of the view
 * once by the ids' cookie bits (networks also by VNI) and hands explainCookie a view holding only
 * the candidates. Generic over the view's maps, so a new cookie kind (routers, ...) keeps working
 * and the decoding stays the projection's own.
 */
export function cookieExplainer(view: TopologyView): CookieExplainer {
  const fields = Object.entries(view).filter((e): e is [string, Map<unknown, unknown>] => e[1] instanceof Map);
  const byBits = new Map<bigint, Map<string, Map<unknown, unknown>>>();
  const put = (bits: bigint, field: string, k: unknown, v: unknown) => {
    let slot = byBits.get(bits);
    if (!slot) byBits.set(bits, (slot = new Map()));
    let m = slot.get(field);
    if (!m) slot.set(field, (m = new Map()));
    m.set(k, v);
  };
  for (const [field, map] of fields) {
    for (const [k, v] of map) {
      if (typeof k === 'string') put(resourceIdBits(k), field, k, v);
      const vni = (v as { vni?: unknown } | null)?.vni;
      if (field === 'networks' && typeof vni === 'number') put(BigInt(vni), field, k, v);
    }
  }
  const miniView = (bits: bigint): TopologyView => {
    const slot = byBits.get(bits);
    const out: Record<string, unknown> = { ...view };
    for (const [field] of fields) out[field] = slot?.get(field) ?? new Map();
    return out as unknown as TopologyView;
  };
  const cache = new Map<bigint, CookieExplanation>();
  return (cookie) => {
    let why = cache.get(cookie);
    if (why === undefined) {
      why = explainCookie(cookie, miniView(cookieIdBits(cookie)));
      cache.set(cookie, why);
    }
    return why;
  };
}

export function flowLine(f: FlowSpec, view: TopologyView, explain: CookieExplainer = (c) => explainCookie(c, view)): FlowLine {
  const why = explain(f.cookie);
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

/** The desired table keyed as the switch sees flows (flowDiff.ts switchKey). */
export function desiredBySwitchKey(view: TopologyView, host: string): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  for (const f of desiredFlows(view, host).values()) out.set(switchKey(f), f);
  return out;
}

/** The flows as lines, sorted (compareLines); the view's cookies are indexed once for all of them. */
export function flowLines(view: TopologyView, flows: Iterable<FlowSpec>): FlowLine[] {
  // explainCookie alone scans every port per flow (11 s at 1000 ports)
  const explain = cookieExplainer(view);
  return Array.from(flows, (f) => flowLine(f, view, explain)).sort(compareLines);
}

export function flowLinesAt(view: TopologyView, host: string): FlowLine[] {
  return flowLines(view, desiredFlows(view, host).values());
}
