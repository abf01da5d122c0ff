// The SQLite event table, its pragmas and prepared statements, in one place.
import type Database from 'better-sqlite3';
import { prepareWriteStatements } from './batchWriter.mjs';

/**
 * WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit, so an
 * acknowledged append survives kill -9 and power loss (NORMAL would only survive a process crash).
 */
export const DURABILITY_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL'] as const;

/**
 * The page cache of every connection (KiB when negative). better-sqlite3 builds SQLite with a 16 MB default
 * (SQLITE_DEFAULT_CACHE_SIZE=-16000), and the writer's cache filled up with every page it appended: at 5000
 * ports it was 18 MB of esdn's 160 MB settled RSS (BENCHMARKS.md, "RSS at 5000 ports, part 2"). Appends touch
 * the rightmost pages of the table and the (stream, revision) index, reads scan by position, so SQLite's
 * own default of 2 MB keeps what is hot; a miss is a read from the OS page cache.
 */
export const CACHE_SIZE_KIB = 2_000;
export const MEMORY_PRAGMAS = [`cache_size = -${CACHE_SIZE_KIB}`] as const;

/** How long a second process holding the write lock may delay us before a commit fails. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * position is the rowid without AUTOINCREMENT: max+1 on insert, and rows are never deleted, so
 * committed positions are dense (a rolled-back savepoint leaves no hole). Live subscriptions rely
 * on that to notice commits made through another connection.
 */
export const CREATE_EVENTS_TABLE = `
CREATE TABLE IF NOT EXISTS events (
  position INTEGER PRIMARY KEY,
  stream   TEXT    NOT NULL,
  revision INTEGER NOT NULL,
  id       TEXT    NOT NULL,
  type     TEXT    NOT NULL,
  data     TEXT    NOT NULL,
  metadata TEXT    NOT NULL,
  UNIQUE (stream, revision)
) STRICT`;

const COLUMNS = 'position, stream, revision, id, type, data, metadata';

/** A row as stored; integers come back as bigint (safeIntegers) so u64-sized values stay exact. */
export interface EventRow {
  position: bigint;
  stream: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
}

export function prepareStatements(db: Database.Database) {
  const statements = {
    readStream: db.prepare<[string, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readPage: db.prepare<[bigint, bigint, number], EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    ),
    head: db.prepare<[], { head: bigint | null }>('SELECT max(position) AS head FROM events'),
  };
  for (const statement of Object.values(statements)) statement.safeIntegers(true);
  // rows as arrays, not objects, and only what a replay reads: it reads a million of them (rows.ts decodeReplayRows)
  const readReplayPage = db.prepare<[bigint, bigint, number], unknown[]>(
    'SELECT position, id, type, data, metadata FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?',
  ).safeIntegers(true).raw(true);
  return { ...statements, ...prepareWriteStatements(db), readReplayPage };
}

export type Statements = ReturnType<typeof prepareStatements>;
