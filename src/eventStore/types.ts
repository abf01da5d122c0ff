// The event log contract every adapter (SQLite, KurrentDB) implements, with KurrentDB semantics.

/** Who asked for a change; injected at the API edge so deciders stay pure. */
export interface Actor {
  userId: string;
  projectId: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: Actor;
  requestId: string;
  /** ISO-8601 time the intent was accepted. */
  at: string;
}

/** An event as handed to append(). */
export interface NewEvent<TData = unknown> {
  id: string;
  type: string;
  data: TData;
  metadata: EventMetadata;
}

/** An event as read back from the log. */
export interface RecordedEvent<TData = unknown> extends NewEvent<TData> {
  stream: string;
  /** 0-based revision of the event inside its stream. */
  revision: bigint;
  /** Position in the one global order; strictly increasing, gaps allowed. */
  position: bigint;
}

/**
 * Expected state of a stream at append time:
 * 'no_stream' (must not exist), 'stream_exists', 'any', or the exact revision of its last event.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event written. */
  nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  position: bigint;
}

/** The position before the first event; readAll/subscribe from here see everything. */
export const START: bigint = -1n;

export interface ReadAllOptions {
  /** Exclusive: return events with position > fromPosition. Default START. */
  fromPosition?: bigint;
  /** Inclusive upper bound. */
  toPosition?: bigint;
  maxCount?: number;
}

export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; pending next() calls resolve with done. */
  close(): Promise<void>;
}

/** One part of an appendMany: events for one stream, checked against its expected revision. */
export interface StreamAppend {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends several parts as one atomic unit, in the order given: all are written, one after the
   * other in the global order, or none is. A stream may appear in more than one part; each part's
   * expected revision is checked after the parts before it. One result per part.
   */
  appendMany(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; an absent stream yields an empty list. */
  readStream(stream: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
  /** Events of every stream in global order, as an async iterable so huge logs stream. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catch-up subscription: everything after fromPosition, then live, no gap, no duplicate. */
  subscribe(fromPosition?: bigint): Subscription;
  /** Position of the newest event, or START for an empty log. */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

/** Thrown by append when the stream is not at the expected revision. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** The store cannot be reached or failed; nothing was (knowingly) written. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** append() was handed something that cannot be stored (bad stream name, unserialisable data). */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}
