// Kills a real Node process appending to SQLite with SIGKILL mid-stream: every acknowledged append survives.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import type { RecordedEvent } from '../../src/eventStore/types.ts';
import { expectStrictlyIncreasing, toArray } from './helpers.ts';

const CRASH_ROUNDS = 3;
const CONCURRENT_WRITERS = 20;
/** Kill after a varying number of acknowledgements, so the kill lands at different points of a commit. */
const ACKS_BEFORE_KILL = [300, 777, 1500];
const WRITER = join(import.meta.dirname, 'fixtures', 'crashWriter.ts');

interface Ack {
  stream: string;
  last: string;
  position: string;
  ids: string[];
  data: unknown[];
}

const dir = mkdtempSync(join(tmpdir(), 'esdn-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until `killAfter` acknowledgements were read, then SIGKILLs it; returns the acks. */
function runAndKill(path: string, runId: string, killAfter: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, runId, String(CONCURRENT_WRITERS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('ACK ')) return;
      acks.push(JSON.parse(line.slice(4)) as Ack);
      if (acks.length === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

function checkLogReadsCleanly(all: RecordedEvent[]): void {
  expectStrictlyIncreasing(all.map((e) => e.position));
  const next = new Map<string, bigint>();
  for (const event of all) {
    expect(event.revision).toBe(next.get(event.stream) ?? 0n);
    next.set(event.stream, event.revision + 1n);
  }
}

describe('sqlite crash safety (SIGKILL of a real writer process)', () => {
  it(`keeps every acknowledged append across ${CRASH_ROUNDS} kills`, async () => {
    const path = join(dir, 'crash.db');
    for (let round = 0; round < CRASH_ROUNDS; round++) {
      const acks = await runAndKill(path, randomUUID().slice(0, 8), ACKS_BEFORE_KILL[round]);
      expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL[round]);
      const store = SqliteEventStore.open(path);
      const all = await toArray(store.readAll());
      checkLogReadsCleanly(all);
      const byId = new Map(all.map((e) => [e.id, e]));
      const acked = acks.reduce((n, a) => n + a.ids.length, 0);
      console.log(`crash round ${round}: ${acks.length} appends acknowledged (${acked} events), ${all.length} events in the log`);
      for (const ack of acks) {
        ack.ids.forEach((id, k) => {
          const stored = byId.get(id);
          expect(stored, `acknowledged event ${id} is missing`).toBeDefined();
          expect(stored!.stream).toBe(ack.stream);
          expect(stored!.data).toEqual(ack.data[k]);
          expect(stored!.revision).toBe(BigInt(ack.last) - BigInt(ack.ids.length - 1 - k));
        });
        expect(byId.get(ack.ids[ack.ids.length - 1])!.position).toBe(BigInt(ack.position));
      }
      // multi-event appends are all or nothing, acknowledged or not
      const perRequest = new Map<string, number>();
      for (const e of all) {
        const key = (e.metadata as { requestId: string }).requestId;
        perRequest.set(key, (perRequest.get(key) ?? 0) + 1);
      }
      for (const [key, count] of perRequest) expect([1, 3], key).toContain(count);
      await store.close();
    }
  });
});
