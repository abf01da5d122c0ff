// The async-iterator face of a subscription, shared by the stores: next() reads on; return() (a `break` out of for await) closes it.
import type { RecordedEvent } from './types.ts';

export interface IterableSubscription {
  next(): Promise<IteratorResult<RecordedEvent>>;
  close(): Promise<void>;
}

export function subscriptionIterator(subscription: IterableSubscription): AsyncIterator<RecordedEvent> {
  return {
    next: () => subscription.next(),
    return: async () => {
      await subscription.close();
      return { value: undefined, done: true };
    },
  };
}
