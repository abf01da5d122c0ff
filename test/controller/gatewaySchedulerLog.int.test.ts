// The gateway scheduler against a real SQLite log: two schedulers racing record one decision, and failover/return timing with real timers (no switches: liveness is given).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { GatewayScheduler } from '../../src/controller/gatewayScheduler/scheduler.ts';
import { openEventStore } from '../../src/eventStore/open.ts';
import type { EventStore } from '../../src/eventStore/types.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { gatewayStream } from '../../projections/topology/gatewayEvents.ts';
import { waitFor } from '../support/ovsExec.ts';

const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
/** Short, so the test waits little; long enough to tell "before" from "after" on a loaded machine. */
const FAILOVER_MS = 300;
/** Longer than a failover and a fold, to show nothing more is recorded. */
const QUIET_MS = 1_000;

const meta = { correlationId: 'c', causationId: 'c', requestId: 'r', actor: { userId: 'test', projectId: 'test' }, at: '2026-11-26T00:00:00Z' };
const ev = (type: string, data: unknown) => ({ id: randomUUID(), type, data, metadata: meta });
const host = (name: string) => ev('HostRegistered', { name, datapathId: '00000000000000a1', tunnelIp: '192.0.2.1', bridgeMappings: { public: 'ex-public' }, tunnelInterface: 'vxlan0' });

describe('gateway scheduler on a real SQLite log', () => {
  let dir: string;
  let store: EventStore;
  const running: { feed: LogFeed; scheduler: GatewayScheduler }[] = [];

  /** One "controller": a feed folding the log and a scheduler deciding from it. */
  async function controller(connected: (h: string) => boolean) {
    const log = createLogger('silent');
    const feed: LogFeed = new LogFeed(store, (events) => { for (const e of events) scheduler.onEvent(e); }, () => undefined);
    const scheduler: GatewayScheduler = new GatewayScheduler({
      store, log, view: () => feed.projection.view, folded: (p) => feed.until(p), connected, failoverAfterMs: FAILOVER_MS,
    });
    await feed.start();
    running.push({ feed, scheduler });
    return { feed, scheduler };
  }
  const decisions = async () => (await store.readStream(gatewayStream(ROUTER))).map((e) => e.data as { host: string | null; previousHost?: string; reason: string });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-gw-'));
    store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    await store.append('host-hv1', [host('hv1')], 'any');
    await store.append('host-hv2', [host('hv2')], 'any');
    await store.append(`network-${EXT}`, [ev('NetworkCreated', { id: EXT, projectId: 'p', segment: { networkType: 'flat', physicalNetwork: 'public', segmentationId: null } })], 'any');
    await store.append(`router-${ROUTER}`, [
      ev('RouterCreated', { id: ROUTER, adminStateUp: true, routes: [] }),
      ev('RouterGatewaySet', { id: ROUTER, gateway: { networkId: EXT, enableSnat: true, externalFixedIps: [{ subnetId: 's', ipAddress: '172.16.0.2' }], portId: 'gw' } }),
    ], 'any');
  });

  afterEach(async () => {
    for (const r of running.splice(0)) {
      await r.scheduler.stop();
      await r.feed.stop();
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two schedulers starting together on one log record exactly one decision', async () => {
    const a = await controller(() => true);
    const b = await controller(() => true);
    a.scheduler.start();
    b.scheduler.start();
    await waitFor('a decision', async () => ((await decisions()).length > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(await decisions()).toEqual([expect.objectContaining({ host: 'hv1', reason: 'gateway_set' })]);
  });

  it('fails over after the failover time, not before, and stays when the old host returns', async () => {
    const up = new Set(['hv1', 'hv2']);
    const c = await controller((h) => up.has(h));
    c.scheduler.start();
    await waitFor('a decision', async () => ((await decisions()).length > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    up.delete('hv1');
    const downAt = Date.now();
    c.scheduler.switchDown('hv1');
    const moved = await waitFor('failover', async () => ((await decisions()).length > 1 ? Date.now() : undefined), { timeoutMs: 10_000, intervalMs: 10 });
    expect(moved - downAt).toBeGreaterThanOrEqual(FAILOVER_MS);
    expect((await decisions())[1]).toMatchObject({ host: 'hv2', previousHost: 'hv1', reason: 'host_unavailable' });
    up.add('hv1');
    c.scheduler.switchUp('hv1');
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(await decisions()).toHaveLength(2);
  });

  it('a scheduler started later (a restart) reads the choice from the log and records nothing', async () => {
    const first = await controller(() => true);
    first.scheduler.start();
    await waitFor('a decision', async () => ((await decisions()).length > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    await first.scheduler.stop();
    // the restarted one sees no switch yet: still no move before the failover time, and none after while nothing else is up
    const again = await controller(() => false);
    again.scheduler.start();
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(await decisions()).toHaveLength(1);
  });
});
