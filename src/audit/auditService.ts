// Every audit question, answered from the log alone: events, state at a point, diff, history, flows at a point, explain, verify.
import type { SwitchTarget } from '../../openflow/transport/connect.ts';
import type { FlowStats } from '../../openflow/messages/types.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import type { EventStore } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import { badRequest, notFound, unavailable } from '../domain/errors.ts';
import { AuditIndex, type AuditIndexOptions } from './auditIndex.ts';
import { fieldChanges, diffStates, type FieldChange, type ResourceDiff } from './diff.ts';
import { eventRef, type EventRef } from './eventJson.ts';
import { queryEvents, type EventFilter, type EventPage } from './eventFilter.ts';
import { explainFlow, type ExplainInput, type Explanation } from './explain.ts';
import { flowLinesAt, type FlowLine } from './flowLines.ts';
import { parsePoint, resolvePoint } from './point.ts';
import { renderResource, renderState, type AuditState, type Collection } from './render.ts';
import type { ReplayState } from './replayState.ts';
import { dumpSwitchFlows } from './switchDump.ts';
import { compareFlows, type VerifyReport } from './verify.ts';

export interface AuditServiceOptions extends AuditIndexOptions {
  /** how to reach a host's switch for verify (dialled with our own OpenFlow connection) */
  switchTarget?: (host: string) => SwitchTarget | undefined;
  /** or a dump through a connection someone already holds (the controller's); tried first */
  dumpFlows?: (host: string) => Promise<FlowStats[]> | undefined;
}

/** Where an answer was taken: the last event at or before the point asked for. */
export interface At {
  position: number;
  /** time of that event; null before the first event */
  at: string | null;
}

export type StateAnswer = At & AuditState;
export type DiffAnswer = { from: At; to: At } & ResourceDiff & {
  /** who changed what: per resource id, the events in (from, to] */
  by: Record<string, EventRef[]>;
};
export interface HistoryEntry extends EventRef {
  changes: FieldChange[];
}
export interface HistoryAnswer {
  resource_id: string;
  collection: Collection | null;
  events: HistoryEntry[];
}
export type FlowsAnswer = At & { host: string; flows: FlowLine[] };
export type VerifyAnswer = VerifyReport & { position: number };

export class AuditService {
  readonly index: AuditIndex;

  constructor(store: EventStore, private readonly options: AuditServiceOptions = {}) {
    this.index = new AuditIndex(store, options);
  }

  /** Closes the checkpoint file, if any (the log belongs to the caller). */
  close(): void {
    this.index.close();
  }

  private async point(text: string | undefined, param = 'at'): Promise<bigint> {
    const p = parsePoint(text, param);
    await this.index.sync();
    return resolvePoint(this.index, p);
  }

  private async atOf(position: bigint): Promise<At> {
    if (position === START) return { position: Number(START), at: null };
    const [e] = await this.index.eventsAt([position]);
    return { position: Number(position), at: e?.metadata?.at ?? null };
  }

  async events(filter: EventFilter): Promise<EventPage> {
    await this.index.sync();
    return queryEvents(this.index, filter);
  }

  async stateAt(at?: string): Promise<ReplayState> {
    return this.index.stateAt(await this.point(at));
  }

  async state(at?: string): Promise<StateAnswer> {
    const s = await this.stateAt(at);
    return { ...(await this.atOf(s.position)), ...renderState(s.world) };
  }

  async diff(from: string | undefined, to: string | undefined): Promise<DiffAnswer> {
    if (from === undefined || from === '') throw badRequest('from is required (a log position or an ISO-8601 time)');
    const pf = await this.point(from, 'from');
    const pt = await this.point(to, 'to');
    if (pf > pt) throw badRequest('from must not be after to');
    const a = await this.index.stateAt(pf);
    const b = await this.index.stateAt(pt);
    const d = diffStates(renderState(a.world), renderState(b.world));
    const by: Record<string, EventRef[]> = {};
    for (const { id } of [...d.created, ...d.changed, ...d.deleted]) {
      by[id] = (await this.index.eventsAt(this.index.positionsOf(id, pf, pt))).map(eventRef);
    }
    return { from: await this.atOf(pf), to: await this.atOf(pt), ...d, by };
  }

  async history(resourceId: string): Promise<HistoryAnswer> {
    await this.index.sync();
    const positions = this.index.positionsOf(resourceId);
    if (positions.length === 0) throw notFound('ResourceNotFound', `No event in the log is about ${resourceId}.`);
    const events = await this.index.eventsAt(positions);
    const out: HistoryEntry[] = [];
    let state: ReplayState | undefined;
    let collection: Collection | null = null;
    for (const e of events) {
      state = await this.index.stateAt(e.position - 1n, state);
      const before = renderResource(state.world, resourceId);
      state = await this.index.stateAt(e.position, state);
      const after = renderResource(state.world, resourceId);
      collection = after?.collection ?? before?.collection ?? collection;
      out.push({ ...eventRef(e), changes: fieldChanges(before?.json, after?.json) });
    }
    return { resource_id: resourceId, collection, events: out };
  }

  private hostAt(s: ReplayState, host: string): void {
    if (!s.view.hosts.has(host)) throw notFound('HostNotFound', `Host ${host} is not registered at position ${s.position}.`);
  }

  async flows(host: string, at?: string): Promise<FlowsAnswer> {
    const s = await this.stateAt(at);
    this.hostAt(s, host);
    return { ...(await this.atOf(s.position)), host, flows: flowLinesAt(s.view, host) };
  }

  async explain(host: string, input: ExplainInput, at?: string): Promise<Explanation> {
    const s = await this.stateAt(at);
    this.hostAt(s, host);
    return explainFlow(this.index, s, host, input);
  }

  async verify(host: string, target?: SwitchTarget): Promise<VerifyAnswer> {
    const s = await this.stateAt();
    this.hostAt(s, host);
    const where = target ?? this.options.switchTarget?.(host);
    const held = where === undefined ? this.options.dumpFlows?.(host) : undefined;
    if (where === undefined && held === undefined) {
      throw unavailable('SwitchUnreachable', `No way to reach the switch of host ${host}: run \`esdn audit verify ${host} --switch TARGET\` on the hypervisor.`);
    }
    const installed = held !== undefined ? await held : await dumpSwitchFlows(where as SwitchTarget);
    return { ...compareFlows(host, s.view, desiredFlows(s.view, host), installed), position: Number(s.position) };
  }
}
