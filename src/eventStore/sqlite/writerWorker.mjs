// Writer thread of the SQLite store: owns the writing connection, commits batches (and fsyncs) off the main thread.
// Plain JavaScript so it loads under node, tsx and vitest without a TypeScript loader in the worker; the batch
// itself is written by batchWriter.mjs, the same code the in-thread (':memory:') committer runs.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareWriteStatements, writeBatch } from './batchWriter.mjs';

const { path, pragmas, createTable, busyTimeoutMs } = workerData;
let db;
let st;
let openError;
try {
  db = new Database(path, { timeout: busyTimeoutMs });
  for (const pragma of pragmas) db.pragma(pragma);
  db.exec(createTable);
  st = prepareWriteStatements(db);
} catch (error) {
  openError = `cannot open writer connection: ${error.message}`;
}

/** A thrown value becomes its message: an SQLite error's class and fields would not survive postMessage. */
function postable(outcome) {
  if (!('failure' in outcome)) return outcome;
  const { failure } = outcome;
  return { ok: false, message: `event store write failed: ${failure instanceof Error ? failure.message : String(failure)}` };
}

function commit(units) {
  if (openError) return units.map(() => ({ ok: false, message: openError }));
  return writeBatch(db, st, units).map(postable);
}

parentPort.on('message', (msg) => {
  if (msg.type === 'batch') {
    parentPort.postMessage({ id: msg.id, outcomes: commit(msg.units) });
  } else if (msg.type === 'close') {
    db?.close();
    parentPort.close();
  }
});
