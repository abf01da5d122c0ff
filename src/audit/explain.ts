// Why a flow is on a switch: from its cookie (or a dump-flows line) to the resources and events, with actors and times, that produced it.
import { parseFlow } from '../../openflow/text/parse.ts';
import type { FlowSpec } from '../../openflow/messages/types.ts';
import { explainCookie } from '../../projections/pipeline/cookie.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { START } from '../eventStore/types.ts';
import { badRequest } from '../domain/errors.ts';
import type { AuditIndex } from './auditIndex.ts';
import { eventRef, type EventRef } from './eventJson.ts';
import { compareLines, cookieExplainer, flowLine, type FlowLine } from './flowLines.ts';
import { switchKey } from '../controller/flowDiff.ts';
import { renderResource, type Json } from './render.ts';
import type { ReplayState } from './replayState.ts';
import { interfaceKey } from './resources.ts';

export interface ExplainedResource {
  kind: string;
  id: string;
  stream: string;
  /** the resource as the live API showed it at that point (null when it no longer existed) */
  resource: Json | null;
  /** every event about it up to that point, oldest first; for a port also the switch's report of its interface */
  events: EventRef[];
}

export interface Explanation {
  host: string;
  position: number;
  cookie: string;
  owner: 'esdn' | 'foreign';
  stage: string;
  /** the desired flows carrying this cookie at that point (for a flow line: the one with its table, priority and match) */
  flows: FlowLine[];
  /** for a flow line: whether it is exactly what esdn wants there (cookie and actions too) */
  matches_desired?: boolean;
  resources: ExplainedResource[];
}

export type ExplainInput = { cookie: string } | { flow: string };

function parseCookie(text: string): bigint {
  if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(text)) throw badRequest(`cookie must be a 64-bit number (0x... or decimal), got '${text}'`);
  return BigInt(text);
}

function parseLine(text: string): FlowSpec {
  const parsed = parseFlow(text.trim());
  if (!parsed.ok) throw badRequest(`flow is not an ovs-ofctl flow: ${parsed.error.message}`);
  return parsed.value;
}

async function eventsOf(index: AuditIndex, keys: string[], upTo: bigint): Promise<EventRef[]> {
  const positions = [...new Set(keys.flatMap((k) => index.positionsOf(k, START, upTo)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return (await index.eventsAt(positions)).map(eventRef);
}

export async function explainFlow(index: AuditIndex, state: ReplayState, host: string, input: ExplainInput): Promise<Explanation> {
  const { view, world } = state;
  let cookie: bigint;
  let flows: FlowLine[];
  let matches: boolean | undefined;
  if ('flow' in input) {
    const spec = parseLine(input.flow);
    const key = switchKey(spec);
    const desired = [...desiredFlows(view, host).values()].find((f) => switchKey(f) === key);
    cookie = spec.cookie !== 0n || desired === undefined ? spec.cookie : desired.cookie;
    flows = desired === undefined ? [] : [flowLine(desired, view)];
    matches = desired !== undefined && flowLine(desired, view).flow === flowLine({ ...spec, match: desired.match }, view).flow;
  } else {
    cookie = parseCookie(input.cookie);
    const explain = cookieExplainer(view);
    flows = [...desiredFlows(view, host).values()].filter((f) => f.cookie === cookie).map((f) => flowLine(f, view, explain)).sort(compareLines);
  }
  const why = explainCookie(cookie, view);
  const resources: ExplainedResource[] = [];
  if (why.owner === 'esdn') {
    for (const r of why.resources) {
      const keys = [r.id];
      const port = r.kind === 'port' ? view.ports.get(r.id) : undefined;
      if (port !== undefined && port.hostId !== '') keys.push(interfaceKey(port.hostId, port.iface));
      resources.push({ ...r, resource: renderResource(world, r.id)?.json ?? null, events: await eventsOf(index, keys, state.position) });
    }
  }
  return {
    host, position: Number(state.position), cookie: `0x${cookie.toString(16)}`, owner: why.owner,
    stage: why.owner === 'esdn' ? why.stage : 'foreign', flows, ...(matches === undefined ? {} : { matches_desired: matches }), resources,
  };
}
