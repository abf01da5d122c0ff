// Opens the event log named by a URL: sqlite:PATH, kurrentdb://..., esdb://... .
import type { SlowBatchListener } from './sqlite/slowBatch.ts';
import { SqliteEventStore } from './sqlite/sqliteEventStore.ts';
import { StoreUnavailableError, type EventStore } from './types.ts';

const SQLITE_PREFIX = 'sqlite:';
const KURRENT_SCHEMES = /^(kurrentdb|kurrent|esdb)(\+discover)?:\/\//;

export interface OpenOptions {
  /** A SQLite log tells it of each slow batch of appends and where its time went (sqlite/slowBatch.ts). */
  onSlowBatch?: SlowBatchListener;
}

/**
 * `sqlite:./data/events.db` (also `sqlite://./x.db` and `sqlite:///abs/x.db`) creates the directory
 * and file if needed; `kurrentdb://host:2113?tls=false` (or `esdb://`) connects lazily.
 * Fails with StoreUnavailableError for an unknown scheme or a store that cannot be opened.
 */
export async function openEventStore(url: string, options: OpenOptions = {}): Promise<EventStore> {
  if (typeof url !== 'string' || url.length === 0) throw new StoreUnavailableError('no event store URL given');
  if (url.startsWith(SQLITE_PREFIX)) {
    let path = url.slice(SQLITE_PREFIX.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path.length === 0) throw new StoreUnavailableError(`no path in event store URL ${url}`);
    return SqliteEventStore.open(path, { onSlowBatch: options.onSlowBatch });
  }
  if (KURRENT_SCHEMES.test(url)) {
    // loaded only when asked for: the gRPC client costs ~20 MB of memory and ~150 ms of start-up
    const { KurrentEventStore } = await import('./kurrentdb/kurrentEventStore.ts');
    return KurrentEventStore.connect(url);
  }
  throw new StoreUnavailableError(`unknown event store URL ${url}: use sqlite:PATH or kurrentdb://HOST:PORT`);
}
