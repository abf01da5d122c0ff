// Wraps any EventStore so appends, their latency and store failures show up in the metrics.
import type { EventStore, RecordedEvent, Subscription } from '../eventStore/types.ts';
import { WrongExpectedVersionError } from '../eventStore/types.ts';
import { streamCategory, type Metrics } from './metrics.ts';

const NS_PER_SECOND = 1e9;

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}

export function instrumentEventStore(store: EventStore, metrics: Metrics): EventStore {
  const failed = (operation: string, error: unknown): never => {
    metrics.storeErrors.inc({ operation, error: errorName(error) });
    throw error;
  };
  async function* countingReads(iterable: AsyncIterable<RecordedEvent>, operation: string): AsyncGenerator<RecordedEvent> {
    try {
      yield* iterable;
    } catch (error) {
      failed(operation, error);
    }
  }
  /** Times one append (single or atomic multi-stream) and counts its events by stream category. */
  async function timedAppend<T>(write: () => Promise<T>, parts: { stream: string; count: number }[]): Promise<T> {
    const started = process.hrtime.bigint();
    try {
      const result = await write();
      metrics.appendDuration.observe({ outcome: 'ok' }, Number(process.hrtime.bigint() - started) / NS_PER_SECOND);
      for (const part of parts) metrics.eventsAppended.inc({ category: streamCategory(part.stream) }, part.count);
      return result;
    } catch (error) {
      // A concurrency conflict is an expected answer, not a store failure.
      const outcome = error instanceof WrongExpectedVersionError ? 'conflict' : 'error';
      metrics.appendDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / NS_PER_SECOND);
      if (outcome === 'conflict') throw error;
      return failed('append', error);
    }
  }
  return {
    append: (stream, events, expectedRevision) =>
      timedAppend(() => store.append(stream, events, expectedRevision), [{ stream, count: events.length }]),
    appendMany: (appends) =>
      timedAppend(() => store.appendMany(appends), appends.map((a) => ({ stream: a.stream, count: a.events.length }))),
    readStream: (stream, options) => store.readStream(stream, options).catch((error: unknown) => failed('readStream', error)),
    readAll: (options) => countingReads(store.readAll(options), 'readAll'),
    subscribe(fromPosition): Subscription {
      const inner = store.subscribe(fromPosition);
      const iterator = countingReads(inner, 'subscribe');
      return { [Symbol.asyncIterator]: () => iterator, close: () => inner.close() };
    },
    headPosition: () => store.headPosition().catch((error: unknown) => failed('headPosition', error)),
    close: () => store.close().catch((error: unknown) => failed('close', error)),
  };
}
