// openEventStore(url): picks the adapter from the URL, creates SQLite files, refuses unknown schemes.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { KurrentEventStore } from '../../src/eventStore/kurrentdb/kurrentEventStore.ts';
import { openEventStore } from '../../src/eventStore/open.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { StoreUnavailableError } from '../../src/eventStore/types.ts';
import { events, uniqueStream } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openEventStore', () => {
  it('opens sqlite:PATH, creating the directory and the file', async () => {
    const path = join(dir, 'a', 'events.db');
    const store = await openEventStore(`sqlite:${path}`);
    expect(store).toBeInstanceOf(SqliteEventStore);
    await store.append(uniqueStream(), events(1), 'any');
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('accepts sqlite:// with an absolute path', async () => {
    const path = join(dir, 'b.db');
    const store = await openEventStore(`sqlite://${path}`);
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('opens kurrentdb:// and esdb:// URLs (lazily, without the esdb deprecation warning)', async () => {
    const warn = vi.spyOn(console, 'warn');
    for (const url of ['kurrentdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false']) {
      const store = await openEventStore(url);
      expect(store).toBeInstanceOf(KurrentEventStore);
      await store.close();
    }
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('refuses unknown schemes, empty paths and unopenable files with StoreUnavailableError', async () => {
    await expect(openEventStore('postgres://x')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(openEventStore('sqlite:')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(openEventStore('')).rejects.toBeInstanceOf(StoreUnavailableError);
    // (not under /proc: Node 20's recursive mkdirSync spins forever there)
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await expect(openEventStore(`sqlite:${file}/events.db`)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
