// Group commit through the writer thread: the fsync no longer blocks the event loop.
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError, type AppendResult } from '../types.ts';
import type { BatchPhases, PendingUnit } from './batchWriter.mjs';
import { notifyCommit, settleBatch, type CommitListener, type CommitStats, type PostedOutcome, type Queued } from './commitBatch.ts';
import { DEFAULT_MAX_BATCH } from './groupCommitter.ts';
import { BUSY_TIMEOUT_MS, CREATE_EVENTS_TABLE, DURABILITY_PRAGMAS, MEMORY_PRAGMAS } from './schema.ts';
import { SLOW_BATCH_MS, slowBatch, type SlowBatchListener } from './slowBatch.ts';

const WORKER_URL = new URL('./writerWorker.mjs', import.meta.url);

/** What the writer posts per batch (writerWorker.mjs): the phases only when it took SLOW_BATCH_MS or more. */
interface WriterResult {
  outcomes: PostedOutcome[];
  writerMs: number;
  phases?: BatchPhases;
}

/**
 * One batch is in the writer at a time: appends arriving during its commit (and fsync) queue up
 * and go together in the next batch, so batching grows with load, positions are handed out in
 * order and subscribers are notified in commit order. An append resolves only after the writer's
 * COMMIT returned, i.e. once it is durable.
 */
export class WorkerCommitter {
  private queue: Queued[] = [];
  private inFlight: Queued[] | undefined;
  /** performance.now() when the batch in flight was posted. */
  private sentAt = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private nextId = 0;
  private broken: StoreUnavailableError | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly listeners = new Set<CommitListener>();
  private readonly worker: Worker;
  readonly stats: CommitStats = { transactions: 0, appends: 0, largestBatch: 0 };

  constructor(
    path: string,
    extraPragmas: readonly string[],
    private readonly maxBatch: number = DEFAULT_MAX_BATCH,
    /** Told of each batch that took SLOW_BATCH_MS or more from post to result, with where the time went. */
    private readonly onSlowBatch?: SlowBatchListener,
  ) {
    this.worker = new Worker(WORKER_URL, {
      workerData: {
        path,
        pragmas: [...DURABILITY_PRAGMAS, ...MEMORY_PRAGMAS, ...extraPragmas],
        createTable: CREATE_EVENTS_TABLE,
        busyTimeoutMs: BUSY_TIMEOUT_MS,
      },
    });
    // Idle, the writer must not keep the process alive; busy, it must (someone awaits the commit).
    this.worker.unref();
    this.worker.on('message', (msg: WriterResult) => this.settle(msg));
    this.worker.on('error', (error) => this.fail(new StoreUnavailableError(`SQLite writer failed: ${error.message}`, error)));
    this.worker.on('exit', () => this.fail(new StoreUnavailableError('SQLite writer exited')));
  }

  enqueue(unit: PendingUnit): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.queue.push({ unit, resolve, reject });
      if (!this.inFlight) this.scheduled ??= setImmediate(() => this.send());
    });
  }

  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once everything queued so far is committed (used by close). */
  async drain(): Promise<void> {
    while (!this.broken && (this.inFlight || this.queue.length > 0)) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** Rejects anything still queued and stops the writer, which closes its connection. */
  async close(): Promise<void> {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.fail(new StoreUnavailableError('event store is closed'));
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.ref(); // whoever awaits close must not see the process exit first
    this.worker.postMessage({ type: 'close' });
    await exited;
  }

  private send(): void {
    this.scheduled = undefined;
    if (this.inFlight || this.queue.length === 0 || this.broken) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight = batch;
    this.worker.ref();
    this.sentAt = performance.now();
    this.worker.postMessage({ type: 'batch', id: this.nextId++, units: batch.map((q) => q.unit) });
  }

  private settle({ outcomes, writerMs, phases }: WriterResult): void {
    const batch = this.inFlight ?? [];
    this.inFlight = undefined;
    if (this.onSlowBatch) this.reportIfSlow(batch, writerMs, phases);
    notifyCommit(this.listeners, settleBatch(batch, outcomes, this.stats));
    if (this.queue.length > 0) this.send();
    else this.idle();
  }

  private reportIfSlow(batch: readonly Queued[], writerMs: number, phases: BatchPhases | undefined): void {
    const totalMs = performance.now() - this.sentAt;
    if (totalMs < SLOW_BATCH_MS) return;
    const slow = slowBatch(batch.map((q) => q.unit), totalMs, writerMs, phases);
    try {
      if (slow) this.onSlowBatch?.(slow);
    } catch {
      // a report that cannot be made must not leave the batch's callers unsettled
    }
  }

  private idle(): void {
    this.worker.unref();
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private fail(error: StoreUnavailableError): void {
    this.broken ??= error;
    for (const queued of [...(this.inFlight ?? []), ...this.queue.splice(0)]) queued.reject(error);
    this.inFlight = undefined;
    this.idle();
  }
}
