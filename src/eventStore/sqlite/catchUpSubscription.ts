// Catch-up subscription over a synchronous page reader plus in-process commit notifications.
import { StoreUnavailableError, type RecordedEvent, type Subscription } from '../types.ts';
import { subscriptionIterator } from '../subscriptionIterator.ts';

/** What the subscription needs from the store. Reads are synchronous, which is what makes it gapless. */
export interface CatchUpSource {
  readPage(after: bigint, limit: number): RecordedEvent[];
  /** Called after every commit with that commit's events in position order. Returns an unsubscribe. */
  onCommit(listener: (events: RecordedEvent[]) => void): () => void;
}

/** History is read this many events at a time. */
export const CATCH_UP_PAGE_SIZE = 500;
/** A live subscriber this far behind drops its buffer and catches up from the table again. */
export const MAX_LIVE_BUFFER = 10_000;
/** How often a waiting live subscriber looks for commits made by another process on the same file. */
export const FOREIGN_COMMIT_POLL_MS = 200;

interface Waiter {
  resolve(result: IteratorResult<RecordedEvent>): void;
  reject(error: unknown): void;
}

/**
 * Catching up: pages are read from the table; commit notifications are ignored (the table has them).
 * A page that comes back empty switches to live in the same synchronous step, so no commit can fall
 * between the last read and the first notification; positions <= the last delivered are dropped,
 * so nothing is delivered twice.
 */
export class CatchUpSubscription implements Subscription {
  private buffer: RecordedEvent[] = [];
  private live = false;
  private closed = false;
  private readonly waiters: Waiter[] = [];
  private readonly unsubscribe: () => void;
  private failure: unknown;
  private poll: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: CatchUpSource,
    /** The position of the last event already seen (exclusive start). */
    private lastPosition: bigint,
    private readonly onClose: (subscription: CatchUpSubscription) => void = () => {},
  ) {
    this.unsubscribe = source.onCommit((events) => this.receive(events));
  }

  private receive(events: RecordedEvent[]): void {
    if (!this.live || this.closed) return;
    const fresh = events.filter((event) => event.position > this.lastPosition);
    if (fresh.length > 0 && fresh[0].position !== this.lastPosition + 1n) {
      // SQLite positions are dense (rowids, nothing deleted), so a jump means another connection or
      // process committed in between: read the table rather than skip its events.
      this.live = false;
      this.pump();
      return;
    }
    for (const event of fresh) this.buffer.push(event);
    if (fresh.length > 0) this.lastPosition = fresh[fresh.length - 1].position;
    if (this.buffer.length > MAX_LIVE_BUFFER) {
      // A slow consumer: forget the buffered tail and read it back from the table later.
      this.lastPosition = this.buffer[0].position - 1n;
      this.buffer = [];
      this.live = false;
    }
    this.wake();
  }

  /** Reads the table if catching up, then hands out what it has. */
  private pump(): void {
    this.fill();
    this.wake();
  }

  /**
   * While a reader waits on a live subscription, the table is re-read now and then: commits by
   * other processes on the same file send no in-process notification.
   */
  private ensurePolling(): void {
    if (this.poll !== undefined) return;
    this.poll = setInterval(() => {
      if (this.closed || this.waiters.length === 0) return this.stopPolling();
      this.live = false;
      this.pump();
    }, FOREIGN_COMMIT_POLL_MS);
    this.poll.unref();
  }

  private stopPolling(): void {
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
  }

  private fill(): void {
    if (this.live || this.buffer.length > 0) return;
    try {
      const page = this.source.readPage(this.lastPosition, CATCH_UP_PAGE_SIZE);
      if (page.length === 0) {
        this.live = true;
        return;
      }
      this.buffer = page;
      this.lastPosition = page[page.length - 1].position;
    } catch (error) {
      this.failure = error instanceof StoreUnavailableError ? error : new StoreUnavailableError('catch-up read failed', error);
      void this.close();
    }
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.buffer.length > 0) {
      this.waiters.shift()!.resolve({ value: this.buffer.shift()!, done: false });
    }
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    this.fill();
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.waiters.length === 0 && this.buffer.length > 0) {
      return Promise.resolve({ value: this.buffer.shift()!, done: false });
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.wake();
      if (this.waiters.length > 0) this.ensurePolling();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    this.buffer = [];
    this.unsubscribe();
    this.onClose(this);
    for (const waiter of this.waiters.splice(0)) {
      // a failed read ends the subscription with the error, so a consumer cannot mistake it for an end
      if (this.failure !== undefined) waiter.reject(this.failure);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return subscriptionIterator(this);
  }
}
