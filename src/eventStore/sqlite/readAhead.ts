// A replay's read path on a second thread: the reader worker reads SQLite while the main thread folds the previous batch.
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError, type EventMetadata } from '../types.ts';
import type { ReplayEvent } from './rows.ts';
import { BUSY_TIMEOUT_MS, MEMORY_PRAGMAS } from './schema.ts';

const WORKER_URL = new URL('./readerWorker.mjs', import.meta.url);

/** Batches the worker may have posted and the main thread not yet taken: a few, so a reader thread that loses its core for a moment does not stall the fold (~0.5 MB each at 2,000 events). */
export const READ_AHEAD_BATCHES = 4;

/** Int32 slots of the control buffer shared with the worker (readerWorker.mjs). */
const CONSUMED = 0;
const STOP = 1;
const CONTROL_SLOTS = 2;

/**
 * One batch as the worker posts it: per event, its position, its type (an index into `types`), its
 * metadata (an index into `metas`, one text per run of equal texts), the end of its id in `ids` (ids
 * concatenated) and the end of its data text in `data`, the JSON array of the events' data texts.
 * `continues`: the first metadata is the same text as the previous batch's last (its parsed object is reused).
 */
interface ReadAheadBatch {
  n: number;
  positions: BigInt64Array;
  typeIndex: Uint32Array;
  metaIndex: Uint32Array;
  idEnds: Uint32Array;
  dataEnds: Uint32Array;
  types: string[];
  ids: string;
  data: string;
  metas: string[];
  continues: boolean;
}

type WorkerMessage = { batch: ReadAheadBatch } | { done: true } | { error: string };

export interface ReadAheadOptions {
  /** The worker script; tests substitute one that fails. */
  workerUrl?: URL;
}

/** Messages from the worker, taken one at a time; an error or exit ends the stream after what came before it. */
class Inbox {
  private readonly queue: WorkerMessage[] = [];
  private waiting: ((m: WorkerMessage) => void) | undefined;
  private failure: string | undefined;

  push(message: WorkerMessage): void {
    if (this.waiting === undefined) this.queue.push(message);
    else {
      const wake = this.waiting;
      this.waiting = undefined;
      wake(message);
    }
  }

  fail(reason: string): void {
    this.failure ??= reason;
    if (this.waiting !== undefined) this.push({ error: this.failure });
  }

  next(): Promise<WorkerMessage> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure !== undefined) return Promise.resolve({ error: this.failure });
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

function corrupt(position: bigint, cause?: unknown): StoreUnavailableError {
  return new StoreUnavailableError(`corrupt event at position ${position}: stored JSON does not parse`, cause);
}

/**
 * The batch's data, one JSON.parse for all. Each stored text is one JSON value, so the array has one
 * element per event unless a text does not parse: then the texts are parsed one by one to name it.
 */
function parseData(b: ReadAheadBatch): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(b.data);
  } catch {
    data = undefined;
  }
  if (Array.isArray(data) && data.length === b.n) return data;
  let start = 1; // after '['
  for (let i = 0; i < b.n; i++) {
    try {
      JSON.parse(b.data.slice(start, b.dataEnds[i]));
    } catch (error) {
      throw corrupt(b.positions[i], error);
    }
    start = b.dataEnds[i] + 1; // after ','
  }
  throw new StoreUnavailableError(`replay reader sent a batch from position ${b.positions[0]} that does not parse`);
}

function parseMetas(b: ReadAheadBatch, previous: EventMetadata | undefined): EventMetadata[] {
  const out = new Array<EventMetadata>(b.metas.length);
  let i = 0;
  for (let k = 0; k < b.metas.length; k++) {
    while (b.metaIndex[i] !== k) i++; // the run's first event, for the error message
    if (k === 0 && b.continues && previous !== undefined) out[k] = previous;
    else {
      try {
        out[k] = JSON.parse(b.metas[k]) as EventMetadata;
      } catch (error) {
        throw corrupt(b.positions[i], error);
      }
    }
  }
  return out;
}

/** The events of one batch, in order; `previous` is the last metadata object of the batch before. */
function decodeBatch(b: ReadAheadBatch, previous: EventMetadata | undefined): ReplayEvent[] {
  const data = parseData(b);
  const metas = parseMetas(b, previous);
  const out = new Array<ReplayEvent>(b.n);
  let idStart = 0;
  for (let i = 0; i < b.n; i++) {
    const idEnd = b.idEnds[i];
    out[i] = { position: b.positions[i], id: b.ids.slice(idStart, idEnd), type: b.types[b.typeIndex[i]], data: data[i], metadata: metas[b.metaIndex[i]] };
    idStart = idEnd;
  }
  return out;
}

/**
 * The events in (after, upTo] of the SQLite log at `path`, in order, as non-empty batches of at most
 * `size`, read by a worker thread with its own read-only connection. Breaking out of the loop stops
 * the worker; a worker that fails or exits early ends the loop with a StoreUnavailableError.
 */
export async function* readAhead(path: string, after: bigint, upTo: bigint, size: number, options: ReadAheadOptions = {}): AsyncGenerator<ReplayEvent[]> {
  const control = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const ctl = new Int32Array(control);
  const inbox = new Inbox();
  const worker = new Worker(options.workerUrl ?? WORKER_URL, {
    workerData: { path, after, upTo, size, ahead: READ_AHEAD_BATCHES, control, busyTimeoutMs: BUSY_TIMEOUT_MS, pragmas: MEMORY_PRAGMAS },
  });
  worker.on('message', (m: WorkerMessage) => inbox.push(m));
  worker.on('error', (error) => inbox.fail(`replay reader failed: ${error.message}`));
  worker.on('exit', (code) => inbox.fail(`replay reader exited (code ${code}) before the end of the range`));
  try {
    let previous: EventMetadata | undefined;
    for (;;) {
      // the worker keeps the process alive only while the loop waits for it: a loop left suspended
      // (never finished nor broken out of) must not hold the process open forever
      worker.ref();
      const message = await inbox.next();
      worker.unref();
      if ('error' in message) throw new StoreUnavailableError(`cannot read the log at ${path}: ${message.error}`);
      if ('done' in message) return;
      const events = decodeBatch(message.batch, previous);
      previous = events[events.length - 1].metadata;
      // taken: the worker may read the next batch while this one is folded
      Atomics.add(ctl, CONSUMED, 1);
      Atomics.notify(ctl, CONSUMED);
      yield events;
    }
  } finally {
    Atomics.store(ctl, STOP, 1);
    Atomics.notify(ctl, CONSUMED);
    await worker.terminate();
  }
}
