// The SQLite log's connections keep SQLite's own 2 MB page cache, not better-sqlite3's 16 MB build default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_SIZE_KIB, MEMORY_PRAGMAS } from '../../src/eventStore/sqlite/schema.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { events, uniqueStream } from './helpers.ts';

/** better-sqlite3's SQLITE_DEFAULT_CACHE_SIZE (KiB): what a connection gets unless told otherwise. */
const BUILD_DEFAULT_KIB = 16_000;

const dir = mkdtempSync(join(tmpdir(), 'esdn-sqlite-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sqlite page cache', () => {
  it('would be 16 MB per connection without the memory pragmas', () => {
    const db = new Database(':memory:');
    try {
      expect(-Number(db.pragma('cache_size', { simple: true }))).toBe(BUILD_DEFAULT_KIB);
      for (const pragma of MEMORY_PRAGMAS) db.pragma(pragma);
      expect(-Number(db.pragma('cache_size', { simple: true }))).toBe(CACHE_SIZE_KIB);
    } finally {
      db.close();
    }
  });

  it('is CACHE_SIZE_KIB on a file store, which still appends and reads back', async () => {
    const store = SqliteEventStore.open(join(dir, 'cache.db'));
    try {
      expect(store.pageCacheKib()).toBe(CACHE_SIZE_KIB);
      const stream = uniqueStream();
      await store.append(stream, events(3), 'no_stream');
      expect((await store.readStream(stream)).length).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('is CACHE_SIZE_KIB in memory too', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      expect(store.pageCacheKib()).toBe(CACHE_SIZE_KIB);
    } finally {
      await store.close();
    }
  });
});
