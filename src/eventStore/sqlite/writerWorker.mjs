// Writer thread of the SQLite store: owns the writing connection, commits batches (and fsyncs) off the main thread.
// Plain JavaScript so it loads under node, tsx and vitest without a TypeScript loader in the worker; the batch
// itself is written by batchWriter.mjs, the same code the in-thread (':memory:') committer runs.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareWriteStatements, SLOW_BATCH_MS, writeBatch } from './batchWriter.mjs';

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

/** Reused for every batch: timing a batch allocates nothing. */
const phases = { beginMs: 0, insertMs: 0, commitMs: 0 };

function commit(units) {
  if (openError) return units.map(() => ({ ok: false, message: openError }));
  return writeBatch(db, st, units, phases).map(postable);
}

/**
 * The result of a batch: its outcomes and how long the writer spent on it; the phases go along only when
 * that was SLOW_BATCH_MS or more, so a fast batch costs one number more in the message it posts anyway.
 */
function result(id, units) {
  const outcomes = commit(units);
  const writerMs = phases.beginMs + phases.insertMs + phases.commitMs;
  return writerMs < SLOW_BATCH_MS ? { id, outcomes, writerMs } : { id, outcomes, writerMs, phases: { ...phases } };
}

parentPort.on('message', (msg) => {
  if (msg.type === 'batch') {
    parentPort.postMessage(result(msg.id, msg.units));
  } else if (msg.type === 'close') {
    db?.close();
    parentPort.close();
  }
});
