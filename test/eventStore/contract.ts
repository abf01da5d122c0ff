// The event log contract: one suite every adapter (SQLite, KurrentDB) must pass.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidEventError,
  START,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../../src/eventStore/types.ts';
import { collect, events, expectStrictlyIncreasing, newEvent, toArray, uniqueStream } from './helpers.ts';

/** More than one catch-up page (500), so the page boundary is crossed while appends race. */
const HISTORY_BEYOND_ONE_PAGE = 1_200;
const RACING_WRITERS = 20;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, got a result');
}

async function expectWrongVersion(promise: Promise<unknown>, actual: bigint | 'no_stream'): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(WrongExpectedVersionError);
  expect((error as WrongExpectedVersionError).actual).toBe(actual);
}

export function runEventStoreContract(adapter: string, open: () => Promise<EventStore>): void {
  describe(`event store contract: ${adapter}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const ours = (streams: string[]) => (e: RecordedEvent) => streams.includes(e.stream);

    describe('append and read', () => {
      it('reads back what was appended, with revisions from 0 and increasing positions', async () => {
        const stream = uniqueStream('network');
        const written = [newEvent('NetworkCreated', { name: 'net1', mtu: 1450 }), newEvent('NetworkRenamed', { name: 'n' })];
        const result = await store.append(stream, written, 'no_stream');
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(written);
        expect(read.every((e) => e.stream === stream)).toBe(true);
        expectStrictlyIncreasing(read.map((e) => e.position));
        expect(result).toEqual({ nextExpectedRevision: 1n, position: read[1].position });
      });

      it('reads an absent stream as empty', async () => {
        expect(await store.readStream(uniqueStream('absent'))).toEqual([]);
      });

      it('reads a stream from a revision and up to a count', async () => {
        const stream = uniqueStream();
        await store.append(stream, events(5), 'no_stream');
        const read = await store.readStream(stream, { fromRevision: 2n, maxCount: 2 });
        expect(read.map((e) => e.revision)).toEqual([2n, 3n]);
      });

      it('reports the head position as the last appended position', async () => {
        const result = await store.append(uniqueStream(), events(2), 'any');
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });
    });

    describe('expected revision', () => {
      const cases: Array<{ name: string; existing: number; expected: ExpectedRevision; actual?: bigint | 'no_stream' }> = [
        { name: "'no_stream' on an absent stream succeeds", existing: 0, expected: 'no_stream' },
        { name: "'no_stream' on an existing stream fails", existing: 2, expected: 'no_stream', actual: 1n },
        { name: "'stream_exists' on an absent stream fails", existing: 0, expected: 'stream_exists', actual: 'no_stream' },
        { name: "'stream_exists' on an existing stream succeeds", existing: 1, expected: 'stream_exists' },
        { name: "'any' on an absent stream succeeds", existing: 0, expected: 'any' },
        { name: "'any' on an existing stream succeeds", existing: 3, expected: 'any' },
        { name: 'the exact last revision succeeds', existing: 3, expected: 2n },
        { name: 'an older revision fails', existing: 3, expected: 1n, actual: 2n },
        { name: 'a revision ahead of the stream fails', existing: 3, expected: 5n, actual: 2n },
        { name: 'revision 0 on an absent stream fails', existing: 0, expected: 0n, actual: 'no_stream' },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const stream = uniqueStream();
          if (c.existing > 0) await store.append(stream, events(c.existing), 'no_stream');
          const attempt = store.append(stream, [newEvent('Next')], c.expected);
          if (c.actual === undefined) {
            const result = await attempt;
            expect(result.nextExpectedRevision).toBe(BigInt(c.existing));
            expect(await store.readStream(stream)).toHaveLength(c.existing + 1);
          } else {
            await expectWrongVersion(attempt, c.actual);
            expect(await store.readStream(stream)).toHaveLength(c.existing);
          }
        });
      }

      it('lets exactly one of many racing writers with the same expected revision win', async () => {
        const stream = uniqueStream();
        await store.append(stream, events(1), 'no_stream');
        const attempts = await Promise.allSettled(
          Array.from({ length: RACING_WRITERS }, (_, i) => store.append(stream, [newEvent('Raced', { i })], 0n)),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.every((a) => a.reason instanceof WrongExpectedVersionError)).toBe(true);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("lets exactly one of many racing 'no_stream' creators win", async () => {
        const stream = uniqueStream();
        const attempts = await Promise.allSettled(
          Array.from({ length: RACING_WRITERS }, () => store.append(stream, events(2), 'no_stream')),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('multi-event appends', () => {
      it('writes all events of an append contiguously, or none of them', async () => {
        const stream = uniqueStream();
        const [winner, loser] = await Promise.allSettled([
          store.append(stream, events(3, 'A'), 'no_stream'),
          store.append(stream, events(4, 'B'), 'no_stream'),
        ]);
        expect(winner.status).toBe('fulfilled');
        expect(loser.status).toBe('rejected');
        const read = await store.readStream(stream);
        expect(read.map((e) => e.type)).toEqual(['A', 'A', 'A']);
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('gives interleaved concurrent appends disjoint, contiguous revisions', async () => {
        const stream = uniqueStream();
        await Promise.all(Array.from({ length: 10 }, (_, i) => store.append(stream, events(3, `T${i}`), 'any')));
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i)));
        for (let i = 0; i < 30; i += 3) expect(new Set(read.slice(i, i + 3).map((e) => e.type)).size).toBe(1);
      });
    });

    describe('atomic multi-stream appends (appendMany)', () => {
      it('writes every part in the order given, a stream coming back in a later part', async () => {
        const [a, b] = [uniqueStream('a'), uniqueStream('b')];
        await store.append(b, events(1, 'Before'), 'no_stream');
        const parts = [
          { stream: a, events: events(2, 'A1'), expectedRevision: 'no_stream' as const },
          { stream: b, events: events(1, 'B1'), expectedRevision: 0n },
          { stream: a, events: events(1, 'A2'), expectedRevision: 1n },
        ];
        const results = await store.appendMany(parts);
        expect(results.map((r) => r.nextExpectedRevision)).toEqual([1n, 1n, 2n]);
        const ids = parts.flatMap((p) => p.events.map((e) => e.id));
        const all = (await toArray(store.readAll())).filter((e) => e.stream === a || e.stream === b);
        expect(all.slice(1).map((e) => e.id)).toEqual(ids);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A1', 'A1', 'A2']);
      });

      it('writes nothing of any part when one part has the wrong expected revision', async () => {
        const [a, b] = [uniqueStream('a'), uniqueStream('b')];
        await store.append(b, events(2), 'no_stream');
        const attempt = store.appendMany([
          { stream: a, events: events(2, 'A'), expectedRevision: 'no_stream' },
          { stream: b, events: events(1, 'B'), expectedRevision: 0n },
        ]);
        await expectWrongVersion(attempt, 1n);
        expect(await store.readStream(a)).toEqual([]);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['ThingHappened', 'ThingHappened']);
      });

      it('lets exactly one of two racing units win when they expect the same revision', async () => {
        const [a, b] = [uniqueStream('a'), uniqueStream('b')];
        const outcomes = await Promise.allSettled(
          ['X', 'Y'].map((tag) =>
            store.appendMany([
              { stream: a, events: events(1, tag), expectedRevision: 'no_stream' },
              { stream: b, events: events(1, tag), expectedRevision: 'no_stream' },
            ]),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const [ra, rb] = [await store.readStream(a), await store.readStream(b)];
        expect(ra).toHaveLength(1);
        expect(rb.map((e) => e.type)).toEqual(ra.map((e) => e.type));
      });

      it('refuses an empty unit as invalid input', async () => {
        await expect(store.appendMany([])).rejects.toBeInstanceOf(InvalidEventError);
      });
    });

    describe('global order and readAll', () => {
      it('orders every stream in one global order of strictly increasing positions', async () => {
        const base = await store.headPosition();
        const streams = [uniqueStream('a'), uniqueStream('b'), uniqueStream('c')];
        const appended: string[] = [];
        for (let round = 0; round < 4; round++) {
          for (const stream of streams) {
            const event = newEvent('Step', { round });
            await store.append(stream, [event], 'any');
            appended.push(event.id);
          }
        }
        const all = (await toArray(store.readAll({ fromPosition: base }))).filter(ours(streams));
        expect(all.map((e) => e.id)).toEqual(appended);
        expectStrictlyIncreasing(all.map((e) => e.position));
      });

      it('reads from an exclusive position to an inclusive one, up to a count', async () => {
        const stream = uniqueStream();
        await store.append(stream, events(6), 'no_stream');
        const positions = (await store.readStream(stream)).map((e) => e.position);
        const between = (await toArray(store.readAll({ fromPosition: positions[1], toPosition: positions[4] }))).filter(
          ours([stream]),
        );
        expect(between.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        const counted = await toArray(store.readAll({ fromPosition: positions[0], maxCount: 2 }));
        expect(counted.map((e) => e.position)).toEqual([positions[1], positions[2]]);
      });

      it('sees nothing after the head', async () => {
        await store.append(uniqueStream(), events(1), 'any');
        const head = await store.headPosition();
        expect(await toArray(store.readAll({ fromPosition: head }))).toEqual([]);
      });
    });

    describe('subscriptions', () => {
      it('catches up on history, then delivers live events in order', async () => {
        const base = await store.headPosition();
        const stream = uniqueStream();
        await store.append(stream, events(5, 'Old'), 'no_stream');
        const subscription = store.subscribe(base);
        const received = collect(subscription, 10, ours([stream]));
        for (let i = 0; i < 5; i++) await store.append(stream, [newEvent('New', { i })], 'any');
        const got = await received;
        await subscription.close();
        expect(got.map((e) => e.revision)).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
        expect(got.map((e) => e.type)).toEqual([...Array(5).fill('Old'), ...Array(5).fill('New')]);
      });

      it('misses and repeats nothing while appends race with the catch-up', async () => {
        const base = await store.headPosition();
        const streams = [uniqueStream('r1'), uniqueStream('r2')];
        const history: NewEvent[] = events(HISTORY_BEYOND_ONE_PAGE, 'History');
        for (let i = 0; i < history.length; i += 100) await store.append(streams[0], history.slice(i, i + 100), 'any');
        const subscription = store.subscribe(base);
        const racing = events(300, 'Racing');
        const total = history.length + racing.length;
        const received = collect(subscription, total, ours(streams), 60_000, true);
        // racing writers: one at a time on one stream and in parallel on the other
        await Promise.all([
          (async () => {
            for (const e of racing.slice(0, 150)) await store.append(streams[0], [e], 'any');
          })(),
          Promise.all(racing.slice(150).map((e) => store.append(streams[1], [e], 'any'))),
        ]);
        const got = await received;
        await subscription.close();
        expectStrictlyIncreasing(got.map((e) => e.position));
        expect(new Set(got.map((e) => e.id))).toEqual(new Set([...history, ...racing].map((e) => e.id)));
        const all = (await toArray(store.readAll({ fromPosition: base }))).filter(ours(streams));
        expect(got.map((e) => e.id)).toEqual(all.map((e) => e.id));
      });

      it('resumes after a checkpoint position with the next event', async () => {
        const base = await store.headPosition();
        const stream = uniqueStream();
        await store.append(stream, events(6), 'no_stream');
        const first = store.subscribe(base);
        const firstThree = await collect(first, 3, ours([stream]));
        await first.close();
        const checkpoint = firstThree[2].position;
        const second = store.subscribe(checkpoint);
        const rest = await collect(second, 3, ours([stream]));
        await second.close();
        expect(rest.map((e) => e.revision)).toEqual([3n, 4n, 5n]);
      });

      it('ends pending and later reads when closed', async () => {
        const head = await store.headPosition();
        const subscription = store.subscribe(head);
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        await subscription.close();
        expect(await pending).toEqual({ value: undefined, done: true });
        expect((await iterator.next()).done).toBe(true);
      });

      it('is closed by a break out of for await', async () => {
        const base = await store.headPosition();
        const stream = uniqueStream();
        await store.append(stream, events(2), 'no_stream');
        const subscription = store.subscribe(base);
        for await (const _ of subscription) break;
        expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ value: undefined, done: true });
      });

      it('subscribes from START by default', async () => {
        const stream = uniqueStream();
        await store.append(stream, events(2), 'no_stream');
        const subscription = store.subscribe();
        const got = await collect(subscription, 2, ours([stream]), 60_000);
        await subscription.close();
        expect(got.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(START).toBe(-1n);
      });
    });

    describe('bad input and closed stores', () => {
      it('rejects an empty append, an empty stream name and a negative revision with InvalidEventError', async () => {
        expect(await rejection(store.append(uniqueStream(), [], 'any'))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.append('', events(1), 'any'))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.append(uniqueStream(), events(1), -3n))).toBeInstanceOf(InvalidEventError);
      });

      it('refuses reserved $ names and bad read options with InvalidEventError', async () => {
        expect(await rejection(store.append('$system', events(1), 'any'))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.append(uniqueStream(), [newEvent('$metadata')], 'any'))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.readStream(uniqueStream(), { maxCount: 2.5 }))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.readStream(uniqueStream(), { fromRevision: -1n }))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(toArray(store.readAll({ fromPosition: 2n ** 64n })))).toBeInstanceOf(InvalidEventError);
        expect(await rejection(store.append(uniqueStream(), events(1), 2n ** 63n))).toBeInstanceOf(InvalidEventError);
        expect(() => store.subscribe(-2n)).toThrow(InvalidEventError);
      });

      it('rejects data that JSON cannot hold, without writing anything', async () => {
        const stream = uniqueStream();
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        const bad = { ...newEvent('Bad'), data: cyclic };
        expect(await rejection(store.append(stream, [bad], 'any'))).toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('rejects appends on a closed store with StoreUnavailableError', async () => {
        await store.close();
        expect(await rejection(store.append(uniqueStream(), events(1), 'any'))).toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
