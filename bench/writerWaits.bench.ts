// Does any connection of esdn's own make the SQLite writer wait? Appends under every reader esdn has, with the slow-batch reports.
// Run: node bin/run-ts.js bench/writerWaits.bench.ts [--seconds 20] [--seed 60000] [--commits 4000]
//
// 1. A seeded log, then `seconds` of appends in a bring-up's shape (bursts of 250 intents, then 5 single ones)
//    while, at the same time, the replay reader worker (readAhead.ts, its own read-only connection) reads the
//    whole log over and over, the main connection pages through it (readAll), and a live catch-up subscription
//    follows every commit; the WAL crosses wal_autocheckpoint (1000 pages) again and again. Prints the slow
//    batches (>= SLOW_BATCH_MS) by the phase that dominated: a write lock held by one of these would show as
//    'begin' (BEGIN IMMEDIATE waiting in SQLite's busy handler).
// 2. `commits` single-event transactions on the writer's batch code, with SQLite's automatic checkpoint on
//    (1000 pages, esdn's setting) and off: the commits that run a checkpoint are the COMMIT phase's tail.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { prepareWriteStatements, writeBatch, type BatchPhases } from '../src/eventStore/sqlite/batchWriter.mjs';
import { CREATE_EVENTS_TABLE, DURABILITY_PRAGMAS, MEMORY_PRAGMAS } from '../src/eventStore/sqlite/schema.ts';
import type { SlowBatch } from '../src/eventStore/sqlite/slowBatch.ts';
import { SqliteEventStore } from '../src/eventStore/sqlite/sqliteEventStore.ts';
import type { NewEvent } from '../src/eventStore/types.ts';

const BURST = 250;
const SINGLES = 5;
const READ_AHEAD_BATCH = 2_000;
const END = 2n ** 62n;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const metadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: { userId: 'bench', projectId: 'bench' }, requestId: 'req-bench', at: new Date().toISOString() };
const portCreated = (i: number): NewEvent => ({ id: randomUUID(), type: 'PortCreated', data: { i, fixedIps: [{ subnetId: randomUUID(), ipAddress: '10.0.0.5' }], pad: 'x'.repeat(300) }, metadata });
const burst = (store: SqliteEventStore, prefix: string, n: number) => Promise.all(Array.from({ length: n }, (_, i) => store.append(`port-${prefix}-${i}`, [portCreated(i)], 'any')));

async function ownReaders(dir: string, seconds: number, seed: number): Promise<void> {
  const path = join(dir, 'readers.db');
  const reports: SlowBatch[] = [];
  const store = SqliteEventStore.open(path, { onSlowBatch: (r) => reports.push(r) });
  for (let done = 0; done < seed; done += 1_000) await burst(store, `seed-${done}`, 1_000);
  reports.length = 0;
  const subscription = store.subscribe();
  let followed = 0;
  const following = (async () => { for await (const _ of subscription) followed++; })();
  let stop = false;
  let replays = 0;
  const reading = (async () => {
    while (!stop) {
      for await (const batch of store.readBatchesAhead(0n, END, READ_AHEAD_BATCH)!) if (stop || batch.length === 0) break;
      for await (const _ of store.readAll({ maxCount: 5_000 })) if (stop) break;
      replays++;
    }
  })();
  const before = store.stats.transactions;
  const t0 = performance.now();
  let appends = 0;
  while (performance.now() - t0 < seconds * 1_000) {
    await burst(store, `run-${appends}`, BURST);
    for (let k = 0; k < SINGLES; k++) await store.append(`port-single-${appends}-${k}`, [portCreated(k)], 'any');
    appends += BURST + SINGLES;
  }
  stop = true;
  await reading;
  await subscription.close();
  await following;
  const bySlowest: Record<string, number> = {};
  for (const r of reports) bySlowest[r.slowest] = (bySlowest[r.slowest] ?? 0) + 1;
  const longestBegin = Math.max(0, ...reports.map((r) => r.phases?.beginMs ?? 0));
  console.log(`1. ${appends} appends in ${store.stats.transactions - before} transactions over ${seconds} s beside ${replays} whole-log replays on the reader worker, main-connection reads and a live subscription (${followed} events followed); WAL ${(statSync(`${path}-wal`).size / 2 ** 20).toFixed(1)} MB`);
  console.log(`   slow batches (>= 50 ms): ${reports.length}, by the phase that dominated: ${JSON.stringify(bySlowest)}; longest BEGIN among them ${longestBegin.toFixed(1)} ms`);
  await store.close();
}

function commitTimes(dir: string, commits: number, autocheckpoint: number): void {
  const db = new Database(join(dir, `commits-${autocheckpoint}.db`));
  for (const pragma of [...DURABILITY_PRAGMAS, ...MEMORY_PRAGMAS, `wal_autocheckpoint = ${autocheckpoint}`]) db.pragma(pragma);
  db.exec(CREATE_EVENTS_TABLE);
  const statements = prepareWriteStatements(db);
  const phases: BatchPhases = { beginMs: 0, insertMs: 0, commitMs: 0 };
  const data = JSON.stringify(portCreated(0).data);
  const times: number[] = [];
  for (let i = 0; i < commits; i++) {
    writeBatch(db, statements, [[{ stream: `port-${i}`, expected: 'any', events: [{ id: randomUUID(), type: 'PortCreated', data, metadata: JSON.stringify(metadata) }] }]], phases);
    times.push(phases.commitMs);
  }
  db.close();
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
  console.log(`2. wal_autocheckpoint=${autocheckpoint}: ${commits} single-event commits, COMMIT ms p50 ${q(0.5)}, p99 ${q(0.99)}, p99.9 ${q(0.999)}, max ${q(1)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, seed: { type: 'string', default: '60000' }, commits: { type: 'string', default: '4000' } } });
  const dir = mkdtempSync(join(tmpdir(), 'esdn-bench-writer-waits-'));
  console.log(`SQLite writer waits, files in ${dir}; load ${load()}`);
  try {
    await ownReaders(dir, Number(values.seconds), Number(values.seed));
    for (const autocheckpoint of [1000, 0]) commitTimes(dir, Number(values.commits), autocheckpoint);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`load ${load()}`);
}

await main();
