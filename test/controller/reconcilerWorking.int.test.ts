// A reconciler says it is working from a diff's scheduling until the switch confirmed it (the idle compactor waits for none: src/main.ts).
//
// The switch is an in-memory fake whose flow_mods are confirmed only when the test says so: a diff
// held on the wire as long as the test needs, which no real switch does on demand.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Outgoing } from '../../openflow/transport/outgoing.ts';
import { LogFeed } from '../../src/controller/feed.ts';
import { ObservationLog } from '../../src/controller/observationLog.ts';
import { SwitchReconciler } from '../../src/controller/reconciler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';
import { waitFor } from '../support/ovsExec.ts';
import { FakeSwitch } from './support/fakeSwitch.ts';

const HOST = 'hv1';
const DPID = 0xa1n;

/** Confirms a diff's flow_mods only once released. */
class HeldSwitch extends FakeSwitch {
  private release: (() => void) | undefined;
  held = 0;
  override async apply(msgs: readonly Outgoing[]): Promise<void> {
    this.held++;
    await new Promise<void>((resolve) => (this.release = resolve));
    await super.apply(msgs);
  }
  confirm(): void {
    this.release?.();
  }
}

let harness: Harness;
let feed: LogFeed;
let reconciler: SwitchReconciler | undefined;
let networkId = '';
const sw = new HeldSwitch(DPID);
let synced = 0;

beforeAll(async () => {
  harness = await startHarness();
  const call = async (method: string, path: string, body?: unknown) => (await harness.client.request(method, path, body)).body as Record<string, Record<string, string>>;
  await call('POST', '/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
  networkId = (await call('POST', '/v2.0/networks', { network: { name: 'n' } })).network.id;
  await call('POST', '/v2.0/subnets', { subnet: { network_id: networkId, cidr: '10.0.0.0/24', ip_version: 4 } });
  const log = createLogger('warn', { write: () => {} });
  feed = new LogFeed(harness.store, (_events, changes) => {
    const c = changes.get(HOST);
    if (c && reconciler) reconciler.markDirty([...c.deletes, ...c.upserts.keys()]);
  }, (error) => log.error({ err: error }, 'feed'));
  await feed.start();
  reconciler = new SwitchReconciler(HOST, sw.conn, {
    feed, observations: new ObservationLog(harness.store), service: harness.service, log, onSynced: () => synced++,
  });
}, 60_000);

afterAll(async () => {
  await feed?.stop();
  await harness?.cleanup();
});

it('fake switch holding a diff: working from the first sync until the diff on the wire is confirmed, idle before and after', async () => {
  const r = reconciler!;
  expect(r.working).toBe(false);
  const first = r.start();
  expect(r.working).toBe(true);
  await first;
  expect(r.working).toBe(false);
  // a port bound to the host: its flows are a diff, held on the wire by the switch
  await harness.client.request('POST', '/v2.0/ports', { port: { network_id: networkId, 'binding:host_id': HOST, security_groups: [] } });
  await waitFor('the diff on the wire', () => (sw.held > 0 ? true : undefined));
  const before = synced;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(r.working).toBe(true);
  expect(synced).toBe(before);
  sw.confirm();
  await waitFor('the diff confirmed', () => (synced > before ? true : undefined));
  await waitFor('the reconciler idle', () => (r.working ? undefined : true));
  expect(sw.applied).toBeGreaterThan(0);
});
