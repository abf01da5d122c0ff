// Group commit: appends queued during one turn of the event loop share one transaction and one fsync.
import type Database from 'better-sqlite3';
import { StoreUnavailableError, type AppendResult } from '../types.ts';
import { writeBatch, type PendingUnit } from './batchWriter.mjs';
import { notifyCommit, settleBatch, type CommitListener, type CommitStats, type Queued } from './commitBatch.ts';
import type { Statements } from './schema.ts';

export type { CommitStats } from './commitBatch.ts';

/** Bounds one transaction, so a burst cannot hold the write lock (and the event loop) for long. */
export const DEFAULT_MAX_BATCH = 1_000;

/**
 * better-sqlite3 is synchronous: while a commit (and its fsync) runs, no JavaScript runs, so the
 * callers that arrive meanwhile wait in the event loop. The flush runs on setImmediate, after every
 * append issued in the current turn (and the I/O callbacks that piled up during the last fsync)
 * has been queued, and commits them all together.
 */
export class GroupCommitter {
  private queue: Queued[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private readonly listeners = new Set<CommitListener>();
  readonly stats: CommitStats = { transactions: 0, appends: 0, largestBatch: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly statements: Statements,
    private readonly maxBatch: number = DEFAULT_MAX_BATCH,
  ) {}

  /** Queues the parts of one atomic unit; resolves with one result per part once durable. */
  enqueue(unit: PendingUnit): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Commits everything queued now (used by close, so queued appends are not lost). */
  flushNow(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) this.commitSome();
  }

  /** Same shape as the writer-thread committer's: everything queued is committed when it resolves. */
  async drain(): Promise<void> {
    this.flushNow();
  }

  /** Rejects anything still queued; the store is going away. */
  close(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const error = new StoreUnavailableError('event store is closed');
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }

  private flush(): void {
    this.scheduled = undefined;
    this.commitSome();
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flush());
  }

  private commitSome(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    const outcomes = writeBatch(this.db, this.statements, batch.map((queued) => queued.unit));
    notifyCommit(this.listeners, settleBatch(batch, outcomes, this.stats));
  }
}
