// Settles a committed batch for both committers: each caller's results or typed error, the stats, the live subscribers.
import { StoreUnavailableError, WrongExpectedVersionError, type AppendResult, type RecordedEvent } from '../types.ts';
import type { SerializedEvent } from '../validate.ts';
import type { BatchOutcome, PendingUnit, WrittenPart } from './batchWriter.mjs';
import { decodeWritten } from './rows.ts';

export type { PendingAppend, PendingUnit } from './batchWriter.mjs';

/** Where each written event landed, for live subscribers. */
export interface WrittenEvent {
  stream: string;
  revision: bigint;
  position: bigint;
  event: SerializedEvent;
}

export interface CommitStats {
  /** Transactions committed (or attempted): each is one WAL fsync under synchronous=FULL. */
  transactions: number;
  /** Appends handled, successful or not. */
  appends: number;
  /** Largest number of appends that shared one transaction. */
  largestBatch: number;
}

/** An outcome as the writer thread posts it: a failure travels as its message (writerWorker.mjs). */
export type PostedOutcome = Exclude<BatchOutcome, { failure: unknown }> | { ok: false; message?: string };

export interface Queued {
  unit: PendingUnit;
  resolve(results: AppendResult[]): void;
  reject(error: Error): void;
}

export type CommitListener = (events: RecordedEvent[]) => void;

function toUnavailable(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`event store write failed: ${message}`, error);
}

/** failures: one error per thrown value, so a failed transaction gives every caller the same error. */
function outcomeError(outcome: Exclude<BatchOutcome | PostedOutcome, { ok: true }>, failures: Map<unknown, StoreUnavailableError>): Error {
  if ('wrong' in outcome) return new WrongExpectedVersionError(outcome.wrong.stream, outcome.wrong.expected, outcome.wrong.actual);
  if ('failure' in outcome) {
    let error = failures.get(outcome.failure);
    if (!error) failures.set(outcome.failure, (error = toUnavailable(outcome.failure)));
    return error;
  }
  return new StoreUnavailableError(outcome.message ?? 'event store write failed');
}

function results(unit: PendingUnit, parts: WrittenPart[], written: WrittenEvent[]): AppendResult[] {
  return unit.map((part, i) => {
    const { firstRevision, positions } = parts[i];
    part.events.forEach((event, j) => written.push({ stream: part.stream, revision: firstRevision + BigInt(j), position: positions[j], event }));
    return { nextExpectedRevision: firstRevision + BigInt(positions.length) - 1n, position: positions.at(-1) ?? 0n };
  });
}

/** Resolves or rejects every caller of the batch (outcomes in batch order) and counts it; returns what was written. */
export function settleBatch(batch: readonly Queued[], outcomes: readonly (BatchOutcome | PostedOutcome)[], stats: CommitStats): WrittenEvent[] {
  stats.transactions += 1;
  stats.appends += batch.length;
  stats.largestBatch = Math.max(stats.largestBatch, batch.length);
  const written: WrittenEvent[] = [];
  const failures = new Map<unknown, StoreUnavailableError>();
  batch.forEach((queued, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) queued.resolve(results(queued.unit, outcome.parts, written));
    else queued.reject(outcomeError(outcome, failures));
  });
  return written;
}

/** Tells live subscribers about the events of one commit, decoded once for all of them. */
export function notifyCommit(listeners: ReadonlySet<CommitListener>, written: WrittenEvent[]): void {
  if (written.length === 0 || listeners.size === 0) return;
  const events = decodeWritten(written);
  for (const listener of listeners) listener(events);
}
