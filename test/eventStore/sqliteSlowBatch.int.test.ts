// A slow batch of appends names where its time went: a write lock held by another connection, or a main thread that did not run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { SlowBatch } from '../../src/eventStore/sqlite/slowBatch.ts';
import { BUSY_TIMEOUT_MS } from '../../src/eventStore/sqlite/schema.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { StoreUnavailableError } from '../../src/eventStore/types.ts';
import { events, uniqueStream } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-slow-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Far above a normal batch (1-20 ms, an fsync on a loaded machine) and far below the busy timeout (5 s):
 * the phase that waited it out dominates by a wide margin whatever the load.
 */
const HOLD_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose slow-batch reports land in `reports`, its writer thread already up (a first batch would count its start). */
async function openWatched(name: string): Promise<{ store: SqliteEventStore; reports: SlowBatch[]; path: string }> {
  const path = join(dir, name);
  const reports: SlowBatch[] = [];
  const store = SqliteEventStore.open(path, { onSlowBatch: (report) => reports.push(report) });
  await store.append(uniqueStream('warm-up'), events(1), 'no_stream');
  reports.length = 0;
  return { store, reports, path };
}

describe('sqlite writer: slow batches', () => {
  it('names the wait for the write lock when another connection holds it (BEGIN IMMEDIATE)', async () => {
    const { store, reports, path } = await openWatched('lock.db');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const stream = uniqueStream();
    const appended = store.append(stream, events(3), 'no_stream');
    await sleep(HOLD_MS);
    other.exec('COMMIT');
    other.close();
    expect((await appended).nextExpectedRevision).toBe(2n);
    expect(await store.readStream(stream)).toHaveLength(3);

    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report).toMatchObject({ appends: 1, events: 3, slowest: 'begin' });
    const phases = report.phases!;
    // the lock wait is most of the batch: more than the inserts, the fsync and the trip to the writer together
    expect(phases.beginMs).toBeGreaterThan(report.totalMs / 2);
    expect(report.writerMs).toBeCloseTo(phases.beginMs + phases.insertMs + phases.commitMs, 6);
    await store.close();
  });

  it('reports a batch that gave up on the lock after the busy timeout, as a long begin', async () => {
    const { store, reports, path } = await openWatched('timeout.db');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const failed: unknown = await store.append(uniqueStream(), events(1), 'no_stream').catch((error: unknown) => error);
    other.exec('ROLLBACK');
    other.close();
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect((failed as Error).message).toMatch(/database is locked/);
    expect(reports).toHaveLength(1);
    expect(reports[0].slowest).toBe('begin');
    // SQLite's busy handler gave up at its timeout, not before: the report shows the whole wait
    expect(reports[0].phases!.beginMs).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS * 0.9);
    await store.close();
  });

  it('names time outside the writer when the main thread did not run while the batch was written', async () => {
    const { store, reports } = await openWatched('pause.db');
    const appended = store.append(uniqueStream(), events(1), 'no_stream');
    // the batch is posted on the next check phase; then the main thread stops, as in a long GC pause
    await new Promise((resolve) => setImmediate(resolve));
    const until = performance.now() + HOLD_MS;
    while (performance.now() < until) {
      // busy: no event loop turn, so the writer's result waits
    }
    await appended;

    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report.slowest).toBe('outside');
    expect(report.outsideMs).toBeGreaterThan(report.totalMs / 2);
    await store.close();
  });
});
