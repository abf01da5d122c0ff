// The embedded event log: SQLite (WAL, synchronous=FULL) with group commit and catch-up subscriptions.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  START,
  StoreUnavailableError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamAppend,
  type Subscription,
} from '../types.ts';
import { checkAppendMany, checkReadAllOptions, checkReadStreamOptions, checkStreamName, prepareAppend } from '../validate.ts';
import { CatchUpSubscription } from './catchUpSubscription.ts';
import { GroupCommitter, type CommitStats } from './groupCommitter.ts';
import { WorkerCommitter } from './workerCommitter.ts';
import { readAhead } from './readAhead.ts';
import type { SlowBatchListener } from './slowBatch.ts';
import { decodeReplayRows, decodeRow, type RawReplayRow, type ReplayEvent } from './rows.ts';
import { BUSY_TIMEOUT_MS, CREATE_EVENTS_TABLE, DURABILITY_PRAGMAS, MEMORY_PRAGMAS, prepareStatements, type Statements } from './schema.ts';

export const DEFAULT_SQLITE_PATH = './data/events.db';
/** readAll fetches this many rows per query, so a huge log never sits in memory at once. */
export const READ_ALL_PAGE_SIZE = 1_000;
/** SQLite's largest integer: the "no upper bound" of a position range. */
const MAX_POSITION = 2n ** 63n - 1n;

export interface SqliteEventStoreOptions {
  /** Extra pragmas run after the durability ones (tests use max_page_count to fake a full disk). */
  extraPragmas?: string[];
  /** Most appends committed in one transaction. */
  maxBatch?: number;
  /**
   * Told of every batch that took SLOW_BATCH_MS or more from being posted to the writer thread until its
   * result was handled, with where the time went (slowBatch.ts). File stores only: ':memory:' has no writer thread.
   */
  onSlowBatch?: SlowBatchListener;
}

function openDatabase(path: string, options: SqliteEventStoreOptions): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    for (const pragma of DURABILITY_PRAGMAS) db.pragma(pragma);
    const mode = db.pragma('journal_mode', { simple: true });
    if (path !== ':memory:' && mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`);
    for (const pragma of [...MEMORY_PRAGMAS, ...(options.extraPragmas ?? [])]) db.pragma(pragma);
    db.exec(CREATE_EVENTS_TABLE);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export class SqliteEventStore implements EventStore {
  private readonly statements: Statements;
  /** A file store commits on the writer thread; ':memory:' cannot be shared with one, so it commits inline. */
  private readonly committer: GroupCommitter | WorkerCommitter;
  private closing: Promise<void> | undefined;
  private readonly subscriptions = new Set<CatchUpSubscription>();
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    options: SqliteEventStoreOptions,
  ) {
    this.statements = prepareStatements(db);
    this.committer =
      path === ':memory:'
        ? new GroupCommitter(db, this.statements, options.maxBatch)
        : new WorkerCommitter(path, options.extraPragmas ?? [], options.maxBatch, options.onSlowBatch);
  }

  /** Opens (creating directory and file if needed) the log at path; fails with StoreUnavailableError. */
  static open(path: string = DEFAULT_SQLITE_PATH, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    try {
      return new SqliteEventStore(openDatabase(path, options), path, options);
    } catch (error) {
      throw new StoreUnavailableError(`cannot open SQLite event store at ${path}: ${(error as Error).message}`, error);
    }
  }

  /** Instrumentation: transactions committed versus appends, to show group commit at work. */
  get stats(): CommitStats {
    return this.committer.stats;
  }

  /** The settings that make appends durable, as SQLite reports them for this connection. */
  durability(): { journalMode: string; synchronous: number } {
    this.ensureOpen();
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
    };
  }

  /** This connection's page cache limit in KiB, as SQLite reports it (MEMORY_PRAGMAS). */
  pageCacheKib(): number {
    this.ensureOpen();
    return -Number(this.db.pragma('cache_size', { simple: true }));
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
  }

  async append(stream: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.ensureOpen();
    const serialized = prepareAppend(stream, events, expectedRevision);
    const [result] = await this.committer.enqueue([{ stream, events: serialized, expected: expectedRevision }]);
    return result;
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.ensureOpen();
    checkAppendMany(appends);
    const unit = appends.map((a) => ({
      stream: a.stream,
      events: prepareAppend(a.stream, a.events, a.expectedRevision),
      expected: a.expectedRevision,
    }));
    return this.committer.enqueue(unit);
  }

  async readStream(stream: string, options: { fromRevision?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    checkStreamName(stream);
    checkReadStreamOptions(options);
    const limit = options.maxCount ?? -1; // SQLite: a negative LIMIT means none
    return this.statements.readStream.all(stream, options.fromRevision ?? 0n, limit).map(decodeRow);
  }

  /** Synchronous page read; the catch-up subscription depends on it being synchronous. */
  private readPage(after: bigint, limit: number, upTo: bigint = MAX_POSITION): RecordedEvent[] {
    this.ensureOpen();
    return this.statements.readPage.all(after, upTo, limit).map(decodeRow);
  }

  /**
   * A replay's read path, outside the EventStore contract: up to `limit` events in (after, upTo],
   * synchronously, from raw rows, without stream and revision, with the metadata of events appended
   * together parsed once and shared. Otherwise the events of readAll (the audit tests compare them).
   */
  readBatch(after: bigint, upTo: bigint, limit: number): ReplayEvent[] {
    this.ensureOpen();
    return decodeReplayRows(this.statements.readReplayPage.all(after, upTo, limit) as RawReplayRow[]);
  }

  /**
   * The same events as readBatch, read ahead by a worker thread with its own read-only connection
   * (readAhead.ts), so a long replay folds one batch while the next is read. Undefined for ':memory:' (and ''),
   * which no other connection can open.
   */
  readBatchesAhead(after: bigint, upTo: bigint, size: number): AsyncIterable<ReplayEvent[]> | undefined {
    this.ensureOpen();
    return this.path === ':memory:' || this.path === '' ? undefined : readAhead(this.path, after, upTo, size);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    checkReadAllOptions(options);
    let after = options.fromPosition ?? START;
    const upTo = options.toPosition ?? MAX_POSITION;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      const page = this.readPage(after, Math.min(READ_ALL_PAGE_SIZE, remaining), upTo);
      if (page.length === 0) return;
      for (const event of page) yield event;
      remaining -= page.length;
      after = page[page.length - 1].position;
    }
  }

  subscribe(fromPosition: bigint = START): Subscription {
    this.ensureOpen();
    checkReadAllOptions({ fromPosition });
    const source = {
      readPage: (after: bigint, limit: number) => this.readPage(after, limit),
      onCommit: (listener: (events: RecordedEvent[]) => void) => this.committer.onCommit(listener),
    };
    const subscription = new CatchUpSubscription(source, fromPosition, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.ensureOpen();
    return this.statements.head.get()?.head ?? START;
  }

  /** Commits what is already queued, ends every subscription, then closes the file. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await this.committer.drain();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.committer.close();
    this.db.close();
  }
}
