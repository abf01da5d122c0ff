// A replay read on the worker thread (readBatches' read-ahead path) folds to byte-identical projections: the same hashes as the inline read and as readAll.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditIndex } from '../../src/audit/auditIndex.ts';
import { READ_AHEAD_MIN_EVENTS, readBatches, type ReplayEvent } from '../../src/audit/batches.ts';
import { projectionHash, projectionText } from '../../src/audit/hash.ts';
import { foldEvent, initialReplayState } from '../../src/audit/replayState.ts';
import type { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/eventStore/types.ts';
import { START } from '../../src/eventStore/types.ts';
import { useScriptedHistory, type Scripted } from './scriptedHistory.ts';

let h: Scripted;
let log: RecordedEvent[];

useScriptedHistory((history, all) => {
  h = history;
  log = all;
});

const replayed = ({ position, id, type, data, metadata }: ReplayEvent): ReplayEvent => ({ position, id, type, data, metadata });

/** The same SQLite store without the worker path: readBatches reads inline (the reference). */
function inlineOnly(store: EventStore): EventStore {
  return Object.assign(Object.create(store) as EventStore, { readBatchesAhead: undefined });
}

async function fold(store: EventStore, to: bigint, readAheadMin: number): Promise<string> {
  const state = initialReplayState();
  for await (const batch of readBatches(store, START, to, 7, { readAheadMin, readAheadLead: 10n })) for (const e of batch) foldEvent(state, e);
  return projectionText(state);
}

describe('readBatches on the reader thread', () => {
  it('gives the events of readAll for ranges and batch sizes, and folds to the same projection bytes at every step', async () => {
    const head = log[log.length - 1].position;
    for (const size of [1, 5, 1000]) {
      for (const [from, to] of [[START, head], [START, 10n], [3n, head - 2n], [head - 1n, head + 5n]] as const) {
        // all of it on the worker, then a lead read inline while the worker starts on the rest
        for (const readAheadLead of [0n, 4n]) {
          const batches: ReplayEvent[][] = [];
          for await (const b of readBatches(h.store, from, to, size, { readAheadMin: 0, readAheadLead })) batches.push(b);
          const want = log.filter((e) => e.position > from && e.position <= to).map(replayed);
          expect(batches.flat().map(replayed), `(${from}, ${to}] by ${size}, lead ${readAheadLead}`).toEqual(want);
          expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
        }
      }
    }
    for (const step of h.steps) expect(await fold(h.store, step.position, 0), step.name).toBe(await fold(h.store, step.position, Infinity));
  });

  it('leaving the loop during the inline lead stops the reader thread (no hang, the next read works)', async () => {
    for (const leaveAfter of [1, 3]) {
      let seen = 0;
      for await (const batch of readBatches(h.store, START, log[log.length - 1].position, 1, { readAheadMin: 0, readAheadLead: 5n })) {
        seen += batch.length;
        if (seen === leaveAfter) break;
      }
      expect(seen).toBe(leaveAfter);
    }
    let all = 0;
    for await (const batch of readBatches(h.store, START, log[log.length - 1].position, 1, { readAheadMin: 0, readAheadLead: 5n })) all += batch.length;
    expect(all).toBe(log.length);
  });

  it('an audit index over a log longer than READ_AHEAD_MIN_EVENTS (so read on the worker) has the hashes of an inline replay', async () => {
    const port = log.find((e) => e.type === 'PortCreated')!.data as { id: string };
    const appends = Math.ceil((READ_AHEAD_MIN_EVENTS + 5_000) / 500);
    for (let k = 0; k < appends; k++) {
      const id = `req-${randomUUID()}`;
      const metadata = { correlationId: id, causationId: id, requestId: id, actor: { userId: 'alice', projectId: 'proj-a' }, at: new Date(Date.parse('2026-11-26T00:00:00Z') + k).toISOString() };
      const events: NewEvent[] = Array.from({ length: 500 }, (_, j) => ({ id: randomUUID(), type: 'PortUpdated', data: { id: port.id, changes: { name: `n-${k}-${j}` }, updatedAt: metadata.at }, metadata }));
      await h.store.append(`port-${port.id}`, events, 'any');
    }
    const head = await h.store.headPosition();
    const ahead = new AuditIndex(h.store, { checkpointEvery: 20_000 });
    const inline = new AuditIndex(inlineOnly(h.store), { checkpointEvery: 20_000 });
    await ahead.sync();
    await inline.sync();
    expect(ahead.eventCount).toBe(Number(head));
    for (const at of [head, head / 2n, 12_345n]) {
      expect(projectionHash(await ahead.stateAt(at)), `at ${at}`).toBe(projectionHash(await inline.stateAt(at)));
    }
    expect(ahead.positionsOf(port.id)).toEqual(inline.positionsOf(port.id));
    expect(typeof (h.store as SqliteEventStore).readBatchesAhead).toBe('function');
  });
});
