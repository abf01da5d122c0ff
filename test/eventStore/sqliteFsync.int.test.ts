// Counts real fsync calls with strace: one per commit under synchronous=FULL, shared by concurrent appends.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const APPENDS = 50;
const WRITER = join(import.meta.dirname, 'fixtures', 'fsyncWriter.ts');
const dir = mkdtempSync(join(tmpdir(), 'esdn-fsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** strace must exist and be allowed to trace (ptrace may be forbidden in containers). */
function straceUnavailable(): string | undefined {
  const probe = spawnSync('strace', ['-f', '-e', 'trace=fsync', '-o', '/dev/null', 'true'], { encoding: 'utf8' });
  if (probe.error) return `strace not runnable: ${probe.error.message}`;
  if (probe.status !== 0) return `strace cannot trace here: ${probe.stderr.trim()}`;
  return undefined;
}

/** Runs the writer under strace; returns how many fsync/fdatasync calls it made and its commit stats. */
function traced(mode: 'sequential' | 'concurrent'): { syncs: number; transactions: number } {
  const log = join(dir, `${mode}.strace`);
  const run = spawnSync(
    'strace',
    ['-f', '-e', 'trace=fsync,fdatasync', '-o', log, process.execPath, '--import', 'tsx', WRITER, join(dir, `${mode}.db`), mode, String(APPENDS)],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`writer failed: ${run.stderr}`);
  const syncs = readFileSync(log, 'utf8').split('\n').filter((l) => /\b(fsync|fdatasync)\(/.test(l)).length;
  const stats = JSON.parse(run.stdout.trim().split('\n').pop()!) as { transactions: number };
  return { syncs, transactions: stats.transactions };
}

const unavailable = straceUnavailable();
if (unavailable) console.log(`SKIPPED fsync count test: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('sqlite fsyncs (counted with strace)', () => {
  it('fsyncs once per commit, and concurrent appends share one', () => {
    const sequential = traced('sequential');
    const concurrent = traced('concurrent');
    console.log(`fsyncs for ${APPENDS} appends: sequential ${sequential.syncs} (${sequential.transactions} commits), concurrent ${concurrent.syncs} (${concurrent.transactions} commits)`);
    expect(sequential.transactions).toBe(APPENDS);
    expect(concurrent.transactions).toBe(1);
    // the same fixed cost (schema, WAL header, checkpoint on close) in both runs; the rest is one per commit
    expect(sequential.syncs - concurrent.syncs).toBe(APPENDS - 1);
  });
});
