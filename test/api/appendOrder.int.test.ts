// With sequentialAppends, a store that reorders concurrent appends (as KurrentDB over gRPC may) still
// gets events in decision order, so replay gives the same world (random-delay wrapper over real SQLite).
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/eventStore/types.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';

const MAX_DELAY_MS = 5;

/** Real SQLite underneath; each append is handed over after a random delay, so arrivals reorder. */
function reordering(store: EventStore, issued: string[]): EventStore {
  return {
    append: async (stream, events, expected) => {
      issued.push(...events.map((e) => e.id));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_DELAY_MS));
      return store.append(stream, events, expected);
    },
    appendMany: async (appends) => {
      issued.push(...appends.flatMap((a) => a.events.map((e) => e.id)));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_DELAY_MS));
      return store.appendMany(appends);
    },
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (from) => store.subscribe(from),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

async function scenario(sequentialAppends: boolean): Promise<{ issued: string[]; logged: string[] }> {
  const issued: string[] = [];
  harness = await startHarness({ wrapStore: (s) => reordering(s, issued), sequentialAppends });
  const c = harness.client;
  const net = (await c.post('/v2.0/networks', { network: { name: 'n' } })).body.network;
  const subnet = c.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.70.0.0/24' } });
  const ports = Array.from({ length: 20 }, () => c.post('/v2.0/ports', { port: { network_id: net.id } }));
  await Promise.all([subnet, ...ports]);
  return { issued, logged: (await harness.events()).map((e) => e.id) };
}

describe('append order (random-delay reordering wrapper over real SQLite)', () => {
  it('without sequentialAppends the log order can differ from decision order (why the option exists)', async () => {
    let differed = false;
    // Random delays: a few tries make a reordering practically certain.
    for (let attempt = 0; attempt < 5 && !differed; attempt++) {
      const { issued, logged } = await scenario(false);
      differed = issued.join() !== logged.join();
      await harness?.cleanup();
      harness = undefined;
    }
    expect(differed).toBe(true);
  });

  it('with sequentialAppends the log holds events in decision order and replays to the same answers', async () => {
    const { issued, logged } = await scenario(true);
    expect(logged).toEqual(issued);
    const paths = ['/v2.0/subnets', '/v2.0/ports', '/v2.0/security-groups'];
    const before = await Promise.all(paths.map(async (p) => (await harness!.client.get(p)).body));
    harness = await harness!.restart();
    expect(await Promise.all(paths.map(async (p) => (await harness!.client.get(p)).body))).toEqual(before);
  });
});
