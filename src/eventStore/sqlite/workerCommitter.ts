// Group commit through the writer thread: the fsync no longer blocks the event loop.
import { Worker } from 'node:worker_threads';
import {
  StoreUnavailableError,
  WrongExpectedVersionError,
  type AppendResult,
  type ExpectedRevision,
  type RecordedEvent,
} from '../types.ts';
import type { PendingUnit, WrittenEvent } from './commitBatch.ts';
import type { CommitStats } from './groupCommitter.ts';
import { DEFAULT_MAX_BATCH } from './groupCommitter.ts';
import { decodeWritten } from './rows.ts';
import { BUSY_TIMEOUT_MS, CREATE_EVENTS_TABLE, DURABILITY_PRAGMAS } from './schema.ts';

const WORKER_URL = new URL('./writerWorker.mjs', import.meta.url);

interface Queued {
  unit: PendingUnit;
  resolve(results: AppendResult[]): void;
  reject(error: Error): void;
}

type WorkerOutcome =
  | { ok: true; parts: { firstRevision: bigint; positions: bigint[] }[] }
  | { ok: false; wrong?: { stream: string; expected: ExpectedRevision; actual: bigint | 'no_stream' }; message?: string };

type CommitListener = (events: RecordedEvent[]) => void;

/**
 * One batch is in the writer at a time: appends arriving during its commit (and fsync) queue up
 * and go together in the next batch, so batching grows with load, positions are handed out in
 * order and subscribers are notified in commit order. An append resolves only after the writer's
 * COMMIT returned, i.e. once it is durable.
 */
export class WorkerCommitter {
  private queue: Queued[] = [];
  private inFlight: Queued[] | undefined;
  private scheduled: NodeJS.Immediate | undefined;
  private nextId = 0;
  private broken: StoreUnavailableError | undefined;
  private idleWaiters: (() => void)[] = [];
  private readonly listeners = new Set<CommitListener>();
  private readonly worker: Worker;
  readonly stats: CommitStats = { transactions: 0, appends: 0, largestBatch: 0 };

  constructor(path: string, extraPragmas: readonly string[], private readonly maxBatch: number = DEFAULT_MAX_BATCH) {
    this.worker = new Worker(WORKER_URL, {
      workerData: {
        path,
        pragmas: [...DURABILITY_PRAGMAS, ...extraPragmas],
        createTable: CREATE_EVENTS_TABLE,
        busyTimeoutMs: BUSY_TIMEOUT_MS,
      },
    });
    // Idle, the writer must not keep the process alive; busy, it must (someone awaits the commit).
    this.worker.unref();
    this.worker.on('message', (msg: { outcomes: WorkerOutcome[] }) => this.settle(msg.outcomes));
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
    this.worker.postMessage({ type: 'batch', id: this.nextId++, units: batch.map((q) => q.unit) });
  }

  private settle(outcomes: WorkerOutcome[]): void {
    const batch = this.inFlight ?? [];
    this.inFlight = undefined;
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const written: WrittenEvent[] = [];
    batch.forEach((queued, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) queued.resolve(this.results(queued.unit, outcome.parts, written));
      else if (outcome.wrong) queued.reject(new WrongExpectedVersionError(outcome.wrong.stream, outcome.wrong.expected, outcome.wrong.actual));
      else queued.reject(new StoreUnavailableError(outcome.message ?? 'event store write failed'));
    });
    this.notify(written);
    if (this.queue.length > 0) this.send();
    else this.idle();
  }

  private results(unit: PendingUnit, parts: { firstRevision: bigint; positions: bigint[] }[], written: WrittenEvent[]): AppendResult[] {
    return unit.map((part, i) => {
      const { firstRevision, positions } = parts[i];
      part.events.forEach((event, j) => written.push({ stream: part.stream, revision: firstRevision + BigInt(j), position: positions[j], event }));
      return { nextExpectedRevision: firstRevision + BigInt(positions.length) - 1n, position: positions.at(-1) ?? 0n };
    });
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

  private notify(written: WrittenEvent[]): void {
    if (written.length === 0 || this.listeners.size === 0) return;
    const events = written.map(decodeWritten);
    for (const listener of this.listeners) listener(events);
  }
}
