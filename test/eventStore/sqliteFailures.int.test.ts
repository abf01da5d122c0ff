// A full disk (SQLite max_page_count), an unopenable path and a closed store give typed errors, never a crash.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { StoreUnavailableError } from '../../src/eventStore/types.ts';
import { collect, events, newEvent, toArray, uniqueStream } from './helpers.ts';

/** A database capped at this many pages (4 KiB each) fills up after a few hundred KiB. */
const TINY_DATABASE_PAGES = 64;
const HUGE_PAYLOAD_BYTES = 1_000_000;

const dir = mkdtempSync(join(tmpdir(), 'esdn-store-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite failures', () => {
  it('rejects an append that does not fit on the disk with StoreUnavailableError, and keeps working', async () => {
    const store = SqliteEventStore.open(join(dir, 'full.db'), { extraPragmas: [`max_page_count = ${TINY_DATABASE_PAGES}`] });
    const huge = newEvent('Huge', { blob: 'x'.repeat(HUGE_PAYLOAD_BYTES) });
    const stream = uniqueStream();
    const error = await store.append(stream, [huge], 'any').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(await store.readStream(stream)).toEqual([]);
    const after = await store.append(stream, events(1), 'no_stream');
    expect(after.nextExpectedRevision).toBe(0n);
    await store.close();
  });

  it('gives every append of a batch hit by a full disk its own truthful outcome', async () => {
    const store = SqliteEventStore.open(join(dir, 'full-batch.db'), { extraPragmas: [`max_page_count = ${TINY_DATABASE_PAGES}`] });
    const streams = [uniqueStream(), uniqueStream(), uniqueStream()];
    const settled = await Promise.allSettled([
      store.append(streams[0], events(1), 'no_stream'),
      store.append(streams[1], [newEvent('Huge', { blob: 'x'.repeat(HUGE_PAYLOAD_BYTES) })], 'no_stream'),
      store.append(streams[2], events(1), 'no_stream'),
    ]);
    expect(settled[1].status).toBe('rejected');
    for (const [i, outcome] of settled.entries()) {
      const stored = await store.readStream(streams[i]);
      if (outcome.status === 'fulfilled') expect(stored).toHaveLength(1);
      else {
        expect(outcome.reason).toBeInstanceOf(StoreUnavailableError);
        expect(stored).toEqual([]);
      }
    }
    await store.close();
  });

  it('ends a waiting subscription and readAll with StoreUnavailableError when a stored row is corrupt', async () => {
    const path = join(dir, 'corrupt.db');
    const store = SqliteEventStore.open(path);
    const subscription = store.subscribe();
    const pending = subscription[Symbol.asyncIterator]().next();
    // another connection writes a row whose data is not JSON; the subscription finds it when polling
    const raw = new Database(path);
    raw.prepare("INSERT INTO events (stream, revision, id, type, data, metadata) VALUES ('s', 0, 'i', 'T', '{oops', '{}')").run();
    raw.close();
    await expect(pending).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(toArray(store.readAll())).rejects.toBeInstanceOf(StoreUnavailableError);
    await subscription.close();
    await store.close();
  });

  it('fails to open a path that cannot be a file with StoreUnavailableError', () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    expect(() => SqliteEventStore.open(join(blocker, 'events.db'))).toThrow(StoreUnavailableError);
  });

  it('creates the directory and the file on first open and finds the events on reopen', async () => {
    const path = join(dir, 'nested', 'deeper', 'events.db');
    const first = SqliteEventStore.open(path);
    const stream = uniqueStream();
    await first.append(stream, events(3), 'no_stream');
    await first.close();
    const second = SqliteEventStore.open(path);
    expect((await second.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    await second.close();
  });

  it('commits appends already queued when closed, ends subscriptions, and rejects later calls', async () => {
    const store = SqliteEventStore.open(join(dir, 'closing.db'));
    const stream = uniqueStream();
    const subscription = store.subscribe();
    const seen = collect(subscription, 1);
    const queued = store.append(stream, events(2), 'no_stream');
    await store.close();
    expect((await queued).nextExpectedRevision).toBe(1n);
    expect((await seen)[0].stream).toBe(stream);
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(true);
    await expect(store.readStream(stream)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    const reopened = SqliteEventStore.open(join(dir, 'closing.db'));
    expect(await reopened.readStream(stream)).toHaveLength(2);
    await reopened.close();
  });
});
