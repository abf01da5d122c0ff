// Reader thread of a replay: reads a log range from its own read-only connection and posts it a batch at a time, a few batches ahead.
// Plain JavaScript so it loads under node, tsx and vitest without a TypeScript loader in the worker (like writerWorker.mjs).
//
// A batch travels as text, not as parsed events: structured clone of parsed objects costs more than the
// JSON.parse it would save (BENCHMARKS.md "Auditing"), while one string per batch is a memcpy. So the main
// thread still parses, once per batch, but no longer reads SQLite or builds a row per event. The layout is
// described in readAhead.ts (ReadAheadBatch). Texts are not parsed here (that would cost this thread as
// much as it saves the main one): the main thread finds a corrupt row when the batch does not parse.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { path, after, upTo, size, ahead, control, busyTimeoutMs, pragmas = [] } = workerData;
/** Shared with the main thread: [CONSUMED] batches it has taken, [STOP] non-zero once it wants no more. */
const ctl = new Int32Array(control);
const CONSUMED = 0;
const STOP = 1;

/** One batch of raw rows (position, id, type, data, metadata) as a few strings and typed arrays. */
function encode(rows, previousMeta) {
  const n = rows.length;
  const positions = new BigInt64Array(n);
  const typeIndex = new Uint32Array(n);
  const metaIndex = new Uint32Array(n);
  const idEnds = new Uint32Array(n);
  const dataEnds = new Uint32Array(n);
  const types = [];
  const typeOf = new Map();
  const metas = [];
  let data = '[';
  let ids = '';
  let lastMeta;
  for (let i = 0; i < n; i++) {
    const [position, id, type, d, m] = rows[i];
    positions[i] = position;
    let t = typeOf.get(type);
    if (t === undefined) {
      t = types.length;
      types.push(type);
      typeOf.set(type, t);
    }
    typeIndex[i] = t;
    if (m !== lastMeta) {
      metas.push(m);
      lastMeta = m;
    }
    metaIndex[i] = metas.length - 1;
    data += i === 0 ? d : `,${d}`;
    dataEnds[i] = data.length;
    ids += id;
    idEnds[i] = ids.length;
  }
  // the first run continues the previous batch's last one: the main thread keeps sharing its parsed object
  const continues = metas[0] === previousMeta;
  const batch = { n, positions, typeIndex, metaIndex, idEnds, dataEnds, types, ids, data: `${data}]`, metas, continues };
  return { batch, lastMeta, transfer: [positions.buffer, typeIndex.buffer, metaIndex.buffer, idEnds.buffer, dataEnds.buffer] };
}

/** Blocks until the main thread has room for one more batch; false once it wants no more. */
function awaitCredit(sent) {
  for (;;) {
    if (Atomics.load(ctl, STOP) !== 0) return false;
    const consumed = Atomics.load(ctl, CONSUMED);
    if (sent - consumed < ahead) return true;
    Atomics.wait(ctl, CONSUMED, consumed);
  }
}

function run() {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  for (const pragma of pragmas) db.pragma(pragma);
  try {
    const page = db
      .prepare('SELECT position, id, type, data, metadata FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?')
      .safeIntegers(true)
      .raw(true);
    let last = after;
    let sent = 0;
    let previousMeta;
    while (awaitCredit(sent)) {
      const rows = page.all(last, upTo, size);
      if (rows.length === 0) break;
      const { batch, lastMeta, transfer } = encode(rows, previousMeta);
      parentPort.postMessage({ batch }, transfer);
      previousMeta = lastMeta;
      last = rows[rows.length - 1][0];
      sent += 1;
    }
  } finally {
    db.close();
  }
}

try {
  run();
  parentPort.postMessage({ done: true });
} catch (error) {
  // an SQLite error's class and fields would not survive postMessage: its message does
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
