// Input checks shared by every adapter, so bad input becomes an InvalidEventError, never a crash.
import { InvalidEventError, type ExpectedRevision, type NewEvent } from './types.ts';

/** Events serialised once, before any transaction, so a bad payload fails only its own append. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Largest revision or position any adapter can hold (SQLite INTEGER, KurrentDB int64). */
export const MAX_INT64 = 2n ** 63n - 1n;

/** `$` names are KurrentDB's system streams and types, which its readAll hides: refused everywhere. */
const SYSTEM_PREFIX = '$';

export function checkStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0) {
    throw new InvalidEventError('stream name must be a non-empty string');
  }
  if (stream.startsWith(SYSTEM_PREFIX)) throw new InvalidEventError(`stream ${stream}: names starting with $ are reserved`);
}

function checkCount(value: unknown, what: string): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new InvalidEventError(`${what} must be a non-negative integer`);
  }
}

function checkBigint(value: unknown, min: bigint, what: string): void {
  if (value !== undefined && !(typeof value === 'bigint' && value >= min && value <= MAX_INT64)) {
    throw new InvalidEventError(`${what} must be a bigint from ${min} to 2^63-1`);
  }
}

export function checkReadStreamOptions(options: { fromRevision?: unknown; maxCount?: unknown }): void {
  checkBigint(options.fromRevision, 0n, 'fromRevision');
  checkCount(options.maxCount, 'maxCount');
}

export function checkReadAllOptions(options: { fromPosition?: unknown; toPosition?: unknown; maxCount?: unknown }): void {
  checkBigint(options.fromPosition, -1n, 'fromPosition');
  checkBigint(options.toPosition, -1n, 'toPosition');
  checkCount(options.maxCount, 'maxCount');
}

export function checkExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return;
  if (typeof expected === 'bigint' && expected >= 0n && expected <= MAX_INT64) return;
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
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith(SYSTEM_PREFIX)) {
      throw new InvalidEventError(`event ${index} needs a type not starting with $`);
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

/** appendMany takes a non-empty array of parts; each part is then checked like an append. */
export function checkAppendMany(appends: unknown): void {
  if (!Array.isArray(appends) || appends.length === 0) {
    throw new InvalidEventError('appendMany needs a non-empty array of stream appends');
  }
  appends.forEach((part: unknown, index) => {
    if (part === null || typeof part !== 'object') throw new InvalidEventError(`append part ${index} is not an object`);
  });
}
