// A resync that is not a (re)connect records no connection: after a lane fails mid-diff the reconciler checks the whole table, and the log still holds one SwitchConnected.
//
// The switch and its lane are in-memory fakes (the reconciler's side of SwitchConnection): a lane
// that fails on its first slice is what no real switch does on demand, and the log is the real
// service's SQLite log, read back as a whole.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { ObservationLog } from '../../src/controller/observationLog.ts';
import { SwitchReconciler } from '../../src/controller/reconciler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { tapName } from '../e2e/harness.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';
import { waitFor } from '../support/ovsExec.ts';
import { FailingLane, FakeSwitch, portDesc } from './support/fakeSwitch.ts';

const HOST = 'hv1';
const DPID = 0xa1n;

let harness: Harness;
let feed: LogFeed;
let reconciler: SwitchReconciler | undefined;
const logs: Record<string, unknown>[] = [];
const logged = (msg: string) => logs.filter((l) => l.msg === msg).length;
const taps: string[] = [];
let sw: FakeSwitch;
let lane: FailingLane;

beforeAll(async () => {
  harness = await startHarness();
  const call = async (method: string, path: string, body?: unknown) => (await harness.client.request(method, path, body)).body as Record<string, Record<string, string>>;
  await call('POST', '/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
  const net = await call('POST', '/v2.0/networks', { network: { name: 'n' } });
  await call('POST', '/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/24', ip_version: 4 } });
  for (let i = 0; i < 3; i++) {
    const port = await call('POST', '/v2.0/ports', { port: { network_id: net.network.id, 'binding:host_id': HOST, security_groups: [] } });
    taps.push(tapName(port.port.id));
  }
  const log = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  feed = new LogFeed(harness.store, (_events, changes) => {
    const c = changes.get(HOST);
    if (c && reconciler) reconciler.markDirty([...c.deletes, ...c.upserts.keys()]);
  }, (error) => log.error({ err: error }, 'feed'));
  await feed.start();
  // the first tap is on the switch from the start; the others arrive later (the diff the lane fails in)
  let present = 1;
  sw = new FakeSwitch(DPID, () => taps.slice(0, present).map((t, i) => portDesc(t, i + 1)));
  lane = new FailingLane(DPID);
  reconciler = new SwitchReconciler(HOST, sw.conn, {
    feed, observations: new ObservationLog(harness.store), service: harness.service, log,
    lanes: () => (lane.state === 'ready' ? [lane.conn] : []), laneMinMods: 1,
  });
  await reconciler.start();
  present = taps.length;
  for (let i = 1; i < taps.length; i++) sw.emit('port_status', { reason: 'add', desc: portDesc(taps[i], i + 1) });
  await waitFor('the resync after the failed lane', () => (logged('switch in sync') >= 2 && reconciler?.state === 'inSync' ? true : undefined), { timeoutMs: 20_000 });
}, 60_000);

afterAll(async () => {
  await feed?.stop();
  await harness?.cleanup();
});

it('fake switch and lane (a lane that fails on demand): checks the whole table after the lane failed mid-diff', () => {
  expect(logged('OpenFlow lane failed mid-diff: its share goes over the main connection')).toBeGreaterThanOrEqual(1);
  expect(logged('a lane failed mid-diff: checking the whole flow table')).toBe(1);
  expect(sw.dumps).toBe(2);
});

it('fake switch and lane: records the connection once, the resync appends no SwitchConnected', async () => {
  const events = await harness.events();
  const connected = events.filter((e) => e.type === 'SwitchConnected');
  expect(connected).toHaveLength(1);
  // the resync still records that the switch is in sync again
  expect(events.filter((e) => e.type === 'SwitchInSync')).toHaveLength(2);
});
