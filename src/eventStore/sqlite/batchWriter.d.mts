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

export function writeBatch(db: Database.Database, statements: WriteStatements, units: PendingUnit[]): BatchOutcome[];
