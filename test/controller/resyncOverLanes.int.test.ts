// A full sync too big for one bundle (a first connect, a switch that lost its flows) goes over the switch's lanes too; one that fits stays one atomic bundle on the main connection.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { ObservationLog } from '../../src/controller/observationLog.ts';
import { SwitchReconciler } from '../../src/controller/reconciler.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { tapName } from '../e2e/harness.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';
import { FakeSwitch, portDesc } from './support/fakeSwitch.ts';

const HOST = 'hv1';
const DPID = 0xa1n;
/** Enough ports on the host for more than one bundle of flow_mods (MAX_MODS_PER_BARRIER, 2000): ~10 flows each. */
const PORTS = 250;

let harness: Harness;
let feed: LogFeed;
let taps: string[] = [];
const log = createLogger('silent');

/** A reconciler on a fake switch with three fake lanes, through its first sync. */
async function firstSync(ports: number): Promise<{ sw: FakeSwitch; lanes: FakeSwitch[]; desired: number }> {
  const sw = new FakeSwitch(DPID, () => taps.slice(0, ports).map((t, i) => portDesc(t, i + 1)));
  const lanes = [new FakeSwitch(DPID), new FakeSwitch(DPID), new FakeSwitch(DPID)];
  const r = new SwitchReconciler(HOST, sw.conn, {
    feed, observations: new ObservationLog(harness.store), service: harness.service, log, lanes: () => lanes.map((l) => l.conn),
  });
  await r.start();
  await r.onClosed('test over', false);
  return { sw, lanes, desired: feed.projection.desired(HOST).size };
}

beforeAll(async () => {
  harness = await startHarness();
  const call = async (method: string, path: string, body?: unknown) => (await harness.client.request(method, path, body)).body as Record<string, any>;
  await call('POST', '/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
  const net = await call('POST', '/v2.0/networks', { network: { name: 'n' } });
  await call('POST', '/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/22', ip_version: 4 } });
  const created = await call('POST', '/v2.0/ports', {
    ports: Array.from({ length: PORTS }, () => ({ network_id: net.network.id, 'binding:host_id': HOST, security_groups: [] })),
  });
  taps = (created.ports as { id: string }[]).map((p) => tapName(p.id));
  feed = new LogFeed(harness.store, () => undefined, (error) => log.error({ err: error }, 'feed'));
  await feed.start();
}, 60_000);

afterAll(async () => {
  await feed?.stop();
  await harness?.cleanup();
});

it('fake switch and lanes (counting what each connection is sent): a small full sync is one atomic bundle on the main connection', async () => {
  const { sw, lanes, desired } = await firstSync(1);
  expect(desired).toBeLessThan(2000);
  expect(sw.bundles).toEqual([desired]);
  expect(sw.applied + lanes.reduce((n, l) => n + l.applied + l.bundles.length, 0)).toBe(0);
});

it('fake switch and lanes (counting what each connection is sent): a full sync of more than one bundle is spread over the main connection and every lane, each flow once', async () => {
  const { sw, lanes, desired } = await firstSync(PORTS);
  expect(desired).toBeGreaterThan(2000);
  expect(sw.bundles).toEqual([]);
  for (const l of lanes) expect(l.applied).toBeGreaterThan(0);
  expect(sw.applied + lanes.reduce((n, l) => n + l.applied, 0)).toBe(desired);
});
