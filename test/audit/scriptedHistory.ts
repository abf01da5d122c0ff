// Test support: a scripted history with several actors (create, change, delete) written through the real API onto real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createNeutronApi } from '../../src/api/createApp.ts';
import { AuditService } from '../../src/audit/auditService.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import type { EventStore, RecordedEvent } from '../../src/eventStore/types.ts';
import { createNeutronService, type NeutronService } from '../../src/service/neutronService.ts';
import type { Principal } from '../../src/domain/principal.ts';
import { switchStream } from '../../projections/topology/observations.ts';
import { ApiClient } from '../support/apiClient.ts';

export const ADMIN: Principal = { userId: 'root', projectId: 'ops', isAdmin: true };
export const ALICE: Principal = { userId: 'alice', projectId: 'proj-a', isAdmin: false };
export const BOB: Principal = { userId: 'bob', projectId: 'proj-b', isAdmin: false };
const TOKENS = new Map([['t-admin', ADMIN], ['t-alice', ALICE], ['t-bob', BOB]]);

/** The scripted clock starts here and moves one minute per intent, so times between events exist. */
export const T0 = Date.parse('2026-11-25T10:00:00.000Z');
const STEP_MS = 60_000;

export interface Step {
  name: string;
  /** head position after the step */
  position: bigint;
  /** the live API's lists right after the step (admin view) */
  lists: Record<string, unknown[]>;
  requestId: string;
}

export const LIVE_LISTS: Record<string, string> = {
  networks: '/v2.0/networks', subnets: '/v2.0/subnets', ports: '/v2.0/ports', routers: '/v2.0/routers',
  floatingips: '/v2.0/floatingips', security_groups: '/v2.0/security-groups', hosts: '/v2.0/hosts',
};

export interface Scripted {
  dir: string;
  dbPath: string;
  store: EventStore;
  service: NeutronService;
  audit: AuditService;
  admin: ApiClient;
  steps: Step[];
  ids: { netA: string; netB: string; subnetA: string; portA: string; routerA: string };
  cleanup(): Promise<void>;
}

const byId = (a: unknown, b: unknown) => (String((a as { id: string }).id) < String((b as { id: string }).id) ? -1 : 1);

export async function scriptedHistory(checkpointEvery = 4): Promise<Scripted> {
  const dir = mkdtempSync(join(tmpdir(), 'esdn-audit-'));
  const dbPath = join(dir, 'events.db');
  const store = SqliteEventStore.open(dbPath);
  const service = createNeutronService({ store });
  await service.start();
  let clock = T0;
  const audit = new AuditService(store, { checkpointEvery });
  const app = createNeutronApi({ service, auth: { kind: 'tokens', tokens: TOKENS }, now: () => new Date((clock += STEP_MS)), audit });
  const api = new ApiClient(app);
  const admin = api.as('t-admin');
  const alice = api.as('t-alice');
  const bob = api.as('t-bob');
  const steps: Step[] = [];
  const snapshot = async (name: string, res: { status: number; headers: Headers; body: unknown }) => {
    if (res.status >= 300) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
    const lists: Record<string, unknown[]> = {};
    for (const [k, path] of Object.entries(LIVE_LISTS)) lists[k] = ((await admin.get(path)).body[k] as unknown[]).sort(byId);
    steps.push({ name, position: await store.headPosition(), lists, requestId: res.headers.get('X-Openstack-Request-Id') ?? '' });
  };
  await snapshot('register hv1', await admin.post('/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.0.2.11' } }));
  let r = await alice.post('/v2.0/networks', { network: { name: 'net-a' } });
  const netA = r.body.network.id as string;
  await snapshot('alice creates net-a', r);
  r = await alice.post('/v2.0/subnets', { subnet: { network_id: netA, cidr: '10.0.0.0/24', ip_version: 4, name: 'sub-a' } });
  const subnetA = r.body.subnet.id as string;
  await snapshot('alice creates sub-a', r);
  r = await bob.post('/v2.0/networks', { network: { name: 'net-b' } });
  const netB = r.body.network.id as string;
  await snapshot('bob creates net-b', r);
  r = await alice.post('/v2.0/ports', { port: { network_id: netA, name: 'vm1' } });
  const portA = r.body.port.id as string;
  await snapshot('alice creates port vm1', r);
  await snapshot('alice renames net-a', await alice.put(`/v2.0/networks/${netA}`, { network: { name: 'net-a2' } }));
  await snapshot('admin binds vm1 to hv1', await admin.put(`/v2.0/ports/${portA}`, { port: { 'binding:host_id': 'hv1' } }));
  // the controller's report of the VM's interface, as it appends it (system actor)
  const reqId = `req-${randomUUID()}`;
  const meta = { correlationId: reqId, causationId: reqId, requestId: reqId, actor: { userId: 'esdn', projectId: 'esdn' }, at: new Date((clock += STEP_MS)).toISOString() };
  await store.append(switchStream('hv1'), [
    { id: randomUUID(), type: 'SwitchConnected', data: { host: 'hv1', datapathId: '00000000000000a1', at: meta.at }, metadata: meta },
    { id: randomUUID(), type: 'SwitchPortObserved', data: { host: 'hv1', name: 'vxlan0', ofport: 1, at: meta.at }, metadata: meta },
    { id: randomUUID(), type: 'SwitchPortObserved', data: { host: 'hv1', name: `tap${portA.slice(0, 11)}`, ofport: 7, at: meta.at }, metadata: meta },
  ], 'any');
  await snapshot('switch hv1 reports vm1 on ofport 7', { status: 200, headers: new Headers({ 'X-Openstack-Request-Id': reqId }), body: {} });
  r = await alice.post('/v2.0/routers', { router: { name: 'r1' } });
  const routerA = r.body.router.id as string;
  await snapshot('alice creates router r1', r);
  await snapshot('alice attaches sub-a to r1', await alice.put(`/v2.0/routers/${routerA}/add_router_interface`, { subnet_id: subnetA }));
  await snapshot('alice renames vm1', await alice.put(`/v2.0/ports/${portA}`, { port: { name: 'vm1-web' } }));
  await snapshot('bob deletes net-b', await bob.delete(`/v2.0/networks/${netB}`));
  // a port bound to a host nobody registered reads binding_failed until the host registers: derived, so the
  // audit's past states must derive it from the hosts of that point too
  r = await admin.post('/v2.0/ports', { port: { network_id: netA, name: 'vm2', 'binding:host_id': 'hv9' } });
  await snapshot('admin creates vm2 bound to unregistered hv9', r);
  await snapshot('register hv9', await admin.post('/v2.0/hosts', { host: { name: 'hv9', datapath_id: '00000000000000a9', tunnel_ip: '192.0.2.19' } }));
  return {
    dir, dbPath, store, service, audit, admin, steps, ids: { netA, netB, subnetA, portA, routerA },
    async cleanup() {
      await service.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: builds the scripted history before its tests and hands it over with its whole log
 * (readAll, in order), and cleans it up after them.
 */
export function useScriptedHistory(ready: (h: Scripted, log: RecordedEvent[]) => void): void {
  let h: Scripted | undefined;
  beforeAll(async () => {
    h = await scriptedHistory();
    const log: RecordedEvent[] = [];
    for await (const e of h.store.readAll()) log.push(e);
    ready(h, log);
  });
  afterAll(async () => h?.cleanup());
}
