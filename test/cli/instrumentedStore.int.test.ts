// The metrics wrapper around the event log: transparent (the whole adapter contract passes through it) and counting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { WrongExpectedVersionError } from '../../src/eventStore/types.ts';
import { instrumentEventStore } from '../../src/observability/instrumentedStore.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { runEventStoreContract } from '../eventStore/contract.ts';
import { events, uniqueStream } from '../eventStore/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-instrumented-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openReal = () => SqliteEventStore.open(join(dir, `store-${files++}`, 'events.db'));

runEventStoreContract('sqlite behind the metrics wrapper', async () => instrumentEventStore(openReal(), createMetrics({ defaultMetrics: false })));

async function value(metric: { get(): Promise<{ values: { labels: object; value: number }[] }> }, labels: Record<string, string>) {
  const { values } = await metric.get();
  const sample = values.find((v) => Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want));
  return sample?.value ?? 0;
}

async function histogramCount(metrics: Metrics, outcome: string): Promise<number> {
  const { values } = await metrics.appendDuration.get();
  return values.find((v) => v.metricName?.endsWith('_count') && v.labels.outcome === outcome)?.value ?? 0;
}

describe('instrumentEventStore', () => {
  test('counts appended events by stream category and times each append', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentEventStore(openReal(), metrics);
    try {
      await store.append(uniqueStream('port'), events(3), 'no_stream');
      await store.append(uniqueStream('port'), events(1), 'no_stream');
      await store.append(uniqueStream('network'), events(2), 'no_stream');
      expect(await value(metrics.eventsAppended, { category: 'port' })).toBe(4);
      expect(await value(metrics.eventsAppended, { category: 'network' })).toBe(2);
      expect(await histogramCount(metrics, 'ok')).toBe(3);
    } finally {
      await store.close();
    }
  });

  test('a concurrency conflict is timed as a conflict, not counted as a store error', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentEventStore(openReal(), metrics);
    try {
      const stream = uniqueStream('port');
      await store.append(stream, events(1), 'no_stream');
      await expect(store.append(stream, events(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await histogramCount(metrics, 'conflict')).toBe(1);
      expect((await metrics.storeErrors.get()).values).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('a failing store is counted by operation and error class, and the error reaches the caller', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = instrumentEventStore(openReal(), metrics);
    await store.close();
    const failure = await store.append(uniqueStream('port'), events(1), 'any').then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    const name = (failure as Error).name;
    expect(await value(metrics.storeErrors, { operation: 'append', error: name })).toBe(1);
    expect(await value(metrics.eventsAppended, { category: 'port' })).toBe(0);
  });
});
