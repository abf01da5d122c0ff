// The latency trace the one-more-port bench reads: at debug level the feed and the observation log say when a batch arrived, was folded and was durable; at info level they say nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFeed } from '../../src/controller/feed.ts';
import { ObservationLog } from '../../src/controller/observationLog.ts';
import { openEventStore } from '../../src/eventStore/open.ts';
import type { EventStore } from '../../src/eventStore/types.ts';
import { createLogger } from '../../src/observability/logger.ts';

const AT = '2026-11-26T00:00:00.000Z';

/** A logger whose lines land in an array. */
function capture(level: 'debug' | 'info') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { log: createLogger(level, sink), lines };
}

describe('latency trace of the controller feed and observation log (real SQLite)', () => {
  let dir: string;
  let store: EventStore;
  let feed: LogFeed | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-trace-'));
    store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  });
  afterEach(async () => {
    await feed?.stop();
    feed = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('at debug, one append is traced from queued to durable to folded, in that order, with its names', async () => {
    const { log, lines } = capture('debug');
    feed = new LogFeed(store, () => undefined, () => undefined, log);
    await feed.start();
    const observations = new ObservationLog(store, log);
    const position = await observations.append('hv1', [{ type: 'SwitchPortObserved', data: { host: 'hv1', name: 'tapabc', ofport: 7, at: AT } }]);
    await feed.until(position);
    await new Promise((r) => setImmediate(r));
    const durable = lines.find((l) => l.msg === 'observations durable')!;
    const folded = lines.find((l) => l.msg === 'feed folded')!;
    expect(durable).toMatchObject({ host: 'hv1', count: 1, position: String(position), events: ['SwitchPortObserved tapabc'] });
    expect(folded).toMatchObject({ count: 1, from: String(position), to: String(position), events: ['SwitchPortObserved switch-hv1'] });
    const [queued, flushed, done] = [durable.queuedAt, durable.flushedAt, durable.durableAt].map(Number);
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThanOrEqual(flushed);
    expect(flushed).toBeLessThanOrEqual(done);
    // the feed has the event once it is committed, and folds it after
    expect(Number(folded.receivedAt)).toBeGreaterThanOrEqual(flushed);
    expect(Number(folded.foldedAt)).toBeGreaterThanOrEqual(Number(folded.receivedAt));
  });

  it('at info, nothing is traced', async () => {
    const { log, lines } = capture('info');
    feed = new LogFeed(store, () => undefined, () => undefined, log);
    await feed.start();
    const position = await new ObservationLog(store, log).append('hv1', [{ type: 'SwitchInSync', data: { host: 'hv1', at: AT } }]);
    await feed.until(position);
    expect(lines).toEqual([]);
  });
});
