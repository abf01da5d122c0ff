// Benchmark: sustained port-create intents/s and latency against a real esdn process on the embedded SQLite log.
// Run: node bin/run-ts.js bench/intents.bench.ts [--seconds 5] [--runs 3] [--clients 1,10,100] [--url http://HOST:PORT] [--no-reference]
//      [--warmup 1] (seconds of load before each run is measured: a fresh esdn's first runs include JIT and heap growth)
//      [--esdn-node-options=--max-semi-space-size=64] (NODE_OPTIONS for the esdn processes it starts, e.g. V8 heap flags)
//      [--compare /path/to/other/checkout/bin/esdn] (A/B in one run: that esdn beside this one, runs alternating)
// Prints esdn's CPU per answered intent (us, all threads and main thread, from /proc), which other load on the machine moves far less than wall-clock figures,
// and how many cores other processes (not esdn, not this bench) kept busy while each run was measured: a run beside someone else's work is visible as such.
// (--url measures an esdn already running, e.g. under a profiler or on KurrentDB, instead of starting one per client count.)
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { esdnCommand, ESDN_BIN } from '../test/cli/esdnProcess.ts';
import { machineBusyMs, mainThreadCpuMs, processCpuMs } from './support/cpuTimes.ts';

/** A /16 holds every port one run can create at the target rate (3,000/s for a few seconds). */
const SUBNET_PREFIX_LENGTH = 16;
const DEFAULT_WARMUP_SECONDS = 1;
const HTTP_CREATED = 201;
const NS_PER_MS = 1e6;
const US_PER_MS = 1000;
const MS_PER_S = 1000;
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Reference: the same HTTP stack (hono on @hono/node-server, JSON body parsed, JSON answer with a
 * fresh uuid) with no decision, no state and no log: the ceiling the HTTP layer alone allows here.
 */
const HTTP_CEILING_SERVER = `
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
for (const [collection, member] of [['networks', 'network'], ['subnets', 'subnet'], ['ports', 'port']]) {
  app.post('/v2.0/' + collection, async (c) => {
    const body = await c.req.json();
    return c.json({ [member]: { ...body[member], id: randomUUID(), status: 'DOWN' } }, 201);
  });
}
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(JSON.stringify({ msg: 'esdn ready', api: 'http://127.0.0.1:' + info.port })));
`;

/** Starts the reference server as its own process (like esdn), resolving its URL and a stop function. */
function startHttpCeiling(): Promise<{ apiUrl: string; pid: number | undefined; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', HTTP_CEILING_SERVER], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`reference server exited (${code})`)));
    child.stdout.once('data', (chunk: Buffer) => {
      const { api } = JSON.parse(chunk.toString()) as { api: string };
      resolve({
        apiUrl: api,
        pid: child.pid,
        stop: () => new Promise<void>((done) => {
          child.removeAllListeners('exit');
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

interface Answer {
  status: number;
  body: string;
}

function post(agent: Agent, base: URL, path: string, payload: unknown): Promise<Answer> {
  const data = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: base.hostname, port: base.port, path, method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function createOrFail(agent: Agent, base: URL, path: string, payload: unknown): Promise<Record<string, { id: string }>> {
  const answer = await post(agent, base, path, payload);
  if (answer.status !== HTTP_CREATED) throw new Error(`POST ${path} answered ${answer.status}: ${answer.body}`);
  return JSON.parse(answer.body) as Record<string, { id: string }>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface RunResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** Upper bounds (ms) of the bucket holding esdn's own p99: HTTP handling and log appends; NaN without /metrics. */
  serverP99: number;
  appendP99: number;
  /** Server CPU time per answered request (us), all threads and main thread only; NaN when the server's pid is unknown. */
  cpuPerIntent: number;
  mainCpuPerIntent: number;
  /** Cores kept busy by every other process while the run was measured (machine busy time less esdn's and this bench's). */
  othersCores: number;
}

/** CPU ms of the server process and of its main thread, so load from others does not count. */
function serverCpu(pid: number | undefined): { all: number; main: number } {
  if (pid === undefined) return { all: NaN, main: NaN };
  return { all: processCpuMs(pid), main: mainThreadCpuMs(pid) };
}

/** Machine busy ms and this bench's own CPU (us), read together so the rest is everyone else's. */
function cpuSnapshot(pid: number | undefined) {
  const usage = process.cpuUsage();
  return { server: serverCpu(pid), machine: machineBusyMs(), bench: usage.user + usage.system };
}

/** Cores used by other processes between two snapshots: the machine's busy time less the server's and the bench's. */
function othersCores(before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>, seconds: number): number {
  const server = Number.isNaN(after.server.all) ? 0 : after.server.all - before.server.all;
  const benchMs = (after.bench - before.bench) / US_PER_MS;
  return (after.machine - before.machine - server - benchMs) / MS_PER_S / seconds;
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

type Buckets = Map<number, number>;

/** Cumulative bucket counts of one histogram series from esdn's /metrics (empty if there is none). */
async function scrapeBuckets(base: URL, metric: string, labels: string): Promise<Buckets> {
  const buckets: Buckets = new Map();
  const answer = await fetch(new URL('/metrics', base)).catch(() => undefined);
  if (!answer?.ok) return buckets;
  for (const line of (await answer.text()).split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`) || !line.includes(labels)) continue;
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le !== undefined) buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.split(' ').at(-1)));
  }
  return buckets;
}

/** The p99 of what was observed between two scrapes, as the upper bound (ms) of its bucket. */
function bucketP99(before: Buckets, after: Buckets): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = delta.at(-1) ?? 0;
  if (total === 0) return NaN;
  const index = delta.findIndex((count) => count >= 0.99 * total);
  return bounds[index] * 1_000;
}

const SERVER_HISTOGRAM = ['esdn_http_request_duration_seconds', 'route="/v2.0/ports",status="201"'] as const;
const APPEND_HISTOGRAM = ['esdn_event_append_duration_seconds', 'outcome="ok"'] as const;

/** `clients` loops, each with one keep-alive connection, create ports back to back for `seconds`. */
async function oneRun(base: URL, clients: number, { seconds, warmup }: RunOptions, runIndex: number, pid: number | undefined): Promise<RunResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  try {
    const { network } = await createOrFail(agent, base, '/v2.0/networks', { network: { name: `bench-${clients}-${runIndex}` } });
    const third = runIndex % 256;
    await createOrFail(agent, base, '/v2.0/subnets', {
      subnet: { network_id: network.id, ip_version: 4, cidr: `10.${third}.0.0/${SUBNET_PREFIX_LENGTH}` },
    });
    const latencies: number[] = [];
    let errors = 0;
    let measuring = false;
    let running = true;
    const loop = async () => {
      while (running) {
        const started = process.hrtime.bigint();
        const answer = await post(agent, base, '/v2.0/ports', { port: { network_id: network.id } });
        if (!measuring) continue;
        if (answer.status === HTTP_CREATED) latencies.push(Number(process.hrtime.bigint() - started) / NS_PER_MS);
        else errors += 1;
      }
    };
    const loops = Array.from({ length: clients }, loop);
    await new Promise((resolve) => setTimeout(resolve, warmup * 1_000));
    const serverBefore = await scrapeBuckets(base, ...SERVER_HISTOGRAM);
    const appendBefore = await scrapeBuckets(base, ...APPEND_HISTOGRAM);
    const cpuBefore = cpuSnapshot(pid);
    measuring = true;
    const from = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    measuring = false;
    const cpuAfter = cpuSnapshot(pid);
    const elapsedSeconds = Number(process.hrtime.bigint() - from) / 1e9;
    const serverAfter = await scrapeBuckets(base, ...SERVER_HISTOGRAM);
    const appendAfter = await scrapeBuckets(base, ...APPEND_HISTOGRAM);
    running = false;
    await Promise.all(loops);
    latencies.sort((a, b) => a - b);
    return { perSecond: latencies.length / elapsedSeconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors,
      serverP99: bucketP99(serverBefore, serverAfter), appendP99: bucketP99(appendBefore, appendAfter),
      cpuPerIntent: ((cpuAfter.server.all - cpuBefore.server.all) * US_PER_MS) / (latencies.length + errors),
      mainCpuPerIntent: ((cpuAfter.server.main - cpuBefore.server.main) * US_PER_MS) / (latencies.length + errors),
      othersCores: othersCores(cpuBefore, cpuAfter, elapsedSeconds) };
  } finally {
    agent.destroy();
  }
}

function printRow(target: string, clients: number, results: RunResult[]): void {
  const row = [
    target.padEnd(14),
    String(clients).padStart(7),
    median(results.map((r) => r.perSecond)).toFixed(0).padStart(10),
    median(results.map((r) => r.p50)).toFixed(2).padStart(8),
    median(results.map((r) => r.p99)).toFixed(2).padStart(8),
    String(results.reduce((n, r) => n + r.errors, 0)).padStart(8),
    median(results.map((r) => r.serverP99)).toFixed(1).padStart(10),
    median(results.map((r) => r.appendP99)).toFixed(1).padStart(12),
    median(results.map((r) => r.cpuPerIntent)).toFixed(0).padStart(8),
    median(results.map((r) => r.mainCpuPerIntent)).toFixed(0).padStart(8),
    median(results.map((r) => r.othersCores)).toFixed(2).padStart(7),
    `   (${results.map((r) => r.perSecond.toFixed(0)).join(', ')}; p99 ms ${results.map((r) => r.p99.toFixed(1)).join(', ')}; others ${results.map((r) => r.othersCores.toFixed(1)).join(', ')})`,
  ];
  console.log(row.join(' '));
}

/**
 * With --compare: CPU per intent of this checkout over the compared one, run by run (the two runs of a pair are
 * seconds apart, so they share the machine's load) and their median. Under load this ratio is what still
 * resolves a difference of ~5-10 % when wall-clock figures swing by 2x (BENCHMARKS.md, Intent API, session 5).
 */
function printPairedCpu(self: RunResult[], compared: RunResult[]): void {
  const ratios = self.map((r, i) => r.cpuPerIntent / compared[i].cpuPerIntent);
  const mainRatios = self.map((r, i) => r.mainCpuPerIntent / compared[i].mainCpuPerIntent);
  const text = (values: number[]) => values.map((v) => v.toFixed(2)).join(', ');
  console.log(`CPU per intent, this checkout / compared, per run pair: all threads ${text(ratios)} (median ${median(ratios).toFixed(2)}); main thread ${text(mainRatios)} (median ${median(mainRatios).toFixed(2)})`);
}

/** One esdn under test: this checkout's launcher (bin/esdn), or another checkout's entry point for --compare. */
interface Target {
  label: string;
  bin: string;
}

interface Started {
  apiUrl: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Readiness: esdn logs one JSON line with msg "esdn ready" and its API URL. */
const READY_MSG = 'esdn ready';
const READY_TIMEOUT_MS = 60_000;

/** Starts `BIN serve ARGS` and resolves once it logged readiness; killed with the bench if the bench dies. */
function startServe(bin: string, args: string[], env: Record<string, string>): Promise<Started> {
  const [command, argv] = esdnCommand(bin, ['serve', ...args, '--openflow-listen', '127.0.0.1:0']);
  const child = spawn(command, argv, {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin} not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${bin} exited before it was ready`));
    });
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let entry: { msg?: string; api?: string } | undefined;
        try {
          entry = JSON.parse(line) as { msg?: string; api?: string };
        } catch {
          continue;
        }
        if (entry.msg !== READY_MSG || entry.api === undefined) continue;
        clearTimeout(timer);
        resolve({ apiUrl: entry.api, pid: child.pid, stop: async () => {
          child.kill('SIGTERM');
          await exited;
          process.off('exit', killOnExit);
        } });
      }
    });
  });
}

/** Each target gets its own esdn and store for this client count; runs alternate between targets. */
async function benchTargets(targets: Target[], clients: number, options: RunOptions, env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esdn-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const started: Started[] = [];
  try {
    for (const [i, target] of targets.entries()) {
      started.push(await startServe(target.bin, ['--api-listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, `events-${i}.db`)}`], env));
    }
    const results: RunResult[][] = targets.map(() => []);
    for (let run = 0; run < options.runs; run += 1) {
      for (const [i, esdn] of started.entries()) results[i].push(await oneRun(new URL(esdn.apiUrl), clients, options, run, esdn.pid));
    }
    for (const [i, target] of targets.entries()) printRow(target.label, clients, results[i]);
    if (results.length === 2) printPairedCpu(results[0], results[1]);
  } finally {
    for (const esdn of started) await esdn.stop();
    removeDir();
    process.off('exit', removeDir);
  }
}

async function runs(url: string, clients: number, options: RunOptions, pid?: number): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (let run = 0; run < options.runs; run += 1) results.push(await oneRun(new URL(url), clients, options, run, pid));
  return results;
}

const THIS_ESDN = ESDN_BIN;

/** How long each run measures, after how much unmeasured load, and how many runs per target. */
interface RunOptions {
  seconds: number;
  warmup: number;
  runs: number;
}

export async function runIntentsBench(options: RunOptions & {
  clients: number[]; url?: string; reference: boolean; esdnNodeOptions?: string; compare?: string;
}): Promise<void> {
  const nodeOptions = options.esdnNodeOptions ?? '';
  console.log(`Intent API: POST /v2.0/ports against esdn serve on SQLite (${options.runs} runs x ${options.seconds} s after ${options.warmup} s of warm-up, medians)${nodeOptions === '' ? '' : `, esdn NODE_OPTIONS=${nodeOptions}`}`);
  if (options.compare !== undefined) console.log(`compared: ${options.compare} (runs alternate with this checkout's)`);
  console.log(`load average at the start: ${loadAverage()}`);
  console.log('target         clients  intents/s   p50 ms   p99 ms   errors  esdn p99<=  append p99<=  cpu us  main us  others   (runs: intents/s)');
  const targets: Target[] = [{ label: 'esdn (SQLite)', bin: THIS_ESDN }];
  if (options.compare !== undefined) targets.push({ label: 'compared', bin: options.compare });
  for (const clients of options.clients) {
    if (options.url) {
      printRow('given --url', clients, await runs(options.url, clients, options));
      continue;
    }
    await benchTargets(targets, clients, options, nodeOptions === '' ? {} : { NODE_OPTIONS: nodeOptions });
    if (!options.reference) continue;
    const ceiling = await startHttpCeiling();
    try {
      printRow('HTTP only (ref)', clients, await runs(ceiling.apiUrl, clients, options, ceiling.pid));
    } finally {
      await ceiling.stop();
    }
  }
  console.log(`load average at the end: ${loadAverage()}; "others": cores other processes kept busy while runs were measured (median; the machine has ${availableParallelism()})`);
}

const isMain = process.argv[1]?.endsWith('intents.bench.ts');
if (isMain) {
  // Exit through process.exit on a signal, so the 'exit' hooks stop the esdn processes this bench started.
  const EXIT_ON_SIGTERM = 143;
  const EXIT_ON_SIGINT = 130;
  process.once('SIGTERM', () => process.exit(EXIT_ON_SIGTERM));
  process.once('SIGINT', () => process.exit(EXIT_ON_SIGINT));
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '5' }, warmup: { type: 'string', default: String(DEFAULT_WARMUP_SECONDS) }, runs: { type: 'string', default: '3' }, clients: { type: 'string', default: '1,10,100' },
      url: { type: 'string' }, 'no-reference': { type: 'boolean', default: false }, 'esdn-node-options': { type: 'string' },
      compare: { type: 'string' } },
  });
  await runIntentsBench({ seconds: Number(values.seconds), warmup: Number(values.warmup), runs: Number(values.runs), clients: values.clients.split(',').map(Number), url: values.url,
    reference: !values['no-reference'], esdnNodeOptions: values['esdn-node-options'], compare: values.compare });
}
