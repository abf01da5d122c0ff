// Writer thread of the SQLite store: owns the writing connection, commits batches (and fsyncs) off the main thread.
// Plain JavaScript so it loads under node, tsx and vitest without a TypeScript loader in the worker.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, pragmas, createTable, busyTimeoutMs } = workerData;
let db;
let st;
let openError;
try {
  db = new Database(path, { timeout: busyTimeoutMs });
  for (const pragma of pragmas) db.pragma(pragma);
  db.exec(createTable);
  st = {
    lastRevision: db.prepare('SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1'),
    insert: db.prepare('INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
    savepoint: db.prepare('SAVEPOINT append'),
    release: db.prepare('RELEASE append'),
    rollback: db.prepare('ROLLBACK TO append'),
  };
  for (const s of Object.values(st)) s.safeIntegers(true);
} catch (error) {
  openError = `cannot open writer connection: ${error.message}`;
}

/** A wrong expected revision: carried back as data, the main thread rebuilds the typed error. */
class Wrong {
  constructor(stream, expected, actual) {
    Object.assign(this, { stream, expected, actual });
  }
}

function writePart(part) {
  const current = st.lastRevision.get(part.stream)?.revision;
  const e = part.expected;
  const ok =
    e === 'any' ||
    (e === 'no_stream' && current === undefined) ||
    (e === 'stream_exists' && current !== undefined) ||
    (typeof e === 'bigint' && current === e);
  if (!ok) throw new Wrong(part.stream, e, current ?? 'no_stream');
  let revision = current ?? -1n;
  const positions = [];
  for (const ev of part.events) {
    revision += 1n;
    positions.push(BigInt(st.insert.run(part.stream, revision, ev.id, ev.type, ev.data, ev.metadata).lastInsertRowid));
  }
  return { firstRevision: (current ?? -1n) + 1n, positions };
}

function attempt(unit) {
  st.savepoint.run();
  try {
    const parts = unit.map(writePart);
    st.release.run();
    return { ok: true, parts };
  } catch (error) {
    // SQLite rolls back the whole transaction itself after some I/O errors; then the batch is lost.
    if (!db.inTransaction) throw error;
    st.rollback.run();
    st.release.run();
    if (error instanceof Wrong) return { ok: false, wrong: { ...error } };
    return { ok: false, message: `event store write failed: ${error.message}` };
  }
}

function commit(units) {
  if (openError) return units.map(() => ({ ok: false, message: openError }));
  try {
    db.exec('BEGIN IMMEDIATE');
    const outcomes = units.map(attempt);
    db.exec('COMMIT');
    return outcomes;
  } catch (error) {
    if (db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // the connection is broken; every caller is told below
      }
    }
    const message = `event store write failed: ${error.message}`;
    return units.map(() => ({ ok: false, message }));
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'batch') {
    parentPort.postMessage({ id: msg.id, outcomes: commit(msg.units) });
  } else if (msg.type === 'close') {
    db?.close();
    parentPort.close();
  }
});
