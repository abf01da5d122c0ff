// A switch's desired flow table at a point, as ovs-ofctl lines with the stage and resources each came from.
import { formatFlowMod } from '../../openflow/text/format.ts';
import { matchKey } from '../../openflow/oxm/normalize.ts';
import type { FlowSpec } from '../../openflow/messages/types.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { explainCookie, resourceIdBits, type CookieExplanation, type CookieResource } from '../../projections/pipeline/cookie.ts';
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

/** The cookie's resource id field (projections/pipeline/cookie.ts: the low 40 bits). */
const COOKIE_ID_MASK = (1n << 40n) - 1n;

export type CookieExplainer = (cookie: bigint) => CookieExplanation;

/**
 * explainCookie scans every port of the view per call; a table of a thousand flows on a view of
 * thousands of ports made that quadratic (0.6 s). This indexes the view once by id bits and hands
 * explainCookie a view holding only the candidates, so the decoding stays the projection's own.
 */
export function cookieExplainer(view: TopologyView): CookieExplainer {
  const byBits = new Map<bigint, { ports: Map<string, unknown>; networks: Map<string, TopologyView['networks'] extends Map<string, infer N> ? N : never>; hosts: Map<string, unknown> }>();
  const slot = (bits: bigint) => {
    let s = byBits.get(bits);
    if (!s) byBits.set(bits, (s = { ports: new Map(), networks: new Map(), hosts: new Map() }));
    return s;
  };
  for (const [id, p] of view.ports) slot(resourceIdBits(id)).ports.set(id, p);
  for (const [id, n] of view.networks) if (n.vni !== null) slot(BigInt(n.vni)).networks.set(id, n);
  for (const [id, h] of view.hosts) slot(resourceIdBits(id)).hosts.set(id, h);
  const none = { ports: new Map(), networks: new Map(), hosts: new Map() };
  const cache = new Map<bigint, CookieExplanation>();
  return (cookie) => {
    let why = cache.get(cookie);
    if (why === undefined) {
      why = explainCookie(cookie, (byBits.get(cookie & COOKIE_ID_MASK) ?? none) as unknown as TopologyView);
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

/** The desired table keyed as the switch sees flows (see switchFlowKey). */
export function desiredBySwitchKey(view: TopologyView, host: string): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  for (const f of desiredFlows(view, host).values()) out.set(switchFlowKey(f), f);
  return out;
}

export function flowLinesAt(view: TopologyView, host: string): FlowLine[] {
  const explain = cookieExplainer(view);
  return [...desiredFlows(view, host).values()].map((f) => flowLine(f, view, explain)).sort(compareLines);
}
