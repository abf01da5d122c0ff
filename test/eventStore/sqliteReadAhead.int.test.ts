// The replay read path on a worker thread (readAhead.ts, readerWorker.mjs) on real SQLite: the events of readBatch, in order, each once, and clear errors when the reader fails.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAhead } from '../../src/eventStore/sqlite/readAhead.ts';
import type { ReplayEvent } from '../../src/eventStore/sqlite/rows.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { START, StoreUnavailableError, type NewEvent } from '../../src/eventStore/types.ts';

/** Appends of these sizes, each with its own metadata: runs of equal metadata cross batch boundaries. */
const APPEND_SIZES = [1, 3, 700, 2, 1, 1500, 37, 999, 1001, 4, 2500, 1, 1, 250];
const MAX_POSITION = 2n ** 63n - 1n;
/** generous: the child starts tsx on a loaded machine; a hang would run into it */
const CHILD_TIMEOUT_MS = 30_000;

let dir: string;
let path: string;
let store: SqliteEventStore;
let head: bigint;

function appendOf(size: number, tag: number): NewEvent[] {
  const id = `req-${randomUUID()}`;
  const metadata = { correlationId: id, causationId: id, requestId: id, actor: { userId: 'u', projectId: 'p' }, at: new Date(1_800_000_000_000 + tag).toISOString() };
  // several types, unicode and escapes in the data: the batch JSON must carry them unchanged
  return Array.from({ length: size }, (_, i) => ({ id: randomUUID(), type: i % 3 === 0 ? 'ThingMoved' : 'ThingRenamed', data: { i, tag, name: `é-"q"\\n-${'✓'.repeat(i % 4)}`, nested: { n: -0.5 } }, metadata }));
}

async function fill(s: SqliteEventStore, sizes: number[]): Promise<void> {
  for (const [k, size] of sizes.entries()) await s.append(`thing-${k % 5}`, appendOf(size, k), 'any');
}

async function collectAhead(it: AsyncIterable<ReplayEvent[]>): Promise<ReplayEvent[][]> {
  const out: ReplayEvent[][] = [];
  for await (const batch of it) out.push(batch);
  return out;
}

function inline(s: SqliteEventStore, after: bigint, upTo: bigint, size: number): ReplayEvent[] {
  const out: ReplayEvent[] = [];
  for (;;) {
    const batch = s.readBatch(after, upTo, size);
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch[batch.length - 1].position;
  }
}

function freshDb(name: string, sizes: number[]): Promise<string> {
  const p = join(dir, `${name}.db`);
  const s = SqliteEventStore.open(p);
  return fill(s, sizes).then(() => s.close()).then(() => p);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esdn-readahead-'));
  path = join(dir, 'events.db');
  store = SqliteEventStore.open(path);
  await fill(store, APPEND_SIZES);
  head = await store.headPosition();
});
afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('readAhead (SqliteEventStore.readBatchesAhead)', () => {
  it('gives exactly the events of readBatch, in order, each once, in non-empty batches of at most the size', async () => {
    expect(head).toBe(BigInt(APPEND_SIZES.reduce((a, b) => a + b, 0)));
    for (const [after, upTo, size] of [[START, head, 1000], [START, MAX_POSITION, 2000], [5n, head - 7n, 333], [head - 3n, head, 1000], [head, head + 10n, 10]] as const) {
      const batches = await collectAhead(store.readBatchesAhead(after, upTo, size)!);
      const events = batches.flat();
      expect(events, `(${after}, ${upTo}] by ${size}`).toEqual(inline(store, after, upTo, size));
      expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
      // positions are dense from 1 (schema.ts)
      const first = after < 0n ? 0n : after;
      const last = upTo < head ? upTo : head;
      expect(events.map((e) => e.position)).toEqual(Array.from({ length: Math.max(0, Number(last - first)) }, (_, i) => first + 1n + BigInt(i)));
    }
  });

  it('shares one parsed metadata object per run of equal texts, across batch boundaries too', async () => {
    const events = (await collectAhead(store.readBatchesAhead(START, head, 500)!)).flat();
    let runs = 1;
    for (let i = 1; i < events.length; i++) {
      const same = JSON.stringify(events[i].metadata) === JSON.stringify(events[i - 1].metadata);
      expect(events[i].metadata === events[i - 1].metadata, `position ${events[i].position}`).toBe(same);
      if (!same) runs++;
    }
    expect(runs).toBe(APPEND_SIZES.length);
  });

  it('reads a log that grows while it is read: a bounded range stops at its end, an open one ends on a contiguous prefix', async () => {
    const p = await freshDb('growing', [3000, 3000]);
    const s = SqliteEventStore.open(p);
    try {
      const head0 = await s.headPosition();
      const bounded: ReplayEvent[] = [];
      const open: ReplayEvent[] = [];
      const readOpen = (async () => { for await (const b of s.readBatchesAhead(START, MAX_POSITION, 250)!) open.push(...b); })();
      for await (const batch of s.readBatchesAhead(START, head0, 250)!) {
        bounded.push(...batch);
        if (bounded.length === 250) await fill(s, [400, 400, 400]); // appended mid-read, after the range
      }
      await readOpen;
      expect(bounded.map((e) => e.position)).toEqual(Array.from({ length: Number(head0) }, (_, i) => BigInt(i + 1)));
      expect(open.length).toBeGreaterThanOrEqual(Number(head0));
      expect(open.map((e) => e.position)).toEqual(Array.from({ length: open.length }, (_, i) => BigInt(i + 1)));
      expect(await s.headPosition()).toBe(head0 + 1200n);
    } finally {
      await s.close();
    }
  });

  it('stops its worker when the loop is left early, and reads again afterwards', async () => {
    let seen = 0;
    for await (const batch of store.readBatchesAhead(START, head, 100)!) {
      seen += batch.length;
      if (seen >= 300) break;
    }
    expect(seen).toBe(300);
    expect((await collectAhead(store.readBatchesAhead(head - 5n, head, 100)!)).flat()).toHaveLength(5);
  });

  it('does not keep the process alive when a loop is left suspended (neither finished nor broken out of)', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', new URL('./fixtures/abandonedRead.ts', import.meta.url).pathname, path], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
    expect(child.error, 'the child did not exit by itself').toBeUndefined();
    expect(child.stdout.trim()).toBe('took 100 events');
    expect(child.status).toBe(0);
  });

  it('is not offered for an in-memory log, which no other connection can open', async () => {
    const mem = SqliteEventStore.open(':memory:');
    try {
      expect(mem.readBatchesAhead(START, 10n, 10)).toBeUndefined();
    } finally {
      await mem.close();
    }
  });
});

describe('readAhead failures end the loop with a StoreUnavailableError, never a hang', () => {
  async function failure(it: AsyncIterable<ReplayEvent[]>): Promise<{ error: unknown; delivered: bigint[] }> {
    const delivered: bigint[] = [];
    try {
      for await (const batch of it) delivered.push(...batch.map((e) => e.position));
    } catch (error) {
      return { error, delivered };
    }
    throw new Error(`no error after ${delivered.length} events`);
  }

  it('a file that is not a database, or no file', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not an SQLite database, just text long enough to have a header'.repeat(20));
    for (const [p, why] of [[junk, /file is not a database/], [join(dir, 'missing.db'), /unable to open database file/]] as const) {
      const { error, delivered } = await failure(readAhead(p, START, 100n, 10));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/cannot read the log at/);
      expect((error as Error).message).toMatch(why);
      expect(delivered).toEqual([]);
    }
  });

  it('a corrupt data or metadata text is named by its position, after the batches before it', async () => {
    for (const column of ['data', 'metadata']) {
      const p = await freshDb(`corrupt-${column}`, [60, 60]);
      const db = new Database(p);
      db.prepare(`UPDATE events SET ${column} = ? WHERE position = 77`).run('{"cut": ');
      db.close();
      const { error, delivered } = await failure(readAhead(p, START, 1000n, 50));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe('corrupt event at position 77: stored JSON does not parse');
      expect(delivered).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 1)));
    }
  });

  it('a worker that throws: what it sent, then its error', async () => {
    const { error, delivered } = await failure(readAhead(path, 41n, head, 10, { workerUrl: new URL('./fixtures/crashingReader.mjs', import.meta.url) }));
    expect(delivered).toEqual([42n]);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/replay reader failed: disk on fire/);
  });

  it('a worker that exits without a word', async () => {
    const { error, delivered } = await failure(readAhead(path, START, head, 10, { workerUrl: new URL('./fixtures/exitingReader.mjs', import.meta.url) }));
    expect(delivered).toEqual([]);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/replay reader exited \(code 3\) before the end of the range/);
  });
});
