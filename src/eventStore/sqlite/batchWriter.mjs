// Writes a batch of appends in one SQLite transaction (one fsync), each unit in its own savepoint: the one copy
// of this logic, run inline by the ':memory:' committer and on the writer thread by writerWorker.mjs.
// Plain JavaScript so the writer thread loads it under node, tsx and vitest without a TypeScript loader;
// outcomes are plain data (no class instances) so they cross postMessage unchanged. Types: batchWriter.d.mts.

/** The statements a write needs, prepared once: exec()-ing them per append showed up as 8-15% of a loaded server's CPU. */
export function prepareWriteStatements(db) {
  const statements = {
    lastRevision: db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
    insert: db.prepare('INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    savepoint: db.prepare('SAVEPOINT append'),
    release: db.prepare('RELEASE append'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO append'),
  };
  for (const statement of Object.values(statements)) statement.safeIntegers(true);
  return statements;
}

/** A wrong expected revision, thrown inside a unit and returned as data. */
class WrongRevision {
  constructor(stream, expected, actual) {
    Object.assign(this, { stream, expected, actual });
  }
}

function checkExpected(stream, expected, current) {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongRevision(stream, expected, current ?? 'no_stream');
}

function writePart(st, part) {
  const current = st.lastRevision.get(part.stream)?.revision;
  checkExpected(part.stream, part.expected, current);
  let revision = current ?? -1n;
  const positions = [];
  for (const ev of part.events) {
    revision += 1n;
    positions.push(BigInt(st.insert.run(part.stream, revision, ev.id, ev.type, ev.data, ev.metadata).lastInsertRowid));
  }
  return { firstRevision: (current ?? -1n) + 1n, positions };
}

/** One unit inside its savepoint: a wrong revision or a failed insert undoes only this unit. */
function attempt(db, st, unit) {
  st.savepoint.run();
  try {
    const parts = unit.map((part) => writePart(st, part));
    st.release.run();
    return { ok: true, parts };
  } catch (error) {
    // SQLite rolls back the whole transaction itself after some I/O errors; then the batch is lost.
    if (!db.inTransaction) throw error;
    st.rollbackToSavepoint.run();
    st.release.run();
    if (error instanceof WrongRevision) return { ok: false, wrong: { ...error } };
    return { ok: false, failure: error };
  }
}

/**
 * A batch whose writing took this long (ms) is reported with its phases (writerWorker.mjs): a normal one takes
 * 1-20 ms (an fsync on a loaded machine); one intent once spent 830 ms between HTTP accepted and durable (session 5).
 */
export const SLOW_BATCH_MS = 50;

/**
 * Commits the batch: every unit gets its own outcome. If the transaction itself fails (disk full,
 * I/O error), nothing of the batch is written and every unit gets the same failure.
 * `phases`, if given, gets how long (ms) each step took: BEGIN IMMEDIATE is where a write lock held by
 * another connection is waited out (SQLite's busy handler sleeps inside it), COMMIT is the WAL fsync plus
 * SQLite's automatic checkpoint when the WAL has grown past wal_autocheckpoint pages.
 */
export function writeBatch(db, st, units, phases) {
  const started = performance.now();
  let begun;
  let inserted;
  try {
    db.exec('BEGIN IMMEDIATE');
    begun = performance.now();
    const outcomes = units.map((unit) => attempt(db, st, unit));
    inserted = performance.now();
    db.exec('COMMIT');
    return outcomes;
  } catch (error) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection is already broken; the failure below tells every caller
      }
    }
    return units.map(() => ({ ok: false, failure: error }));
  } finally {
    if (phases) {
      // a step that failed lasts until the end: a BEGIN that timed out on the lock shows as a long begin
      const ended = performance.now();
      begun ??= ended;
      inserted ??= ended;
      phases.beginMs = begun - started;
      phases.insertMs = inserted - begun;
      phases.commitMs = ended - inserted;
    }
  }
}
