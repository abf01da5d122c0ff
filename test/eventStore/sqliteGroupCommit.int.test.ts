// Shows, by counting transactions (one WAL fsync each), that concurrent SQLite appends share commits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { WrongExpectedVersionError } from '../../src/eventStore/types.ts';
import { events, newEvent, uniqueStream } from './helpers.ts';

const CONCURRENT_CALLERS = 100;
/** SQLite's code for synchronous=FULL. */
const SYNCHRONOUS_FULL = 2;

const dir = mkdtempSync(join(tmpdir(), 'esdn-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite group commit', () => {
  let store: SqliteEventStore;
  let n = 0;
  beforeEach(() => {
    store = SqliteEventStore.open(join(dir, `g${n++}.db`));
  });
  afterEach(() => store.close());

  it('runs in WAL mode with synchronous=FULL', () => {
    expect(store.durability()).toEqual({ journalMode: 'wal', synchronous: SYNCHRONOUS_FULL });
  });

  it('commits 100 concurrent appends in one transaction, each caller with its own result', async () => {
    const before = { ...store.stats };
    const streams = Array.from({ length: CONCURRENT_CALLERS }, () => uniqueStream());
    const results = await Promise.all(streams.map((s) => store.append(s, events(1), 'no_stream')));
    expect(store.stats.transactions - before.transactions).toBe(1);
    expect(store.stats.appends - before.appends).toBe(CONCURRENT_CALLERS);
    expect(new Set(results.map((r) => r.position)).size).toBe(CONCURRENT_CALLERS);
    for (const [i, s] of streams.entries()) {
      expect((await store.readStream(s))[0].position).toBe(results[i].position);
    }
  });

  it('gives concurrent appends positions in the order append() was called', async () => {
    const results = await Promise.all(Array.from({ length: CONCURRENT_CALLERS }, () => store.append(uniqueStream(), events(2), 'any')));
    for (let i = 1; i < results.length; i++) expect(results[i].position).toBeGreaterThan(results[i - 1].position);
  });

  it('fails only the append with a wrong expected revision, not the rest of its batch', async () => {
    const existing = uniqueStream();
    await store.append(existing, events(2), 'no_stream');
    const before = store.stats.transactions;
    const good = Array.from({ length: 10 }, () => uniqueStream());
    const settled = await Promise.allSettled([
      ...good.slice(0, 5).map((s) => store.append(s, events(1), 'no_stream')),
      store.append(existing, [newEvent('Stale')], 0n),
      ...good.slice(5).map((s) => store.append(s, events(2), 'no_stream')),
    ]);
    expect(store.stats.transactions - before).toBe(1);
    expect(settled.map((s) => s.status)).toEqual([...Array(5).fill('fulfilled'), 'rejected', ...Array(5).fill('fulfilled')]);
    expect((settled[5] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.readStream(existing)).toHaveLength(2);
    for (const s of good) expect((await store.readStream(s)).length).toBeGreaterThan(0);
  });

  it('shares commits between 100 callers appending in a loop', async () => {
    const before = { ...store.stats };
    const perCaller = 20;
    await Promise.all(
      Array.from({ length: CONCURRENT_CALLERS }, async () => {
        const stream = uniqueStream();
        for (let i = 0; i < perCaller; i++) await store.append(stream, [newEvent('Tick', { i })], i === 0 ? 'no_stream' : BigInt(i - 1));
      }),
    );
    const appends = store.stats.appends - before.appends;
    const transactions = store.stats.transactions - before.transactions;
    expect(appends).toBe(CONCURRENT_CALLERS * perCaller);
    // every round of the 100 callers lands in the same turn of the event loop
    expect(transactions).toBeLessThanOrEqual(perCaller * 2);
    expect(store.stats.largestBatch).toBe(CONCURRENT_CALLERS);
  });

  it('commits one transaction per append when callers wait for each other', async () => {
    const before = store.stats.transactions;
    const stream = uniqueStream();
    for (let i = 0; i < 5; i++) await store.append(stream, [newEvent('Alone')], 'any');
    expect(store.stats.transactions - before).toBe(5);
  });
});
