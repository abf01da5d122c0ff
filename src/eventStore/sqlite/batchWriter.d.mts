// Types of batchWriter.mjs, the plain-JS batch writer shared by both committers.
import type Database from 'better-sqlite3';
import type { ExpectedRevision } from '../types.ts';
import type { SerializedEvent } from '../validate.ts';

export interface PendingAppend {
  stream: string;
  events: SerializedEvent[];
  expected: ExpectedRevision;
}

/** An appendMany: its parts are written together or not at all. */
export type PendingUnit = PendingAppend[];

/** Where one part's events landed: revisions run on from firstRevision, one position per event. */
export interface WrittenPart {
  firstRevision: bigint;
  positions: bigint[];
}

export type BatchOutcome =
  | { ok: true; parts: WrittenPart[] }
  | { ok: false; wrong: { stream: string; expected: ExpectedRevision; actual: bigint | 'no_stream' } }
  | { ok: false; failure: unknown };

export function prepareWriteStatements(db: Database.Database): {
  lastRevision: Database.Statement<[string], { revision: bigint }>;
  insert: Database.Statement<[string, bigint, string, string, string, string]>;
  savepoint: Database.Statement;
  release: Database.Statement;
  rollbackToSavepoint: Database.Statement;
};

export type WriteStatements = ReturnType<typeof prepareWriteStatements>;

/** A batch whose writing took this long (ms) is reported with its phases. */
export const SLOW_BATCH_MS: number;

/** How long (ms) each step of one batch took; a step not reached (the batch failed before it) stays 0. */
export interface BatchPhases {
  /** BEGIN IMMEDIATE: the wait for the write lock (SQLite's busy handler) if another connection holds it. */
  beginMs: number;
  /** The inserts of every unit, in their savepoints. */
  insertMs: number;
  /** COMMIT: the WAL fsync, and SQLite's automatic checkpoint when one is due. */
  commitMs: number;
}

export function writeBatch(db: Database.Database, statements: WriteStatements, units: PendingUnit[], phases?: BatchPhases): BatchOutcome[];
