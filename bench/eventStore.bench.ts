// Benchmark: durable single-event appends/s and p50/p99 latency on the SQLite log (synchronous=FULL),
// with 1, 10 and 100 concurrent writers, beside a reference without group commit (one fsync per append).
// Run: node bin/run-ts.js bench/eventStore.bench.ts [--seconds 3] [--runs 5] [--writers 1,10,100]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore.ts';
import { CREATE_EVENTS_TABLE, DURABILITY_PRAGMAS } from '../src/eventStore/sqlite/schema.ts';
import type { NewEvent } from '../src/eventStore/types.ts';

const NS_PER_MS = 1e6;
const MS_PER_S = 1_000;
const P50 = 0.5;
const P99 = 0.99;

interface RunResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  eventsPerCommit: number;
  /** p99 of the event loop's delay: how long commits (synchronous fsyncs) stall everything else. */
  loopP99Ms: number;
}

/** What a writer calls: resolves once the event is durable. */
type AppendFn = (stream: string, event: NewEvent, expected: bigint | 'no_stream') => Promise<unknown>;

function portCreated(): NewEvent {
  const id = randomUUID();
  return {
    id: randomUUID(),
    type: 'PortCreated',
    data: { id, networkId: randomUUID(), macAddress: 'fa:16:3e:12:34:56', fixedIps: [{ subnetId: randomUUID(), ipAddress: '10.0.0.5' }] },
    metadata: {
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { userId: 'bench', projectId: 'bench' },
      requestId: `req-${id}`,
      at: new Date().toISOString(),
    },
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `writers` callers each append to their own stream with the exact expected revision, for `seconds`. */
async function drive(append: AppendFn, writers: number, seconds: number): Promise<{ latencies: number[]; elapsedMs: number }> {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * MS_PER_S * NS_PER_MS);
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const stream = `port-${randomUUID()}`;
      for (let revision = -1n; process.hrtime.bigint() < deadline; revision++) {
        const t0 = process.hrtime.bigint();
        await append(stream, portCreated(), revision < 0n ? 'no_stream' : revision);
        latencies.push(Number(process.hrtime.bigint() - t0) / NS_PER_MS);
      }
    }),
  );
  return { latencies, elapsedMs: Number(process.hrtime.bigint() - start) / NS_PER_MS };
}

/** Event loop delay sampled every millisecond while `work` runs. */
async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; loopP99Ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const result = await work();
  histogram.disable();
  return { result, loopP99Ms: histogram.percentile(99) / NS_PER_MS };
}

function summarise(latencies: number[], elapsedMs: number, commits: number, loopP99Ms: number): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    perSecond: (latencies.length / elapsedMs) * MS_PER_S,
    p50Ms: quantile(sorted, P50),
    p99Ms: quantile(sorted, P99),
    eventsPerCommit: latencies.length / Math.max(1, commits),
    loopP99Ms,
  };
}

async function runStore(dir: string, writers: number, seconds: number): Promise<RunResult> {
  const store = SqliteEventStore.open(join(dir, `store-${randomUUID()}.db`));
  const before = store.stats.transactions;
  const { result, loopP99Ms } = await withLoopDelay(() => drive((s, e, x) => store.append(s, [e], x), writers, seconds));
  const commits = store.stats.transactions - before;
  await store.close();
  return summarise(result.latencies, result.elapsedMs, commits, loopP99Ms);
}

/**
 * Reference: the same table and pragmas, one autocommit INSERT (one fsync) per append, no batching,
 * with one event-loop turn per append like a server handling requests.
 */
async function runReference(dir: string, writers: number, seconds: number): Promise<RunResult> {
  const db = new Database(join(dir, `reference-${randomUUID()}.db`));
  for (const pragma of DURABILITY_PRAGMAS) db.pragma(pragma);
  db.exec(CREATE_EVENTS_TABLE);
  const insert = db.prepare('INSERT INTO events (stream, revision, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  let commits = 0;
  const append: AppendFn = async (stream, event, expected) => {
    // a server yields to the event loop between requests; so does this reference (as our store does)
    await new Promise((resolve) => setImmediate(resolve));
    const revision = expected === 'no_stream' ? 0n : expected + 1n;
    insert.run(stream, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
    commits++;
  };
  const { result, loopP99Ms } = await withLoopDelay(() => drive(append, writers, seconds));
  db.close();
  return summarise(result.latencies, result.elapsedMs, commits, loopP99Ms);
}

function row(label: string, writers: number, runs: RunResult[]): string {
  const m = (pick: (r: RunResult) => number) => median(runs.map(pick));
  return [
    label.padEnd(34),
    String(writers).padStart(7),
    m((r) => r.perSecond).toFixed(0).padStart(10),
    m((r) => r.p50Ms).toFixed(2).padStart(8),
    m((r) => r.p99Ms).toFixed(2).padStart(8),
    m((r) => r.eventsPerCommit).toFixed(1).padStart(12),
    m((r) => r.loopP99Ms).toFixed(2).padStart(13),
  ].join(' ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '3' }, runs: { type: 'string', default: '5' }, writers: { type: 'string', default: '1,10,100' } },
  });
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  const writerCounts = values.writers.split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'esdn-bench-events-'));
  console.log(`SQLite event log, synchronous=FULL, WAL, files in ${dir}; median of ${runs} runs of ${seconds}s each`);
  console.log(`${'store'.padEnd(34)} ${'writers'.padStart(7)} ${'appends/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'events/commit'.padStart(12)} ${'loop p99 ms'.padStart(13)}`);
  try {
    for (const writers of writerCounts) {
      const ours: RunResult[] = [];
      const reference: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        ours.push(await runStore(dir, writers, seconds));
        reference.push(await runReference(dir, writers, seconds));
      }
      console.log(row('esdn SqliteEventStore (group commit)', writers, ours));
      console.log(row('reference: 1 fsync per append', writers, reference));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
