// The replay read path (SqliteEventStore.readBatch through readBatches) returns exactly what readAll does, and a rename skips the view's re-index.
import { describe, expect, it } from 'vitest';
import { readBatches, type ReplayEvent } from '../../src/audit/batches.ts';
import type { EventStore, RecordedEvent } from '../../src/eventStore/types.ts';
import { START } from '../../src/eventStore/types.ts';
import { asTopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { useScriptedHistory, type Scripted } from './scriptedHistory.ts';

let h: Scripted;
let log: RecordedEvent[];

useScriptedHistory((history, all) => {
  h = history;
  log = all;
});

async function collect(store: EventStore, from: bigint, to: bigint, size: number): Promise<ReplayEvent[][]> {
  const out: ReplayEvent[][] = [];
  for await (const batch of readBatches(store, from, to, size)) out.push(batch);
  return out;
}

/** What a replay reads of an event (the batch path leaves out stream and revision). */
const replayed = ({ position, id, type, data, metadata }: ReplayEvent): ReplayEvent => ({ position, id, type, data, metadata });

/** The same store seen only through the EventStore contract (no readBatch): the fallback path. */
function contractOnly(store: EventStore): EventStore {
  return {
    append: (...a) => store.append(...a), appendMany: (a) => store.appendMany(a), readStream: (...a) => store.readStream(...a),
    readAll: (o) => store.readAll(o), subscribe: (p) => store.subscribe(p), headPosition: () => store.headPosition(), close: async () => undefined,
  };
}

describe('readBatches', () => {
  it('gives the events of readAll (less stream and revision) for every range and batch size, on SQLite and through the contract alone', async () => {
    expect(typeof (h.store as unknown as { readBatch?: unknown }).readBatch).toBe('function');
    const head = log[log.length - 1].position;
    for (const size of [1, 3, 1000]) {
      for (let from = START; from <= head; from++) {
        for (const to of [from, from + 2n, head, head + 5n]) {
          const want = log.filter((e) => e.position > from && e.position <= to).map(replayed);
          for (const store of [h.store, contractOnly(h.store)]) {
            const batches = await collect(store, from, to, size);
            expect(batches.flat().map(replayed), `(${from}, ${to}] by ${size}`).toEqual(want);
            expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
          }
        }
      }
    }
  });

  it('shares one parsed metadata object among the events of one append, and never across appends', async () => {
    const [all] = await collect(h.store, START, log[log.length - 1].position, 1000);
    for (let i = 1; i < all.length; i++) {
      const sameText = JSON.stringify(all[i].metadata) === JSON.stringify(all[i - 1].metadata);
      expect(all[i].metadata === all[i - 1].metadata, `position ${all[i].position}`).toBe(sameText);
    }
  });
});

describe('topology view', () => {
  it('a rename leaves the port record untouched (no re-index); a change the flows read replaces it', () => {
    const view = emptyView();
    const renameAt = log.findIndex((e) => e.type === 'PortUpdated' && Object.keys((e.data as { changes: object }).changes).join() === 'name');
    expect(renameAt).toBeGreaterThan(0);
    for (const e of log.slice(0, renameAt)) {
      const t = asTopologyEvent(e);
      if (t) applyTopologyEvent(view, t);
    }
    const id = (log[renameAt].data as { id: string }).id;
    const before = view.ports.get(id);
    applyTopologyEvent(view, asTopologyEvent(log[renameAt])!);
    expect(view.ports.get(id)).toBe(before);
    applyTopologyEvent(view, { type: 'PortUpdated', data: { id, changes: { adminStateUp: false } } });
    expect(view.ports.get(id)).not.toBe(before);
    expect(view.ports.get(id)?.adminStateUp).toBe(false);
  });
});
