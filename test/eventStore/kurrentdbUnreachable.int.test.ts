// Points the real KurrentDB client at a closed loopback port: every call becomes a StoreUnavailableError.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KurrentEventStore } from '../../src/eventStore/kurrentdb/kurrentEventStore.ts';
import { StoreUnavailableError } from '../../src/eventStore/types.ts';
import { events, uniqueStream } from './helpers.ts';

/** A loopback port that was just free: bind to port 0, note the port, close the listener. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('KurrentDB adapter against a closed port (real client, no server)', () => {
  let store: KurrentEventStore;
  beforeAll(async () => {
    store = KurrentEventStore.connect(`kurrentdb://127.0.0.1:${await closedPort()}?tls=false`);
  });
  afterAll(() => store.close());

  it('rejects an append with StoreUnavailableError carrying gRPC code 14', async () => {
    const error = await store.append(uniqueStream(), events(1), 'any').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).cause).toMatchObject({ code: 14 });
  });

  it('rejects reads and the head position with StoreUnavailableError', async () => {
    await expect(store.readStream(uniqueStream())).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    const readAll = async () => {
      for await (const _ of store.readAll()) break;
    };
    await expect(readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('ends a subscription with StoreUnavailableError', async () => {
    const subscription = store.subscribe();
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(StoreUnavailableError);
    await subscription.close();
  });
});
