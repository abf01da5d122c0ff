// Test helpers for the event log: event factories, unique stream names, subscription collectors.
import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent, Subscription } from '../../src/eventStore/types.ts';

export function newEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { userId: 'user-1', projectId: 'project-1' },
      requestId: `req-${randomUUID()}`,
      at: new Date().toISOString(),
    },
  };
}

export function events(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** A stream name no other test (or earlier run against a shared server) uses. */
export function uniqueStream(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Reads from a subscription until `count` events matching `keep` arrived; rejects after timeoutMs
 * instead of hanging, naming how many came.
 */
export async function collect(
  subscription: Subscription,
  count: number,
  keep: (event: RecordedEvent) => boolean = () => true,
  timeoutMs = 20_000,
  /** Yield to the event loop after each event, so appends really interleave with the catch-up. */
  slow = false,
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const iterator = subscription[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out with ${seen.length}/${count} events`)), timeoutMs);
  });
  try {
    while (seen.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`subscription ended after ${seen.length}/${count} events`);
      if (keep(next.value)) seen.push(next.value);
      if (slow) await new Promise((resolve) => setImmediate(resolve));
    }
    return seen;
  } finally {
    clearTimeout(timer);
  }
}

export async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export function expectStrictlyIncreasing(values: bigint[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) throw new Error(`not increasing at ${i}: ${values[i - 1]} then ${values[i]}`);
  }
}
