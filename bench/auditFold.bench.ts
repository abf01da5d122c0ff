// Benchmark: the audit replay's fold alone (no SQLite, no JSON parse): CPU per event of each part, on events parsed once up front; and the whole replay (sqlite).
// Run: node bin/run-ts.js bench/auditFold.bench.ts [--log /tmp/esdn-audit-1m.db] [--events 1000000] [--runs 5] [--only sqlite,index,world,...]
// The log is the one bench/audit.bench.ts generates. Figures are per CPU-second of this process, so
// they compare across a shared machine's load; run the variants you compare in the same minute.
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuditIndex } from '../src/audit/auditIndex.ts';
import type { ReplayEvent } from '../src/audit/batches.ts';
import { LogIndex } from '../src/audit/logIndex.ts';
import { checkpointOf, foldEvent, initialReplayState, type ReplayState } from '../src/audit/replayState.ts';
import { evolve } from '../src/domain/evolve.ts';
import { isDomainEvent } from '../src/domain/events.ts';
import { emptyWorld } from '../src/domain/world.ts';
import { SqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore.ts';
import { START } from '../src/eventStore/types.ts';
import type { EventStore } from '../src/eventStore/types.ts';
import { asTopologyEvent } from '../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../projections/topology/view.ts';

const { values: args } = parseArgs({
  options: {
    log: { type: 'string', default: '/tmp/esdn-audit-1m.db' },
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: '' },
    'checkpoint-every': { type: 'string', default: '10000' },
  },
});
const LIMIT = BigInt(args.events);
const RUNS = Number(args.runs);
const CHECKPOINT_EVERY = Number(args['checkpoint-every']);
const NS_PER_US = 1000;
const US_PER_S = 1_000_000;
/** events per read while loading the log into memory */
const LOAD_BATCH = 10_000;
/** utime's index among the /proc stat fields after the command name (stime follows); proc(5) */
const UTIME_FIELD = 11;
/** USER_HZ, the unit of utime/stime: 100 on every Linux this runs on (getconf CLK_TCK) */
const CLOCK_TICKS_PER_S = 100;
/** GC entries reach the observer asynchronously: wait this long after a run before summing them */
const GC_ENTRY_DELAY_MS = 20;

/** The parsed events served from memory through the batch read path (an in-memory store: the fold is what is measured). */
function memoryStore(events: ReplayEvent[]): EventStore {
  const head = events.length === 0 ? START : events[events.length - 1].position;
  const indexAfter = (p: bigint) => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid].position <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const store = {
    headPosition: async () => head,
    readBatch: (after: bigint, upTo: bigint, limit: number) => {
      const from = indexAfter(after);
      const out: ReplayEvent[] = [];
      for (let i = from; i < events.length && out.length < limit && events[i].position <= upTo; i++) out.push(events[i]);
      return out;
    },
  };
  return store as unknown as EventStore;
}

type Variant = (events: ReplayEvent[], log: SqliteEventStore) => Promise<unknown> | unknown;

/** Variants that fold the events held in memory (the others read the log themselves). */
const IN_MEMORY = new Set(['index', 'world', 'view', 'log', 'fold']);

const VARIANTS: Record<string, Variant> = {
  /** AuditIndex.sync() on the SQLite log: the whole replay (read, parse, fold); compare main-thread CPU */
  sqlite: async (_, log) => {
    const index = new AuditIndex(log, { checkpointEvery: CHECKPOINT_EVERY });
    await index.sync();
    return index;
  },
  /** AuditIndex.sync(): everything the audit replay does after the read */
  index: async (events) => {
    const index = new AuditIndex(memoryStore(events), { checkpointEvery: CHECKPOINT_EVERY });
    await index.sync();
    return index;
  },
  /** the domain world alone (the live service's evolve) */
  world: (events) => {
    let world = emptyWorld();
    for (const e of events) if (isDomainEvent(e)) world = evolve(world, e);
    return world;
  },
  /** the topology view alone */
  view: (events) => {
    const view = emptyView();
    for (const e of events) {
      const t = asTopologyEvent(e);
      if (t !== undefined) applyTopologyEvent(view, t);
    }
    return view;
  },
  /** positions, times and resource keys */
  log: (events) => {
    const log = new LogIndex();
    for (const e of events) log.add(e);
    return log;
  },
  /** world + view + checkpoint clones, no log index */
  fold: (events) => {
    const state = initialReplayState();
    const kept: ReplayState[] = [];
    for (const e of events) {
      foldEvent(state, e);
      if (state.count % CHECKPOINT_EVERY === 0) kept.push(checkpointOf(state, kept[kept.length - 1]));
    }
    return kept;
  },
};

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

/** CPU of the main thread alone (Linux /proc; a read-ahead worker's and the GC helpers' CPU excluded), µs. */
function mainThreadCpuUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // fields after the parenthesised command name: utime and stime are the 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[UTIME_FIELD]) + Number(fields[UTIME_FIELD + 1])) * US_PER_S) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const store = SqliteEventStore.open(args.log);
  const head = await store.headPosition();
  const to = head < LIMIT ? head : LIMIT;
  const names = args.only === '' ? Object.keys(VARIANTS) : args.only.split(',');
  for (const name of names) if (VARIANTS[name] === undefined) throw new Error(`unknown variant ${name}: ${Object.keys(VARIANTS).join(', ')}`);
  const events: ReplayEvent[] = [];
  // the synchronous batch read, not readBatches: its read-ahead worker is a separate file a bundle lacks
  if (names.some((n) => IN_MEMORY.has(n))) {
    for (let after = START, batch = store.readBatch(after, to, LOAD_BATCH); batch.length > 0; batch = store.readBatch(after, to, LOAD_BATCH)) {
      for (const e of batch) events.push(e);
      after = batch[batch.length - 1].position;
    }
  }
  console.log(`${Number(to).toLocaleString('en')} events of ${args.log} (sqlite: all ${Number(head).toLocaleString('en')}); median of ${RUNS} runs, variants interleaved`);
  const ns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const mainNs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const gcNs: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  // GC pauses of the main thread, to tell allocation costs from the fold's own work
  const pauses: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  for (let r = 0; r < RUNS; r++) {
    for (const name of names) {
      const count = Number(IN_MEMORY.has(name) ? to : head);
      const t0 = performance.now();
      const c0 = cpuUs();
      const m0 = mainThreadCpuUs();
      await VARIANTS[name](events, store);
      ns[name].push(((cpuUs() - c0) * NS_PER_US) / count);
      mainNs[name].push(((mainThreadCpuUs() - m0) * NS_PER_US) / count);
      const t1 = performance.now();
      await new Promise((resolve) => setTimeout(resolve, GC_ENTRY_DELAY_MS));
      const gcMs = pauses.filter((e) => e.startTime >= t0 && e.startTime < t1).reduce((sum, e) => sum + e.duration, 0);
      gcNs[name].push((gcMs * US_PER_S) / count);
    }
  }
  observer.disconnect();
  await store.close();
  console.log('\n| part | ns per event, process CPU (median) | ns per event, main thread CPU (median) | main-thread events per CPU-s | GC pauses, ns per event (median) | process CPU runs (ns) |\n|---|---:|---:|---:|---:|---|');
  for (const name of names) {
    const m = median(mainNs[name]);
    console.log(`| ${name} | ${median(ns[name]).toFixed(0)} | ${m.toFixed(0)} | ${Math.round((US_PER_S * NS_PER_US) / m).toLocaleString('en')} | ${median(gcNs[name]).toFixed(0)} | ${ns[name].map((x) => x.toFixed(0)).join(', ')} |`);
  }
}

await main();
