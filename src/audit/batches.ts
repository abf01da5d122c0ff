// Reads a log range in batches for a replay: the SQLite store's raw-row read path when it has one (on a reader thread for long ranges), else readAll.
import type { EventStore, RecordedEvent } from '../eventStore/types.ts';

/** What a replay reads of an event (a RecordedEvent from readAll is one too). */
export type ReplayEvent = Pick<RecordedEvent, 'position' | 'id' | 'type' | 'data' | 'metadata'>;

/** Events per batch: a batch is read and folded in a few milliseconds, so other work still gets turns. */
export const REPLAY_BATCH = 2_000;

/**
 * Ranges at least this long are read ahead on a worker thread (SqliteEventStore.readBatchesAhead).
 * Starting the worker and its connection took 64-266 ms on the loaded 2-core build machine (tens of
 * ms when quiet), and the thread saves the main one ~1-1.4 us per event: worth it for whole-log
 * syncs, not for a question between checkpoints (at most 10,000 events in memory, 50,000 from a
 * persisted state), which stays inline.
 */
export const READ_AHEAD_MIN_EVENTS = 100_000;

/** A store with a synchronous batch read beside the EventStore contract (SqliteEventStore.readBatch). */
interface BatchReader {
  readBatch(after: bigint, upTo: bigint, limit: number): ReplayEvent[];
  /** the same batches read by another thread; undefined where the store cannot do it */
  readBatchesAhead?(after: bigint, upTo: bigint, size: number): AsyncIterable<ReplayEvent[]> | undefined;
}

function batchReaderOf(store: EventStore): BatchReader | undefined {
  const candidate = store as Partial<BatchReader>;
  return typeof candidate.readBatch === 'function' ? (candidate as BatchReader) : undefined;
}

export interface ReadBatchesOptions {
  /** Smallest range read on a worker thread (READ_AHEAD_MIN_EVENTS); Infinity never, 0 always. */
  readAheadMin?: number;
  /** Positions read inline before the worker's part of the range (READ_AHEAD_LEAD). */
  readAheadLead?: bigint;
}

/**
 * Positions read inline at the start of a read-ahead range, while the reader thread starts (its first
 * batch came 64-266 ms after its start on the loaded build machine): the fold never waits for it.
 */
export const READ_AHEAD_LEAD = 20_000n;

/** The events in (from, to], in log order, as non-empty batches of at most `size`. */
export async function* readBatches(
  store: EventStore,
  from: bigint,
  to: bigint,
  size = REPLAY_BATCH,
  options: ReadBatchesOptions = {},
): AsyncIterable<ReplayEvent[]> {
  const reader = batchReaderOf(store);
  if (reader === undefined) {
    yield* readAllBatches(store, from, to, size);
    return;
  }
  const leadEnd = from + (options.readAheadLead ?? READ_AHEAD_LEAD);
  const lead = leadEnd < to ? leadEnd : to;
  const ahead = to - from >= (options.readAheadMin ?? READ_AHEAD_MIN_EVENTS) ? reader.readBatchesAhead?.(lead, to, size) : undefined;
  if (ahead === undefined) {
    yield* inlineBatches(reader, from, to, size);
    return;
  }
  // the reader thread starts now, on the range after the lead, and reads while the lead is read here
  const rest = ahead[Symbol.asyncIterator]();
  const first = rest.next();
  first.catch(() => undefined); // awaited below; not unhandled if the loop is left during the lead
  try {
    yield* inlineBatches(reader, from, lead, size);
    for (let next = await first; next.done !== true; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.(undefined); // stops the reader thread (after its pending batch, if any)
  }
}

function* inlineBatches(reader: BatchReader, from: bigint, to: bigint, size: number): Iterable<ReplayEvent[]> {
  let after = from;
  while (after < to) {
    const batch = reader.readBatch(after, to, size);
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1].position;
  }
}

async function* readAllBatches(store: EventStore, from: bigint, to: bigint, size: number): AsyncIterable<ReplayEvent[]> {
  let batch: RecordedEvent[] = [];
  for await (const event of store.readAll({ fromPosition: from, toPosition: to })) {
    batch.push(event);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
