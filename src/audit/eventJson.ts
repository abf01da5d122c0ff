// A recorded event as the audit API and CLI show it (snake_case like the rest of the API; positions as JSON numbers).
import type { RecordedEvent } from '../eventStore/types.ts';

export interface AuditEventJson {
  position: number;
  stream: string;
  revision: number;
  type: string;
  id: string;
  at: string;
  actor: { user_id: string; project_id: string };
  request_id: string;
  correlation_id: string;
  data: unknown;
}

/** Short form for the places that cite events (history, diff, explain): who, when, which request. */
export type EventRef = Omit<AuditEventJson, 'data' | 'revision' | 'id'>;

export function eventJson(e: RecordedEvent): AuditEventJson {
  const m = e.metadata;
  return {
    position: Number(e.position),
    stream: e.stream,
    revision: Number(e.revision),
    type: e.type,
    id: e.id,
    at: m?.at ?? '',
    actor: { user_id: m?.actor?.userId ?? '', project_id: m?.actor?.projectId ?? '' },
    request_id: m?.requestId ?? '',
    correlation_id: m?.correlationId ?? '',
    data: e.data,
  };
}

export function eventRef(e: RecordedEvent): EventRef {
  const { data: _d, revision: _r, id: _i, ...ref } = eventJson(e);
  return ref;
}
