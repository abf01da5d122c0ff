// Two stores (two connections) on one SQLite file: subscribers also see the other connection's commits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { WrongExpectedVersionError } from '../../src/eventStore/types.ts';
import { collect, events, expectStrictlyIncreasing, newEvent, uniqueStream } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-shared-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite log shared by two connections', () => {
  it('delivers commits of both connections to a live subscriber, in order, once each', async () => {
    const path = join(dir, 'shared.db');
    const mine = SqliteEventStore.open(path);
    const other = SqliteEventStore.open(path);
    const stream = uniqueStream();
    const subscription = mine.subscribe();
    const first = collect(subscription, 1);
    await mine.append(stream, events(1), 'no_stream');
    await first; // live now
    const received = collect(subscription, 40, () => true, 20_000, true);
    for (let i = 0; i < 20; i++) {
      // the other connection's commit first: our next notification then jumps over it
      await other.append(stream, [newEvent('FromOther', { i })], 'any');
      await mine.append(stream, [newEvent('FromMine', { i })], 'any');
    }
    const got = await received;
    await subscription.close();
    expectStrictlyIncreasing(got.map((e) => e.position));
    expect(got.map((e) => e.revision)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i + 1)));
    await mine.close();
    await other.close();
  });

  it('wakes a waiting subscriber for a commit made only by the other connection', async () => {
    const path = join(dir, 'idle.db');
    const mine = SqliteEventStore.open(path);
    const other = SqliteEventStore.open(path);
    const subscription = mine.subscribe();
    const received = collect(subscription, 1, () => true, 5_000);
    await other.append(uniqueStream(), events(1), 'no_stream');
    expect((await received)[0].revision).toBe(0n);
    await subscription.close();
    await mine.close();
    await other.close();
  });

  it('checks expected revisions against the other connection\'s commits', async () => {
    const path = join(dir, 'revisions.db');
    const mine = SqliteEventStore.open(path);
    const other = SqliteEventStore.open(path);
    const stream = uniqueStream();
    await other.append(stream, events(2), 'no_stream');
    await expect(mine.append(stream, events(1), 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect((await mine.append(stream, events(1), 1n)).nextExpectedRevision).toBe(2n);
    await mine.close();
    await other.close();
  });
});
