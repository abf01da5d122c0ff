// Work in flight counted for the idle compactor: begin/end, a promise until it settles, an HTTP request, an append until durable.
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { countAppends, countRequests, InFlight } from '../../src/observability/inFlight.ts';
import { StoreUnavailableError, type AppendResult, type EventStore } from '../../src/eventStore/types.ts';

/** A promise with its settling functions, to hold work open for as long as a test wants. */
function gate<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  test('counts what began and has not ended; ending twice ends once', () => {
    const inFlight = new InFlight();
    const endA = inFlight.begin();
    const endB = inFlight.begin();
    expect(inFlight.count).toBe(2);
    endA();
    endA();
    expect(inFlight.count).toBe(1);
    endB();
    expect(inFlight.count).toBe(0);
  });

  test('during() counts work until its promise settles, a rejection too', async () => {
    const inFlight = new InFlight();
    const ok = gate<string>();
    const failing = gate<string>();
    const a = inFlight.during(() => ok.promise);
    const b = inFlight.during(() => failing.promise);
    expect(inFlight.count).toBe(2);
    ok.resolve('done');
    expect(await a).toBe('done');
    expect(inFlight.count).toBe(1);
    failing.reject(new Error('no'));
    await expect(b).rejects.toThrow('no');
    expect(inFlight.count).toBe(0);
  });

  test('countRequests: a request counts while the app handles it, one that throws too', async () => {
    const inFlight = new InFlight();
    const held = gate<void>();
    const app = new Hono();
    app.use(countRequests(inFlight));
    app.get('/held', async (c) => {
      await held.promise;
      return c.text('late');
    });
    app.get('/boom', () => {
      throw new Error('handler failed');
    });
    app.onError((_error, c) => c.text('failed', 500));
    const response = app.request('/held');
    await new Promise((r) => setImmediate(r));
    expect(inFlight.count).toBe(1);
    held.resolve();
    expect(await (await response).text()).toBe('late');
    expect(inFlight.count).toBe(0);
    expect((await app.request('/boom')).status).toBe(500);
    expect(inFlight.count).toBe(0);
  });

  test('countAppends: an append and an appendMany count until durable or failed; reads pass through uncounted', async () => {
    const inFlight = new InFlight();
    const durable = gate<AppendResult>();
    const refused = gate<AppendResult[]>();
    const inner = {
      append: () => durable.promise,
      appendMany: () => refused.promise,
      readStream: async () => [],
      headPosition: async () => 7n,
    } as unknown as EventStore;
    const store = countAppends(inner, inFlight);
    const a = store.append('network-1', [], 'any');
    const b = store.appendMany([]);
    expect(inFlight.count).toBe(2);
    expect(await store.headPosition()).toBe(7n);
    expect(await store.readStream('network-1')).toEqual([]);
    expect(inFlight.count).toBe(2);
    durable.resolve({ nextExpectedRevision: 0n, position: 8n } as AppendResult);
    await a;
    expect(inFlight.count).toBe(1);
    refused.reject(new StoreUnavailableError('disk full'));
    await expect(b).rejects.toThrow('disk full');
    expect(inFlight.count).toBe(0);
  });
});
