// Converts between the event log's types and the KurrentDB client's (positions, revisions, events).
import {
  ANY,
  NO_STREAM,
  START as KURRENT_START,
  STREAM_EXISTS,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type EventData,
  type JSONType,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import { InvalidEventError, START, type EventMetadata, type ExpectedRevision, type NewEvent, type RecordedEvent } from '../types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

/**
 * Our positions are KurrentDB commit positions. Reading from {commit: p, prepare: p} starts at the
 * event recorded there; callers drop positions <= p to make the start exclusive.
 */
export function toReadPosition(position: bigint): ReadPosition {
  return position <= START ? KURRENT_START : { commit: position, prepare: position };
}

/** KurrentDB wants UUID event ids; anything else is refused here rather than by the server. */
function jsonEventWith(event: NewEvent, metadata: JSONType): EventData {
  if (!UUID.test(event.id)) throw new InvalidEventError(`event id ${event.id} is not a UUID (KurrentDB requires one)`);
  return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
}

export function toEventData(event: NewEvent): EventData {
  return jsonEventWith(event, event.metadata as unknown as JSONType);
}

/**
 * appendRecords takes metadata only as a flat map of strings, so our metadata travels as one JSON
 * string under this key and is unpacked again on read.
 */
export const RECORD_METADATA_KEY = 'esdn-metadata';

export function toRecordData(event: NewEvent): EventData {
  return jsonEventWith(event, { [RECORD_METADATA_KEY]: JSON.stringify(event.metadata) } as JSONType);
}

/** Metadata as appendToStream wrote it (our object) or as appendRecords did (one JSON string). */
export function fromStoredMetadata(stored: unknown): EventMetadata {
  const packed = (stored as Record<string, unknown> | undefined)?.[RECORD_METADATA_KEY];
  return typeof packed === 'string' ? (JSON.parse(packed) as EventMetadata) : (stored as EventMetadata);
}

/** System events ($-prefixed types or streams) are KurrentDB's own, never ours. */
export function isSystemEvent(resolved: AllStreamResolvedEvent | ResolvedEvent): boolean {
  const event = resolved.event;
  return event === undefined || event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** A recorded event; stream reads may lack the commit position (the server's index has none), then -1. */
export function fromResolved(resolved: AllStreamResolvedEvent | ResolvedEvent): RecordedEvent {
  const event = resolved.event!;
  return {
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: fromStoredMetadata(event.metadata),
    stream: event.streamId,
    revision: event.revision,
    position: event.position?.commit ?? resolved.commitPosition ?? START,
  };
}
