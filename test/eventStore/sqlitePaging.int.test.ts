// readAll reads the SQLite log page by page, and a subscriber too slow for the live buffer falls back to catching up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_LIVE_BUFFER } from '../../src/eventStore/sqlite/catchUpSubscription.ts';
import { READ_ALL_PAGE_SIZE, SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { START } from '../../src/eventStore/types.ts';
import { collect, events, expectStrictlyIncreasing, toArray, uniqueStream } from './helpers.ts';

/** Events per append when filling the log quickly (one transaction each). */
const CHUNK = 1_000;

const dir = mkdtempSync(join(tmpdir(), 'esdn-paging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite paging', () => {
  let store: SqliteEventStore;
  let n = 0;
  beforeEach(() => {
    store = SqliteEventStore.open(join(dir, `p${n++}.db`));
  });
  afterEach(() => store.close());

  async function fill(stream: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += CHUNK) await store.append(stream, events(Math.min(CHUNK, count - i)), 'any');
  }

  it('reads a log of several pages completely and in order', async () => {
    const stream = uniqueStream();
    const total = READ_ALL_PAGE_SIZE * 2 + 500;
    await fill(stream, total);
    const all = await toArray(store.readAll());
    expect(all).toHaveLength(total);
    expect(all.map((e) => e.revision)).toEqual(Array.from({ length: total }, (_, i) => BigInt(i)));
    expectStrictlyIncreasing(all.map((e) => e.position));
  });

  it('reads later pages only when the iteration gets there (it never loads the log at once)', async () => {
    const stream = uniqueStream();
    await fill(stream, READ_ALL_PAGE_SIZE * 2);
    const iterator = store.readAll()[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.revision).toBe(0n);
    // appended after the first page was read: a later page query must still see it
    const late = uniqueStream('late');
    await store.append(late, events(1), 'no_stream');
    const rest: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value.stream);
    expect(rest).toHaveLength(READ_ALL_PAGE_SIZE * 2);
    expect(rest[rest.length - 1]).toBe(late);
  });

  it('delivers everything, once and in order, to a subscriber that overflows its live buffer', async () => {
    const stream = uniqueStream();
    const subscription = store.subscribe(START);
    const first = collect(subscription, 1);
    await store.append(stream, events(1), 'no_stream');
    await first; // the subscription is live now
    const burst = MAX_LIVE_BUFFER + 2 * CHUNK;
    await fill(stream, burst); // nobody reads meanwhile
    const rest = await collect(subscription, burst);
    await subscription.close();
    expect(rest.map((e) => e.revision)).toEqual(Array.from({ length: burst }, (_, i) => BigInt(i + 1)));
  });
});
