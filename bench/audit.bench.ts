// Benchmark: audit replay throughput with projections on a 1M-event log, and the time of "state at" / "flows at" anywhere in it.
// Run: node bin/run-ts.js bench/audit.bench.ts [--events 1000000] [--runs 3] [--log /tmp/esdn-audit-1m.db] [--checkpoint-every 10000] [--replay-only]
// The log is generated once (real API for the topology, then synthetic updates) and reused while the file exists.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createNeutronApi } from '../src/api/createApp.ts';
import { AuditService } from '../src/audit/auditService.ts';
import { catchUp } from '../src/service/catchUp.ts';
import { SqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore.ts';
import type { EventStore, NewEvent } from '../src/eventStore/types.ts';
import { createNeutronService } from '../src/service/neutronService.ts';
import { switchStream } from '../projections/topology/observations.ts';
import { ApiClient } from '../test/support/apiClient.ts';
import { mainThreadCpuMs } from './support/cpuTimes.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    log: { type: 'string', default: '/tmp/esdn-audit-1m.db' },
    'checkpoint-every': { type: 'string', default: '10000' },
    /** only the replay table (no questions, no persisted checkpoints) */
    'replay-only': { type: 'boolean', default: false },
  },
});
const TOTAL = Number(args.events);
const RUNS = Number(args.runs);
const CHECKPOINT_EVERY = Number(args['checkpoint-every']);
const HOSTS = 10;
const NETWORKS = 100;
const PORTS = 2_000;
/** concurrent API requests / appends while generating: they share commits (group commit) */
const CONCURRENCY = 64;
/** synthetic updates appended per call */
const BATCH = 500;
/** one in this many synthetic updates moves a port to another host (changes flows); the rest rename */
const REBIND_EVERY = 10;
const MS_PER_S = 1000;
const POINTS = [0.1, 0.5, 0.9, 1] as const;

async function pool<T>(items: T[], f: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await f(items[next++]);
  }));
}

function ok(r: { status: number; body: unknown }, what: string): void {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Hosts, networks, subnets and bound ports through the real API, their interfaces as the controller reports them, then updates up to TOTAL. */
async function generate(path: string): Promise<void> {
  const store = SqliteEventStore.open(path);
  const service = createNeutronService({ store });
  await service.start();
  const api = new ApiClient(createNeutronApi({ service, auth: { kind: 'noauth' } }));
  const hosts = Array.from({ length: HOSTS }, (_, i) => `hv${i + 1}`);
  await pool(hosts, async (h, ) => ok(await api.post('/v2.0/hosts', { host: { name: h, datapath_id: (0xa0 + hosts.indexOf(h)).toString(16).padStart(16, '0'), tunnel_ip: `192.0.2.${10 + hosts.indexOf(h)}` } }), 'host'));
  const nets: string[] = [];
  await pool(Array.from({ length: NETWORKS }, (_, i) => i), async (i) => {
    const r = await api.post('/v2.0/networks', { network: { name: `net${i}` } });
    ok(r, 'network');
    nets.push(r.body.network.id);
    ok(await api.post('/v2.0/subnets', { subnet: { network_id: r.body.network.id, cidr: `10.${i >> 8}.${i & 255}.0/24`, ip_version: 4 } }), 'subnet');
  });
  const ports: { id: string; host: string }[] = [];
  await pool(Array.from({ length: PORTS }, (_, i) => i), async (i) => {
    const host = hosts[i % HOSTS];
    // no security groups: with 2000 ports in one default group the remote-group flows alone would be
    // quadratic, and this bench measures replay and lookup, not that stage
    const r = await api.post('/v2.0/ports', { port: { network_id: nets[i % NETWORKS], name: `vm${i}`, 'binding:host_id': host, port_security_enabled: false, security_groups: [] } });
    ok(r, 'port');
    ports.push({ id: r.body.port.id, host });
  });
  await service.stop();
  const meta = () => {
    const id = `req-${randomUUID()}`;
    return { correlationId: id, causationId: id, requestId: id, actor: { userId: 'esdn', projectId: 'esdn' }, at: new Date().toISOString() };
  };
  for (const h of hosts) {
    const m = meta();
    const mine = ports.filter((p) => p.host === h);
    const obs = [{ name: 'vxlan0', ofport: 1 }, ...mine.map((p, k) => ({ name: `tap${p.id.slice(0, 11)}`, ofport: 10 + k }))];
    await store.append(switchStream(h), obs.map((o) => ({ id: randomUUID(), type: 'SwitchPortObserved', data: { host: h, ...o, at: m.at }, metadata: m })), 'any');
  }
  let written = Number(await store.headPosition());
  const batches: number[] = [];
  for (let n = written; n < TOTAL; n += BATCH) batches.push(Math.min(BATCH, TOTAL - n));
  let k = 0;
  await pool(batches, async (size) => {
    const p = ports[k++ % ports.length];
    const m = meta();
    const events: NewEvent[] = Array.from({ length: size }, (_, j) => (j % REBIND_EVERY === REBIND_EVERY - 1
      ? { id: randomUUID(), type: 'PortBoundToHost', data: { id: p.id, hostId: hosts[(k + j) % HOSTS], profile: {}, updatedAt: m.at }, metadata: m }
      : { id: randomUUID(), type: 'PortUpdated', data: { id: p.id, changes: { name: `vm-${k}-${j}` }, updatedAt: m.at }, metadata: m }));
    await store.append(`port-${p.id}`, events, 'any');
    written += size;
    if (process.stderr.isTTY) process.stderr.write(`\rgenerating ${written}/${TOTAL}`);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  await store.close();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Result, wall ms, and CPU ms of this process (user + system): the machine is shared, CPU time is load-independent. */
async function timed<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  const [r, wall, cpu] = await timedMain(f);
  return [r, wall, cpu];
}

/** timed, plus the main thread's CPU ms. */
async function timedMain<T>(f: () => Promise<T>): Promise<[T, number, number, number]> {
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuMs();
  const t0 = performance.now();
  const r = await f();
  const c = process.cpuUsage(c0);
  return [r, performance.now() - t0, (c.user + c.system) / MS_PER_S, mainThreadCpuMs() - m0];
}

/** The same store with readBatches' reader thread hidden: the replay reads SQLite on the main thread (the reference for the read-ahead path). */
function inlineReads(store: SqliteEventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, { readBatchesAhead: undefined });
}

async function readOnly(store: EventStore): Promise<number> {
  let n = 0;
  for await (const _ of store.readAll()) n++;
  return n;
}

async function main(): Promise<void> {
  if (!existsSync(args.log)) {
    console.log(`generating a ${fmt(TOTAL)}-event log at ${args.log} ...`);
    const [, ms] = await timed(() => generate(args.log));
    console.log(`generated in ${(ms / MS_PER_S).toFixed(1)} s`);
  }
  const store = SqliteEventStore.open(args.log);
  const head = await store.headPosition();
  console.log(`log: ${args.log}, ${fmt(Number(head))} events; checkpoint every ${fmt(CHECKPOINT_EVERY)}; median of ${RUNS} runs`);
  const rows: [string, number[], number[], number[]][] = [
    ['reference: readAll only (read + JSON parse, no projection)', [], [], []],
    ['reference: service catch-up (domain world only)', [], [], []],
    ['reference: audit index, SQLite read on the main thread', [], [], []],
    ['audit index: world + topology view + index + checkpoints', [], [], []],
  ];
  const record = (row: number, n: number, wall: number, cpu: number, main: number) => {
    rows[row][1].push(n / wall * MS_PER_S);
    rows[row][2].push(n / cpu * MS_PER_S);
    rows[row][3].push(n / main * MS_PER_S);
  };
  let audit: AuditService | undefined;
  for (let r = 0; r < RUNS; r++) {
    const [n0, t0, u0, m0] = await timedMain(() => readOnly(store));
    record(0, n0, t0, u0, m0);
    const [c, t1, u1, m1] = await timedMain(() => catchUp(store));
    record(1, c.eventCount, t1, u1, m1);
    audit = undefined;
    const inline = new AuditService(inlineReads(store), { checkpointEvery: CHECKPOINT_EVERY });
    const [, t2, u2, m2] = await timedMain(() => inline.index.sync());
    record(2, inline.index.eventCount, t2, u2, m2);
    const a = new AuditService(store, { checkpointEvery: CHECKPOINT_EVERY });
    const [, t3, u3, m3] = await timedMain(() => a.index.sync());
    record(3, a.index.eventCount, t3, u3, m3);
    audit = a;
  }
  console.log('\n| replay | events/s wall (median) | events per CPU-s (median) | events per main-thread CPU-s (median) | wall runs |\n|---|---:|---:|---:|---|');
  for (const [name, xs, cpu, main] of rows) console.log(`| ${name} | ${fmt(median(xs))} | ${fmt(median(cpu))} | ${fmt(median(main))} | ${xs.map(fmt).join(', ')} |`);
  const a = audit as AuditService;
  if (args['replay-only']) return store.close();
  console.log(`\ncheckpoints: ${a.index.checkpointCount}; heap used after indexing: ${fmt(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
  console.log('\n| question | at | ms (median) | runs |\n|---|---|---:|---|');
  for (const frac of POINTS) {
    const at = String(frac === 1 ? head : BigInt(Math.floor(Number(head) * frac) + Math.floor(CHECKPOINT_EVERY / 2)));
    const state: number[] = [];
    const flows: number[] = [];
    let sizes = '';
    for (let r = 0; r < RUNS; r++) {
      const [s, ts] = await timed(() => a.state(at));
      state.push(ts);
      const [f, tf] = await timed(() => a.flows('hv1', at));
      flows.push(tf);
      sizes = `${s.ports.length} ports, ${f.flows.length} flows on hv1`;
    }
    const label = frac === 1 ? `head (${at})` : `${frac * 100}% + ${CHECKPOINT_EVERY / 2} (${at})`;
    console.log(`| state at | ${label} | ${median(state).toFixed(0)} | ${state.map((x) => x.toFixed(0)).join(', ')} (${sizes}) |`);
    console.log(`| flows at hv1 | ${label} | ${median(flows).toFixed(0)} | ${flows.map((x) => x.toFixed(0)).join(', ')} |`);
  }
  await persisted(store, head);
  await store.close();
}

/**
 * Persisted checkpoints (a sidecar file): one process replays and writes them; "a second process"
 * (a fresh AuditService on the same files: nothing shared in memory) then answers from the file.
 */
async function persisted(store: EventStore, head: bigint): Promise<void> {
  const file = `${args.log}.bench-audit.db`;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const first = new AuditService(store, { checkpointEvery: CHECKPOINT_EVERY, checkpointFile: file });
  const [, tw] = await timed(() => first.index.sync());
  first.close();
  const size = [file, `${file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
  console.log(`\npersisted checkpoints: first process replayed and wrote them in ${(tw / MS_PER_S).toFixed(1)} s (${fmt(first.index.eventCount / tw * MS_PER_S)} events/s with the writes); file ${fmt(size / 2 ** 20)} MB`);
  console.log('\n| a new process (fresh AuditService on the file) | ms (median) | events replayed | runs |\n|---|---:|---:|---|');
  const halfway = BigInt(Math.floor(Number(head) / 2) + 50_000);
  for (const [label, at] of [['state at head', String(head)], ['state at head - 5,000', String(head - 5_000n)], [`state at ${halfway} (halfway between persisted states)`, String(halfway)], ['flows at hv1 at head', undefined]] as const) {
    const ms: number[] = [];
    let replayed = 0;
    for (let r = 0; r < RUNS; r++) {
      const a = new AuditService(store, { checkpointEvery: CHECKPOINT_EVERY, checkpointFile: file });
      const [, t] = await timed<unknown>(() => (at === undefined ? a.flows('hv1') : a.state(at)));
      ms.push(t);
      replayed = a.index.stats.replayed;
      a.close();
    }
    console.log(`| ${label} | ${median(ms).toFixed(0)} | ${fmt(replayed)} | ${ms.map((x) => x.toFixed(0)).join(', ')} |`);
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

await main();
