// When the log refuses an append, the intent fails with 503 and the world is rebuilt from the log (fault-injecting wrapper over real SQLite).
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type EventStore } from '../../src/eventStore/types.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';

/** Real SQLite underneath; append fails while `failing` is set, as a full disk would. */
function faultInjecting(store: EventStore) {
  const control = { failing: false };
  const wrapped: EventStore = {
    append: (stream, events, expected) =>
      control.failing ? Promise.reject(new StoreUnavailableError('injected: disk full')) : store.append(stream, events, expected),
    appendMany: (appends) =>
      control.failing ? Promise.reject(new StoreUnavailableError('injected: disk full')) : store.appendMany(appends),
    readStream: (stream, options) => store.readStream(stream, options),
    readAll: (options) => store.readAll(options),
    subscribe: (from) => store.subscribe(from),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  return { wrapped, control };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

describe('append failure (fault-injecting store wrapper over real SQLite)', () => {
  it('answers 503, forgets the undurable change, and hands out the same address next time', async () => {
    let control = { failing: false };
    harness = await startHarness({
      wrapStore: (store) => {
        const f = faultInjecting(store);
        control = f.control;
        return f.wrapped;
      },
    });
    const c = harness.client;
    const net = (await c.post('/v2.0/networks', { network: { name: 'n' } })).body.network;
    await c.post('/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.40.0.0/24' } });
    // The project's default security group comes with the first port; create it while the log works.
    await c.get('/v2.0/security-groups');
    control.failing = true;
    const failed = await c.post('/v2.0/ports', { port: { network_id: net.id, name: 'lost' } });
    expect([failed.status, failed.body.NeutronError.type]).toEqual([503, 'ServiceUnavailable']);
    control.failing = false;
    const ok = await c.post('/v2.0/ports', { port: { network_id: net.id, name: 'kept' } });
    expect(ok.status).toBe(201);
    expect(ok.body.port.fixed_ips[0].ip_address).toBe('10.40.0.2');
    const ports = (await c.get('/v2.0/ports')).body.ports;
    expect(ports.map((p: { name: string }) => p.name)).toEqual(['kept']);
    expect((await harness.events()).filter((e) => e.type === 'PortCreated')).toHaveLength(1);
  });
});
