// The events question: filter the log by resource, stream, type, actor, request id, time and position.
import type { RecordedEvent } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import { badRequest } from '../domain/errors.ts';
import type { AuditIndex } from './auditIndex.ts';
import { eventJson, type AuditEventJson } from './eventJson.ts';
import { resourceKeys } from './resources.ts';

export interface EventFilter {
  resourceId?: string;
  stream?: string;
  /** one type, or several separated by commas */
  type?: string;
  /** user id or project id */
  actor?: string;
  requestId?: string;
  /** ISO-8601 times, inclusive */
  since?: string;
  until?: string;
  /** exclusive lower bound, like readAll */
  fromPosition?: bigint;
  /** inclusive upper bound */
  toPosition?: bigint;
  limit?: number;
}

export const DEFAULT_EVENT_LIMIT = 1_000;
export const MAX_EVENT_LIMIT = 100_000;

function timeOf(text: string | undefined, param: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw badRequest(`${param} must be an ISO-8601 time, got '${text}'`);
  return ms;
}

/** A predicate for one event; throws 400 for unparsable times. */
export function eventMatcher(f: EventFilter): (e: RecordedEvent) => boolean {
  const types = f.type === undefined || f.type === '' ? undefined : new Set(f.type.split(','));
  const since = timeOf(f.since, 'since');
  const until = timeOf(f.until, 'until');
  return (e) => {
    if (f.fromPosition !== undefined && e.position <= f.fromPosition) return false;
    if (f.toPosition !== undefined && e.position > f.toPosition) return false;
    if (f.stream !== undefined && f.stream !== '' && e.stream !== f.stream) return false;
    if (types !== undefined && !types.has(e.type)) return false;
    const m = e.metadata;
    if (f.actor !== undefined && f.actor !== '' && m?.actor?.userId !== f.actor && m?.actor?.projectId !== f.actor) return false;
    if (f.requestId !== undefined && f.requestId !== '' && m?.requestId !== f.requestId && m?.correlationId !== f.requestId) return false;
    if (since !== undefined || until !== undefined) {
      const at = Date.parse(m?.at);
      if (Number.isNaN(at) || (since !== undefined && at < since) || (until !== undefined && at > until)) return false;
    }
    if (f.resourceId !== undefined && f.resourceId !== '' && !resourceKeys(e).includes(f.resourceId)) return false;
    return true;
  };
}

export interface EventPage {
  events: AuditEventJson[];
  /** set when the limit cut the answer: ask again with from_position=this */
  next_from_position?: number;
}

export function checkLimit(limit: number | undefined): number {
  const n = limit ?? DEFAULT_EVENT_LIMIT;
  if (!Number.isInteger(n) || n < 1 || n > MAX_EVENT_LIMIT) throw badRequest(`limit must be an integer from 1 to ${MAX_EVENT_LIMIT}`);
  return n;
}

/** Matching events in log order; a resource filter reads only that resource's events through the index. */
export async function queryEvents(index: AuditIndex, f: EventFilter): Promise<EventPage> {
  const limit = checkLimit(f.limit);
  const match = eventMatcher(f);
  const out: AuditEventJson[] = [];
  const source: AsyncIterable<RecordedEvent> | RecordedEvent[] = f.resourceId
    ? await index.eventsAt(index.positionsOf(f.resourceId, f.fromPosition ?? START, f.toPosition))
    : index.store.readAll({ fromPosition: f.fromPosition ?? START, toPosition: f.toPosition });
  for await (const e of source) {
    if (!match(e)) continue;
    if (out.length === limit) return { events: out, next_from_position: out[out.length - 1].position };
    out.push(eventJson(e));
  }
  return { events: out };
}
