// The idle compactor: after the heap grew by a burst, one compacting GC once the event loop is idle gives the pages back; never while busy.
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { compactHeap, startIdleCompactor } from '../../src/observability/idleCompactor.ts';
import { countRequests, InFlight } from '../../src/observability/inFlight.ts';
import { burst } from './support/heapBurst.ts';

const INTERVAL_MS = 100;
const MIN_GROWTH = 16 * 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;
/** V8 judges its allocation rate over the last seconds: the young generation shrinks after ~10 s idle. */
const SHRINK_WAIT_MS = 30_000;

describe('idle compactor', () => {
  test('compacts once the loop is idle after the heap grew, and the heap shrinks', async () => {
    let released = 0;
    const compactor = startIdleCompactor({ intervalMs: INTERVAL_MS, minGrowthBytes: MIN_GROWTH, beforeCompact: () => released++ });
    try {
      const kept = burst(1_500_000);
      const grown = getHeapStatistics().total_heap_size;
      for (let i = 0; i < 50 && compactor.compactions === 0; i++) await sleep(INTERVAL_MS);
      expect(compactor.compactions).toBe(1);
      // what only speeds up a burst is dropped first, once per compaction
      expect(released).toBe(1);
      expect(getHeapStatistics().total_heap_size).toBeLessThan(grown);
      expect(kept.length).toBe(375_000);
      // nothing grew since: no second pause
      await sleep(5 * INTERVAL_MS);
      expect(compactor.compactions).toBe(1);
    } finally {
      compactor.stop();
    }
  });

  test('never compacts while the event loop is busy, however much the heap grew', async () => {
    let released = 0;
    const compactor = startIdleCompactor({ intervalMs: INTERVAL_MS, minGrowthBytes: MIN_GROWTH, beforeCompact: () => released++ });
    try {
      const kept: object[][] = [];
      const until = Date.now() + 12 * INTERVAL_MS;
      // busy turns with only a moment between them, as under a stream of intents
      while (Date.now() < until) {
        kept.push(burst(200_000));
        await new Promise((r) => setImmediate(r));
      }
      expect(kept.length).toBeGreaterThan(0);
      expect(compactor.compactions).toBe(0);
      expect(released).toBe(0);
    } finally {
      compactor.stop();
    }
  });

  test('puts a due compaction off while work is in flight, and compacts at the next check once it ended', async () => {
    // over a compacted heap, so the burst is growth whatever the tests before left
    compactHeap();
    let working = true;
    const compactor = startIdleCompactor({ intervalMs: INTERVAL_MS, minGrowthBytes: MIN_GROWTH, inFlight: () => working });
    try {
      const kept = burst(1_500_000);
      // as long as the first test waits for its compaction, or until it was put off three times
      for (let i = 0; i < 50 && compactor.compactions === 0 && compactor.deferrals < 3; i++) await sleep(INTERVAL_MS);
      expect(compactor.compactions).toBe(0);
      expect(compactor.deferrals).toBeGreaterThanOrEqual(3);
      working = false;
      const putOff = compactor.deferrals;
      for (let i = 0; i < 20 && compactor.compactions === 0; i++) await sleep(INTERVAL_MS);
      expect(compactor.compactions).toBe(1);
      // the first check after the work ended compacted: none was put off since
      expect(compactor.deferrals).toBe(putOff);
      expect(kept.length).toBe(375_000);
    } finally {
      compactor.stop();
    }
  });

  test('an HTTP request held open in the app (countRequests) keeps the compaction off until it is answered', async () => {
    compactHeap();
    const requests = new InFlight();
    let answer = () => {};
    const app = new Hono();
    app.use(countRequests(requests));
    app.post('/slow', async (c) => {
      await new Promise<void>((resolve) => (answer = resolve));
      return c.json({ ok: true }, 201);
    });
    const compactor = startIdleCompactor({ intervalMs: INTERVAL_MS, minGrowthBytes: MIN_GROWTH, inFlight: () => requests.count > 0 });
    try {
      const response = app.request('/slow', { method: 'POST' });
      const kept = burst(1_500_000);
      for (let i = 0; i < 50 && compactor.compactions === 0 && compactor.deferrals < 3; i++) await sleep(INTERVAL_MS);
      expect(requests.count).toBe(1);
      expect(compactor.compactions).toBe(0);
      expect(compactor.deferrals).toBeGreaterThanOrEqual(3);
      answer();
      expect((await response).status).toBe(201);
      expect(requests.count).toBe(0);
      for (let i = 0; i < 20 && compactor.compactions === 0; i++) await sleep(INTERVAL_MS);
      expect(compactor.compactions).toBe(1);
      expect(kept.length).toBe(375_000);
    } finally {
      compactor.stop();
    }
  });

  test('a young generation the compaction left large is scavenged while idle until V8 shrinks it', async () => {
    const slack = 8 * 2 ** 20;
    // any growth will do, over a heap compacted first: the tests before this one left it large, and a burst
    // under what they left was no growth at all (2 runs in 3, quiet). Idle here means under 25 % busy: this
    // test is about the scavenges after a compaction (idleness itself: the test before)
    compactHeap();
    const compactor = startIdleCompactor({ intervalMs: 250, minGrowthBytes: 2 ** 20, newSpaceSlackBytes: slack, maxScavenges: 200, idleUtilization: 0.25 });
    try {
      // young garbage in bulk grows the semi-spaces, the kept quarter grows the old generation
      const kept = burst(1_500_000);
      for (let i = 0; i < 80 && compactor.compactions === 0; i++) await sleep(250);
      expect(compactor.compactions).toBe(1);
      const left = newSpace();
      for (let waited = 0; waited < SHRINK_WAIT_MS && newSpace() > slack; waited += 250) await sleep(250);
      expect(newSpace()).toBeLessThanOrEqual(slack);
      // scavenges were asked for only if the compaction left more than the slack
      expect(compactor.scavenges > 0).toBe(left > slack);
      expect(kept.length).toBe(375_000);
    } finally {
      compactor.stop();
    }
  }, SHRINK_WAIT_MS + 20_000);
});
