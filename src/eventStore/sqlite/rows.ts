// Turns stored rows (and freshly written events) back into RecordedEvents.
import { StoreUnavailableError, type EventMetadata, type RecordedEvent } from '../types.ts';
import type { WrittenEvent } from './commitBatch.ts';
import type { EventRow } from './schema.ts';

function parse(text: string, position: bigint): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // the message is built only on failure: a bigint-to-string per row cost ~5% of a full read
    throw new StoreUnavailableError(`corrupt event at position ${position}: stored JSON does not parse`, error);
  }
}

export function decodeRow(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: parse(row.data, row.position),
    metadata: parse(row.metadata, row.position) as EventMetadata,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
  };
}

/** What a replay reads of an event: not its stream or revision (two columns fewer to read per row). */
export type ReplayEvent = Pick<RecordedEvent, 'position' | 'id' | 'type' | 'data' | 'metadata'>;

/** A row as the raw replay statement returns it (schema.ts readReplayPage). */
export type RawReplayRow = [position: bigint, id: string, type: string, data: string, metadata: string];

/**
 * Decodes a page of raw rows for a replay. Events appended together carry the same metadata text,
 * so it is parsed once per run of equal texts and the parsed object is shared (read-only) by them.
 */
export function decodeReplayRows(rows: readonly RawReplayRow[]): ReplayEvent[] {
  const out = new Array<ReplayEvent>(rows.length);
  let lastText = '';
  let lastMeta: EventMetadata | undefined;
  for (let i = 0; i < rows.length; i++) {
    const [position, id, type, data, metadata] = rows[i];
    if (metadata !== lastText || lastMeta === undefined) {
      lastMeta = parse(metadata, position) as EventMetadata;
      lastText = metadata;
    }
    out[i] = { position, id, type, data: parse(data, position), metadata: lastMeta };
  }
  return out;
}

/**
 * The events of a commit for live subscribers, parsed from the stored text so they see exactly what a
 * later read returns. As in a replay, one metadata object is shared (read-only) by a run of events with
 * equal metadata text: a command's events carry the same metadata, 250 of them in a bulk POST of ports.
 */
export function decodeWritten(written: readonly WrittenEvent[]): RecordedEvent[] {
  const out = new Array<RecordedEvent>(written.length);
  let lastText = '';
  let lastMeta: EventMetadata | undefined;
  for (let i = 0; i < written.length; i++) {
    const { event, stream, revision, position } = written[i];
    if (event.metadata !== lastText || lastMeta === undefined) {
      lastMeta = parse(event.metadata, position) as EventMetadata;
      lastText = event.metadata;
    }
    out[i] = { id: event.id, type: event.type, data: parse(event.data, position), metadata: lastMeta, stream, revision, position };
  }
  return out;
}
