// Counts work in flight that a pause of the main thread would hold up: HTTP requests being handled, appends awaiting durability.
//
// The idle compactor (./idleCompactor.ts) reads it: a compaction is a pause of ~190 ms at 5000 ports,
// and a request already in flight when it starts waits it out (the event loop's utilization cannot
// tell: a request waiting on its body, or on an fsync in the writer thread, keeps the loop idle).
import type { MiddlewareHandler } from 'hono';
import type { EventStore } from '../eventStore/types.ts';

export class InFlight {
  private inFlight = 0;

  /** Pieces of work begun and not yet ended. */
  get count(): number {
    return this.inFlight;
  }

  /** One piece of work begins; the function returned ends it (once, however often it is called). */
  begin(): () => void {
    this.inFlight++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight--;
    };
  }

  /** Counts `work` until its promise settles, whichever way. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    const end = this.begin();
    try {
      return await work();
    } finally {
      end();
    }
  }
}

/**
 * Hono middleware counting a request from the moment the app sees it (its headers arrived: the body
 * may still be on the wire) until the app's response is made.
 */
export function countRequests(inFlight: InFlight): MiddlewareHandler {
  return (c, next) => inFlight.during(next);
}

/** The store with each append (and appendMany) counted until it is durable or failed. */
export function countAppends(store: EventStore, inFlight: InFlight): EventStore {
  return {
    append: (stream, events, expectedRevision) => inFlight.during(() => store.append(stream, events, expectedRevision)),
    appendMany: (appends) => inFlight.during(() => store.appendMany(appends)),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (fromPosition) => store.subscribe(fromPosition),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
