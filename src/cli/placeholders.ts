// Temporary stand-ins for the event log and the Neutron API until their real modules land; deleted then.
import { Hono } from 'hono';
import type { AppendResult, EventStore, RecordedEvent, Subscription } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';

/** In-memory log: lets `esdn serve` start before src/eventStore/open.ts exists. Not durable. */
export async function openPlaceholderStore(_url: string): Promise<EventStore> {
  const events: RecordedEvent[] = [];
  return {
    async append(stream, batch, _expected): Promise<AppendResult> {
      let revision = BigInt(events.filter((e) => e.stream === stream).length) - 1n;
      for (const e of batch) events.push({ ...e, stream, revision: ++revision, position: BigInt(events.length) });
      return { nextExpectedRevision: revision, position: BigInt(events.length - 1) };
    },
    async readStream(stream) { return events.filter((e) => e.stream === stream); },
    async *readAll() { yield* events; },
    subscribe(): Subscription {
      return { async *[Symbol.asyncIterator]() { yield* events; }, close: async () => {} };
    },
    async headPosition() { return events.length === 0 ? START : BigInt(events.length - 1); },
    async close() {},
  };
}

/** Version documents only, with the shapes Neutron returns. */
export function createPlaceholderApi(): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${origin}/v2.0/`, rel: 'self' }] }] });
  });
  app.get('/v2.0', (c) => c.json({ resources: [] }));
  return app;
}
