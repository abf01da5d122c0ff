// Writes a batch of appends in one SQLite transaction (one fsync), each append in its own savepoint.
import type Database from 'better-sqlite3';
import {
  StoreUnavailableError,
  WrongExpectedVersionError,
  type AppendResult,
  type ExpectedRevision,
} from '../types.ts';
import type { SerializedEvent } from '../validate.ts';
import type { Statements } from './schema.ts';

export interface PendingAppend {
  stream: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

/** Where each written event landed, for live subscribers. */
export interface WrittenEvent {
  stream: string;
  revision: bigint;
  position: bigint;
  event: SerializedEvent;
}

/** An appendMany: its parts are written together or not at all. */
export type PendingUnit = PendingAppend[];

export type AppendOutcome =
  | { ok: true; results: AppendResult[]; written: WrittenEvent[] }
  | { ok: false; error: Error };

function checkExpected(stream: string, expected: ExpectedRevision, current: bigint | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedVersionError(stream, expected, current ?? 'no_stream');
}

function writePart(statements: Statements, append: PendingAppend, written: WrittenEvent[]): AppendResult {
  const current = statements.lastRevision.get(append.stream)?.revision;
  checkExpected(append.stream, append.expected, current);
  let revision = current ?? -1n;
  let position = 0n;
  for (const event of append.events) {
    revision += 1n;
    const info = statements.insert.run(append.stream, revision, event.id, event.type, event.data, event.metadata);
    position = BigInt(info.lastInsertRowid);
    written.push({ stream: append.stream, revision, position, event });
  }
  return { nextExpectedRevision: revision, position };
}

function writeUnit(statements: Statements, unit: PendingUnit): AppendOutcome {
  const written: WrittenEvent[] = [];
  const results = unit.map((part) => writePart(statements, part, written));
  return { ok: true, results, written };
}

export function toUnavailable(error: unknown): StoreUnavailableError {
  if (error instanceof StoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`event store write failed: ${message}`, error);
}

/** One unit inside its savepoint: a wrong revision or a failed insert undoes only this unit. */
function attempt(db: Database.Database, statements: Statements, unit: PendingUnit): AppendOutcome {
  statements.savepoint.run();
  try {
    const outcome = writeUnit(statements, unit);
    statements.release.run();
    return outcome;
  } catch (error) {
    // SQLite rolls back the whole transaction itself after some I/O errors; then the batch is lost.
    if (!db.inTransaction) throw error;
    statements.rollbackToSavepoint.run();
    statements.release.run();
    return { ok: false, error: error instanceof WrongExpectedVersionError ? error : toUnavailable(error) };
  }
}

/**
 * Commits the batch: every append gets its own outcome. If the transaction itself fails (disk full,
 * I/O error), nothing of the batch is written and every append gets a StoreUnavailableError.
 */
export function commitBatch(db: Database.Database, statements: Statements, batch: PendingUnit[]): AppendOutcome[] {
  try {
    db.exec('BEGIN IMMEDIATE');
    const outcomes = batch.map((unit) => attempt(db, statements, unit));
    db.exec('COMMIT');
    return outcomes;
  } catch (error) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection is already broken; the error below tells every caller
      }
    }
    const unavailable = toUnavailable(error);
    return batch.map(() => ({ ok: false, error: unavailable }));
  }
}
