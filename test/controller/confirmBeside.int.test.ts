// A diff's confirmation (PortWired, ACTIVE) is recorded beside the next diff: the next port's flows go to the switch while the last port's statuses are still being made durable.
//
// The switch is an in-memory fake (it confirms every barrier at once, and this test must hold one
// append of the real SQLite log open on demand, which no real switch or store gives); the log,
// service and projection are the real ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { ObservationLog } from '../../src/controller/observationLog.ts';
import { SwitchReconciler } from '../../src/controller/reconciler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import type { SwitchObservation } from '../../projections/topology/observations.ts';
import { tapName } from '../e2e/harness.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';
import { waitFor } from '../support/ovsExec.ts';
import { FakeSwitch, portDesc } from './support/fakeSwitch.ts';

const HOST = 'hv1';
const DPID = 0xa2n;

/** An observation log whose first append of a PortWired, once armed, waits until released. */
class HeldObservationLog extends ObservationLog {
  armed = false;
  held = false;
  private release: (() => void) | undefined;
  override append(host: string, events: readonly SwitchObservation[]): Promise<bigint> {
    if (!this.armed || !events.some((e) => e.type === 'PortWired')) return super.append(host, events);
    this.armed = false;
    this.held = true;
    return new Promise<void>((resolve) => (this.release = resolve)).then(() => super.append(host, events));
  }
  letGo(): void {
    this.release?.();
  }
}

let harness: Harness;
let feed: LogFeed;
let reconciler: SwitchReconciler | undefined;
let observations: HeldObservationLog;
let sw: FakeSwitch;
const taps: string[] = [];
let call: (method: string, path: string, body?: unknown) => Promise<Record<string, Record<string, string>>>;
let networkId = '';

async function plugPort(): Promise<string> {
  const port = await call('POST', '/v2.0/ports', { port: { network_id: networkId, 'binding:host_id': HOST, security_groups: [] } });
  taps.push(tapName(port.port.id));
  sw.emit('port_status', { reason: 'add', desc: portDesc(taps.at(-1)!, taps.length) });
  return port.port.id;
}

const status = async (id: string) => (await call('GET', `/v2.0/ports/${id}`)).port.status;

beforeAll(async () => {
  harness = await startHarness();
  call = async (method, path, body) => (await harness.client.request(method, path, body)).body as Record<string, Record<string, string>>;
  await call('POST', '/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a2', tunnel_ip: '192.168.50.1' } });
  const net = await call('POST', '/v2.0/networks', { network: { name: 'n' } });
  networkId = net.network.id;
  await call('POST', '/v2.0/subnets', { subnet: { network_id: networkId, cidr: '10.0.0.0/24', ip_version: 4 } });
  const log = createLogger('warn', { write: () => undefined });
  feed = new LogFeed(harness.store, (_events, changes) => {
    const c = changes.get(HOST);
    if (c && reconciler) reconciler.markDirty([...c.deletes, ...c.upserts.keys()]);
  }, (error) => log.error({ err: error }, 'feed'));
  await feed.start();
  sw = new FakeSwitch(DPID, () => taps.map((t, i) => portDesc(t, i + 1)));
  observations = new HeldObservationLog(harness.store);
  reconciler = new SwitchReconciler(HOST, sw.conn, { feed, observations, service: harness.service, log });
  await reconciler.start();
}, 60_000);

afterAll(async () => {
  await feed?.stop();
  await harness?.cleanup();
});

it('fake switch: sends the next port\'s flows while the last port\'s PortWired is still being recorded, then records both once', async () => {
  observations.armed = true;
  const first = await plugPort();
  await waitFor('the first port\'s PortWired held', () => (observations.held ? true : undefined), { timeoutMs: 10_000 });
  const appliedBefore = sw.applied;
  const second = await plugPort();
  // without confirmBeside the reconciler waits for the held append before it looks at the second port
  await waitFor('the second port\'s flows sent', () => (sw.applied > appliedBefore ? true : undefined), { timeoutMs: 10_000 });
  expect(observations.held).toBe(true);
  observations.letGo();
  await waitFor('both ports ACTIVE', async () => ((await status(first)) === 'ACTIVE' && (await status(second)) === 'ACTIVE' ? true : undefined), { timeoutMs: 10_000 });
  const events = await harness.events();
  const wiredEvents = events.filter((e) => e.type === 'PortWired').map((e) => (e.data as { id: string }).id);
  // in order, and each once: the second plan was made after the first confirmation was recorded
  expect(wiredEvents).toEqual([first, second]);
});
