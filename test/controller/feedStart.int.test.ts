// The controller feed's start on a real SQLite log: the history is one fold, the result equals folding it in small batches, and an empty log, a log appended to during the catch-up and a corrupt row still behave.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { START, type NewEvent, type RecordedEvent } from '../../src/eventStore/types.ts';
import { createNeutronApi } from '../../src/api/createApp.ts';
import { createNeutronService } from '../../src/service/neutronService.ts';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import { switchStream } from '../../projections/topology/observations.ts';
import { ApiClient } from '../support/apiClient.ts';

const HOST = 'hv1';
const PORTS = 20;
/** More than the feed's live batch (10,000), so the old start folded this history in two batches. */
const FILLER = 10_500;

function meta() {
  const id = `req-${randomUUID()}`;
  return { correlationId: id, causationId: id, requestId: id, actor: { userId: 'esdn', projectId: 'esdn' }, at: '2026-11-26T00:00:00.000Z' };
}

const observed = (name: string, ofport: number): NewEvent => ({ id: randomUUID(), type: 'SwitchPortObserved', data: { host: HOST, name, ofport, at: '2026-11-26T00:00:00.000Z' }, metadata: meta() });

/** A host, a network and PORTS bound ports through the API, then FILLER observations of interfaces no port names, then each port's tap observed. */
async function history(store: SqliteEventStore): Promise<string[]> {
  const service = createNeutronService({ store });
  await service.start();
  const api = new ApiClient(createNeutronApi({ service, auth: { kind: 'noauth' } }));
  await api.post('/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
  const net = (await api.post('/v2.0/networks', { network: { name: 'n', project_id: 'p' } })).body.network.id as string;
  await api.post('/v2.0/subnets', { subnet: { network_id: net, project_id: 'p', cidr: '10.0.0.0/24', ip_version: 4 } });
  const r = await api.post('/v2.0/ports', { ports: Array.from({ length: PORTS }, () => ({ network_id: net, project_id: 'p', 'binding:host_id': HOST })) });
  const ids = (r.body.ports as { id: string }[]).map((p) => p.id);
  await service.stop();
  await store.append(switchStream(HOST), Array.from({ length: FILLER }, (_, i) => observed(`other${i}`, 5000 + i)), 'any');
  await store.append(switchStream(HOST), ids.map((id, i) => observed(`tap${id.slice(0, 11)}`, 10 + i)), 'any');
  return ids;
}

/** The desired table of HOST as flow keys -> body, for comparison. */
function table(p: FlowProjection): Map<string, string> {
  return new Map([...p.desired(HOST)].map(([k, f]) => [k, JSON.stringify(f, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))]));
}

/** The same events folded the way the feed folds live traffic: batches of at most `size`. */
async function foldedInBatches(store: SqliteEventStore, size: number): Promise<FlowProjection> {
  const p = new FlowProjection();
  let batch: RecordedEvent[] = [];
  for await (const e of store.readAll()) {
    batch.push(e);
    if (batch.length === size) {
      p.applyBatch(batch);
      batch = [];
    }
  }
  p.applyBatch(batch);
  return p;
}

describe('controller feed start (real SQLite)', () => {
  let dir: string;
  let path: string;
  let store: SqliteEventStore;
  let feed: LogFeed | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-feed-'));
    path = join(dir, 'events.db');
    store = SqliteEventStore.open(path);
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the whole history in one batch, with the same desired flows as folding it in batches of 1000', async () => {
    await history(store);
    const head = await store.headPosition();
    const batches: number[] = [];
    feed = new LogFeed(store, (events) => batches.push(events.length), (e) => { throw e; });
    await feed.start();
    expect(batches).toEqual([Number(head)]);
    expect(feed.position).toBe(head);
    const want = table(await foldedInBatches(store, 1000));
    expect(want.size).toBeGreaterThan(PORTS * 5);
    expect(table(feed.projection)).toEqual(want);
  }, 60_000);

  it('an empty log: start resolves at once and nothing is folded', async () => {
    const batches: number[] = [];
    feed = new LogFeed(store, (events) => batches.push(events.length), (e) => { throw e; });
    await feed.start();
    expect(feed.position).toBe(START);
    expect(batches).toEqual([]);
    const position = (await store.append(switchStream(HOST), [observed('tapx', 3)], 'any')).position;
    await feed.until(position);
    expect(batches).toEqual([1]);
  });

  it('events appended while the history is read are folded after it, and the result equals folding everything', async () => {
    await history(store);
    const errors: unknown[] = [];
    feed = new LogFeed(store, () => undefined, (e) => errors.push(e));
    const starting = feed.start();
    // appended before the feed read its head, or while it catches up: either way they must be folded
    const appended = await Promise.all(Array.from({ length: 5 }, (_, i) => store.append(switchStream(HOST), [observed(`late${i}`, 9000 + i)], 'any')));
    await starting;
    await feed.until(appended[appended.length - 1].position);
    expect(errors).toEqual([]);
    expect(feed.position).toBe(await store.headPosition());
    expect(table(feed.projection)).toEqual(table(await foldedInBatches(store, 1000)));
  }, 60_000);

  it('a corrupt row in the history: start rejects naming its position (it used to wait forever)', async () => {
    await store.append(switchStream(HOST), Array.from({ length: 30 }, (_, i) => observed(`tap${i}`, i + 1)), 'any');
    const raw = new Database(path);
    raw.prepare('UPDATE events SET data = ? WHERE position = 12').run('{"host": "hv1", ');
    raw.close();
    const errors: unknown[] = [];
    feed = new LogFeed(store, () => undefined, (e) => errors.push(e));
    await expect(feed.start()).rejects.toThrow(/corrupt event at position 12/);
    expect(errors).toHaveLength(1);
    await expect(feed.until(30n)).rejects.toThrow(/corrupt event at position 12/);
  });
});
