// Cold start without OVS: esdn serve on a SQLite log of N bound ports (as a bring-up leaves it), spawn -> 'esdn ready', and its parts in process.
// Run: node bin/run-ts.js bench/coldStart.bench.ts [--ports 5000] [--runs 5] [--log /tmp/esdn-cold-5000.db] [--in-process-only] [--bin A.mjs,B.mjs]
// `npm run build` first: the spawned esdn otherwise starts through tsx and the spawn figure is wrong.
// --bin: the esdn entry points to spawn, taken in turn in every run (two builds compared in the same minutes).
//
// The log is generated once and reused while the file exists: one host, one network and subnet, N ports
// bound to it in the project's default security group (bulk POSTs through the real API), then what the
// controller records while bringing them up: the switch connected, its port description (vxlan0 and
// every tap), each port wired, the switch in sync, every port ACTIVE (SetPortStatus as esdn's intent).
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createNeutronApi } from '../src/api/createApp.ts';
import { LogFeed } from '../src/controller/feed.ts';
import { SYSTEM_PRINCIPAL } from '../src/domain/principal.ts';
import { SqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore.ts';
import type { EventStore, NewEvent } from '../src/eventStore/types.ts';
import { catchUp } from '../src/service/catchUp.ts';
import { createNeutronService } from '../src/service/neutronService.ts';
import { switchStream } from '../projections/topology/observations.ts';
import { ApiClient } from '../test/support/apiClient.ts';
import { ESDN_BIN, esdnCommand } from '../test/cli/esdnProcess.ts';
import { mainThreadCpuMs, processCpuMs } from './support/cpuTimes.ts';
import { spawn } from 'node:child_process';

const { values: args } = parseArgs({
  options: {
    ports: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '5' },
    log: { type: 'string' },
    'in-process-only': { type: 'boolean', default: false },
    bin: { type: 'string', default: ESDN_BIN },
  },
});
const PORTS = Number(args.ports);
const RUNS = Number(args.runs);
const LOG = args.log ?? `/tmp/esdn-cold-${PORTS}.db`;
const HOST = 'hv1';
/** Ports per bulk POST, as the southbound bench sends them. */
const CHUNK = 250;
const OF_PORT_BASE = 10;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

function meta() {
  const id = `req-${randomUUID()}`;
  return { correlationId: id, causationId: id, requestId: id, actor: { userId: 'esdn', projectId: 'esdn' }, at: new Date().toISOString() };
}

async function observe(store: EventStore, events: { type: string; data: Record<string, unknown> }[]): Promise<void> {
  const m = meta();
  await store.append(switchStream(HOST), events.map((e): NewEvent => ({ id: randomUUID(), type: e.type, data: { host: HOST, ...e.data, at: m.at }, metadata: m })), 'any');
}

async function generate(path: string): Promise<void> {
  const store = SqliteEventStore.open(path);
  const service = createNeutronService({ store });
  await service.start();
  const api = new ApiClient(createNeutronApi({ service, auth: { kind: 'noauth' } }));
  const ok = (r: { status: number; body: unknown }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, { id: string }> & { ports: { id: string }[] };
  };
  ok(await api.post('/v2.0/hosts', { host: { name: HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } }), 'host');
  const net = ok(await api.post('/v2.0/networks', { network: { name: 'net', project_id: 'bench' } }), 'network').network.id;
  ok(await api.post('/v2.0/subnets', { subnet: { network_id: net, project_id: 'bench', cidr: '10.0.0.0/16', ip_version: 4 } }), 'subnet');
  const ids: string[] = [];
  for (let i = 0; i < PORTS; i += CHUNK) {
    const ports = Array.from({ length: Math.min(CHUNK, PORTS - i) }, () => ({ network_id: net, project_id: 'bench', 'binding:host_id': HOST }));
    ids.push(...ok(await api.post('/v2.0/ports', { ports }), 'ports').ports.map((p) => p.id));
  }
  await observe(store, [{ type: 'SwitchConnected', data: { datapathId: '00000000000000a1' } },
    { type: 'SwitchPortObserved', data: { name: 'vxlan0', ofport: 1 } },
    ...ids.map((id, k) => ({ type: 'SwitchPortObserved', data: { name: `tap${id.slice(0, 11)}`, ofport: OF_PORT_BASE + k } }))]);
  await observe(store, [...ids.map((id, k) => ({ type: 'PortWired', data: { id, ofport: OF_PORT_BASE + k } })), { type: 'SwitchInSync', data: {} }]);
  const at = new Date().toISOString();
  const requestId = `req-${randomUUID()}`;
  await Promise.all(ids.map((id) => service.execute({ type: 'SetPortStatus', actor: SYSTEM_PRINCIPAL, at, id, status: 'ACTIVE' }, { requestId, actor: SYSTEM_PRINCIPAL })));
  await service.stop();
  await store.close();
}


async function timed(f: () => Promise<unknown>): Promise<[number, number]> {
  const w0 = performance.now();
  const c0 = mainThreadCpuMs();
  await f();
  return [performance.now() - w0, mainThreadCpuMs() - c0];
}

/** The two catch-ups as serve runs them, in this process: the service's world, then the controller's feed. */
async function inProcess(): Promise<{ service: [number, number]; feed: [number, number] }> {
  const store = SqliteEventStore.open(LOG);
  try {
    const service = await timed(() => catchUp(store));
    const feed = new LogFeed(store, () => {}, (e) => { throw e; });
    const fed = await timed(() => feed.start());
    await feed.stop();
    return { service, feed: fed };
  } finally {
    await store.close();
  }
}

const BINS = args.bin.split(',');

interface Spawned { opening: number; caughtUp: number; ready: number; cpu: number }

/** esdn serve as a process: ms from spawn to the log lines that mark a stage (opening the log, service caught up, ready). */
function spawned(bin: string): Promise<Spawned> {
  const t0 = Date.now();
  const [command, argv] = esdnCommand(bin, ['serve', '--api-listen', '127.0.0.1:0', '--openflow-listen', '127.0.0.1:0', '--store', `sqlite:${LOG}`]);
  const child = spawn(command, argv,
    { env: { ...process.env, ESDN_IDLE_COMPACT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const at: Record<string, number> = {};
  let cpu = Number.NaN;
  let buffered = '';
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (at['esdn ready'] === undefined ? reject(new Error(`esdn exited (${code}) before ready`)) : resolve({
      opening: at['opening event log'] - t0, caughtUp: at['caught up with the event log'] - t0, ready: at['esdn ready'] - t0, cpu,
    })));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (buffered + d.toString()).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: { msg?: string; time?: string };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.msg !== undefined) at[entry.msg] = Date.parse(String(entry.time));
        if (entry.msg === 'esdn ready') {
          cpu = processCpuMs(child.pid!);
          child.kill('SIGTERM');
        }
      }
    });
  });
}

async function main(): Promise<void> {
  if (!existsSync(LOG)) {
    const g0 = performance.now();
    try {
      await generate(LOG);
    } catch (error) {
      rmSync(LOG, { force: true });
      throw error;
    }
    console.log(`generated ${LOG} in ${ms(performance.now() - g0)}`);
  }
  const probe = SqliteEventStore.open(LOG);
  const events = Number(await probe.headPosition());
  await probe.close();
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`cold start: ${PORTS} ports on one host, ${events} events in ${LOG}, ${RUNS} runs, load ${load()}`);
  const rows: Record<string, number[]> = { serviceWall: [], serviceCpu: [], feedWall: [], feedCpu: [] };
  const byBin = BINS.map(() => ({ opening: [] as number[], service: [] as number[], feed: [] as number[], ready: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < RUNS; i++) {
    const p = await inProcess();
    rows.serviceWall.push(p.service[0]);
    rows.serviceCpu.push(p.service[1]);
    rows.feedWall.push(p.feed[0]);
    rows.feedCpu.push(p.feed[1]);
    if (!args['in-process-only']) {
      for (const [b, bin] of BINS.entries()) {
        const s = await spawned(bin);
        byBin[b].opening.push(s.opening);
        byBin[b].service.push(s.caughtUp - s.opening);
        byBin[b].feed.push(s.ready - s.caughtUp);
        byBin[b].ready.push(s.ready);
        byBin[b].cpu.push(s.cpu);
      }
    }
  }
  const line = (name: string, xs: number[]) => xs.length > 0 && console.log(`${name}: median ${ms(median(xs))} (runs ${xs.map((x) => x.toFixed(0)).join(', ')})`);
  line('in process: service catch-up, wall', rows.serviceWall);
  line('in process: service catch-up, main-thread CPU', rows.serviceCpu);
  line('in process: controller feed, wall', rows.feedWall);
  line('in process: controller feed, main-thread CPU', rows.feedCpu);
  for (const [b, bin] of BINS.entries()) {
    if (byBin[b].ready.length === 0) continue;
    console.log(`esdn serve (${bin}):`);
    line('  spawn -> opening the log (node, modules)', byBin[b].opening);
    line('  service catch-up (opening -> caught up)', byBin[b].service);
    line('  controller feed + listen (caught up -> ready)', byBin[b].feed);
    line('  spawn -> esdn ready', byBin[b].ready);
    line('  esdn CPU (all threads) until ready', byBin[b].cpu);
  }
  console.log(`load after: ${load()}`);
}

await main();
