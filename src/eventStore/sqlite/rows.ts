// Turns stored rows (and freshly written events) back into RecordedEvents.
import { StoreUnavailableError, type EventMetadata, type RecordedEvent } from '../types.ts';
import type { WrittenEvent } from './commitBatch.ts';
import type { EventRow } from './schema.ts';

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreUnavailableError(`corrupt event at ${where}: stored JSON does not parse`, error);
  }
}

export function decodeRow(row: EventRow): RecordedEvent {
  const where = `position ${row.position}`;
  return {
    id: row.id,
    type: row.type,
    data: parse(row.data, where),
    metadata: parse(row.metadata, where) as EventMetadata,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
  };
}

/** Parsed from the stored text, so live subscribers see exactly what a later read returns. */
export function decodeWritten(written: WrittenEvent): RecordedEvent {
  const { event } = written;
  return decodeRow({ ...event, stream: written.stream, revision: written.revision, position: written.position });
}
