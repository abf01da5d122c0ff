// Input checks shared by every adapter, so bad input becomes an InvalidEventError, never a crash.
import { InvalidEventError, type ExpectedRevision, type NewEvent } from './types.ts';

/** Events serialised once, before any transaction, so a bad payload fails only its own append. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export function checkStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new InvalidEventError('stream name must be a non-empty string');
  }
}

export function checkExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return;
  if (typeof expected === 'bigint' && expected >= 0n) return;
  throw new InvalidEventError(`expected revision must be 'no_stream', 'stream_exists', 'any' or a bigint >= 0`);
}

function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidEventError(`${what} is not serialisable as JSON`, error);
  }
  if (text === undefined) throw new InvalidEventError(`${what} is not serialisable as JSON`);
  return text;
}

/** Checks an append's arguments and serialises its events. */
export function prepareAppend(stream: unknown, events: unknown, expected: unknown): SerializedEvent[] {
  checkStreamName(stream);
  checkExpectedRevision(expected);
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidEventError('append needs a non-empty array of events');
  }
  return events.map((event: NewEvent, index) => {
    if (event === null || typeof event !== 'object') throw new InvalidEventError(`event ${index} is not an object`);
    if (typeof event.id !== 'string' || event.id.length === 0) throw new InvalidEventError(`event ${index} has no id`);
    if (typeof event.type !== 'string' || event.type.length === 0) {
      throw new InvalidEventError(`event ${index} has no type`);
    }
    if (event.metadata === null || typeof event.metadata !== 'object') {
      throw new InvalidEventError(`event ${index} has no metadata object`);
    }
    return {
      id: event.id,
      type: event.type,
      data: toJson(event.data, `event ${index} data`),
      metadata: toJson(event.metadata, `event ${index} metadata`),
    };
  });
}
