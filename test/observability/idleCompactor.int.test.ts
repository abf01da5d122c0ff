// The idle compactor in esdn (src/main.ts) with its real HTTP server: a request whose body is still on the wire is never paused.
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEsdn, type Runtime } from '../../src/main.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { compactHeap } from '../../src/observability/idleCompactor.ts';
import { burst } from './support/heapBurst.ts';

const INTERVAL_MS = 200;
const MIN_GROWTH = 16 * 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'esdn-compactor-'));
let esdn: Runtime | undefined;
afterAll(async () => {
  await esdn?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('idle compactor in esdn', () => {
  test('a POST whose body is still uploading holds the compaction off; once answered, the next check compacts', async () => {
    const lines: { msg: string; checksPutOff?: number }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string });
        done();
      },
    });
    const loaded = loadConfig({
      apiListen: '127.0.0.1:0', openflowListen: '127.0.0.1:0', openflowLanes: '0', store: `sqlite:${join(dir, 'events.db')}`,
    }, {});
    if (!loaded.ok) throw loaded.error;
    // the heap compacted first: the burst below is growth over the compactor's baseline whatever ran before
    compactHeap();
    esdn = await startEsdn(loaded.config, createLogger('debug', sink), { idleCompactor: { intervalMs: INTERVAL_MS, minGrowthBytes: MIN_GROWTH } });
    const said = (msg: string) => lines.filter((l) => l.msg === msg);

    // a network created with its body sent in two parts: the handler waits on the second
    const body = Buffer.from(JSON.stringify({ network: { name: 'slow-upload' } }));
    const url = new URL('/v2.0/networks', esdn.apiUrl);
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, resolve);
      req.on('error', reject);
      req.write(body.subarray(0, 10));
      // the rest once the compaction was put off and a few more checks passed
      void (async () => {
        for (let i = 0; i < 50 && said('idle: compaction put off, work in flight').length === 0 && said('idle: heap compacted').length === 0; i++) {
          await sleep(INTERVAL_MS);
        }
        await sleep(3 * INTERVAL_MS);
        expect(said('idle: heap compacted')).toEqual([]);
        expect(said('idle: compaction put off, work in flight')).toHaveLength(1);
        req.end(body.subarray(10));
      })().catch(reject);
    });
    await sleep(2 * INTERVAL_MS);
    const kept = burst(1_500_000);

    const response = await answered;
    expect(response.statusCode).toBe(201);
    response.resume();
    for (let i = 0; i < 20 && said('idle: heap compacted').length === 0; i++) await sleep(INTERVAL_MS);
    const compacted = said('idle: heap compacted');
    expect(compacted).toHaveLength(1);
    expect(compacted[0].checksPutOff).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBe(375_000);
  });
});
