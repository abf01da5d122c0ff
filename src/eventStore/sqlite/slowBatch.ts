// A batch the writer thread was slow to make durable, and where its time went: the report the store hands to its owner.
import { SLOW_BATCH_MS, type BatchPhases, type PendingUnit } from './batchWriter.mjs';

export { SLOW_BATCH_MS };

/**
 * Where a slow batch spent most of its time:
 * - begin: BEGIN IMMEDIATE, i.e. waiting for the write lock another connection held (SQLite's busy handler);
 * - insert: the inserts themselves;
 * - commit: COMMIT, the WAL fsync (and SQLite's automatic checkpoint when one was due);
 * - outside: not in the writer at all: posting the batch, the writer thread waiting for a core, or the
 *   main thread not running its event loop when the result came back (a long task, a GC pause);
 * - writer: the writer, in under SLOW_BATCH_MS, so not broken down (the batch was slow only with what came outside).
 */
export type SlowPhase = 'begin' | 'insert' | 'commit' | 'outside' | 'writer';

export interface SlowBatch {
  /** Appends (units of appendMany) in the batch, and the events they carried. */
  appends: number;
  events: number;
  /** From posting the batch to the writer until the main thread handled its result. */
  totalMs: number;
  /** Of which in the writer's transaction, BEGIN to COMMIT. */
  writerMs: number;
  /** totalMs - writerMs. */
  outsideMs: number;
  /** The writer's steps, known when writerMs reached SLOW_BATCH_MS (the writer sends them only then). */
  phases?: BatchPhases;
  slowest: SlowPhase;
}

export type SlowBatchListener = (batch: SlowBatch) => void;

function slowestOf(outsideMs: number, writerMs: number, phases: BatchPhases | undefined): SlowPhase {
  const candidates: [SlowPhase, number][] = phases
    ? [['begin', phases.beginMs], ['insert', phases.insertMs], ['commit', phases.commitMs], ['outside', outsideMs]]
    : [['writer', writerMs], ['outside', outsideMs]];
  return candidates.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** The report of a batch, or undefined when it was not slow (under SLOW_BATCH_MS from post to result). */
export function slowBatch(units: readonly PendingUnit[], totalMs: number, writerMs: number, phases?: BatchPhases): SlowBatch | undefined {
  if (totalMs < SLOW_BATCH_MS) return undefined;
  const outsideMs = Math.max(0, totalMs - writerMs);
  let events = 0;
  for (const unit of units) for (const part of unit) events += part.events.length;
  return { appends: units.length, events, totalMs, writerMs, outsideMs, ...(phases ? { phases } : {}), slowest: slowestOf(outsideMs, writerMs, phases) };
}
