// Catch-up subscription on KurrentDB's subscribeToAll, without system events, resumable from a position.
import { excludeSystemEvents, type AllStreamResolvedEvent, type AllStreamSubscription } from '@kurrent/kurrentdb-client';
import type { RecordedEvent, Subscription } from '../types.ts';
import { fromResolved, isSystemEvent } from './convert.ts';
import { mapKurrentError } from './errors.ts';
import { subscriptionIterator } from '../subscriptionIterator.ts';

/**
 * KurrentDB does the catch-up-then-live switch server-side; we only map events, drop system ones,
 * and drop anything at or before the last delivered position (the start is exclusive).
 */
export class KurrentSubscription implements Subscription {
  private closed = false;
  private readonly iterator: AsyncIterator<AllStreamResolvedEvent>;

  constructor(
    private readonly source: AllStreamSubscription,
    private lastPosition: bigint,
    private readonly onClose: (subscription: KurrentSubscription) => void,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  static filter() {
    return excludeSystemEvents();
  }

  async next(): Promise<IteratorResult<RecordedEvent>> {
    while (!this.closed) {
      let result: IteratorResult<AllStreamResolvedEvent>;
      try {
        result = await this.iterator.next();
      } catch (error) {
        if (this.closed) break;
        await this.close();
        throw mapKurrentError(error);
      }
      if (result.done) break;
      if (isSystemEvent(result.value)) continue;
      const event = fromResolved(result.value);
      if (event.position <= this.lastPosition) continue;
      this.lastPosition = event.position;
      return { value: event, done: false };
    }
    return { value: undefined, done: true };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    try {
      await this.source.unsubscribe();
    } catch {
      // the server may already be gone; the subscription is over either way
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return subscriptionIterator(this);
  }
}
