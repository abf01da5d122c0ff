// A slow batch of the event log becomes one warning line with its phases, and a count in /metrics.
import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { slowBatchLogger } from '../../src/observability/slowBatchLog.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, log: createLogger('info', sink) };
}

describe('slowBatchLogger', () => {
  test('logs a warning with the batch size, the phases and where most of the time went, and counts it', async () => {
    const { lines, log } = capture();
    const metrics = createMetrics({ defaultMetrics: false });
    const report = slowBatchLogger(log, metrics);
    report({
      appends: 2, events: 5, totalMs: 830.64, writerMs: 828.9, outsideMs: 1.74,
      phases: { beginMs: 826.12, insertMs: 0.4, commitMs: 2.38 }, slowest: 'begin',
    });
    report({ appends: 1, events: 1, totalMs: 700, writerMs: 3, outsideMs: 697, slowest: 'outside' });
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines[0]).toMatchObject({
      level: 40, appends: 2, events: 5, totalMs: 830.6, beginMs: 826.1, insertMs: 0.4, commitMs: 2.4, writerMs: 828.9, outsideMs: 1.7, slowest: 'begin',
    });
    expect(lines[0].msg).toMatch(/831 ms, most of it waiting for the write lock/);
    expect(lines[1]).toMatchObject({ level: 40, slowest: 'outside', outsideMs: 697 });
    expect(lines[1]).not.toHaveProperty('beginMs');
    expect(lines[1].msg).toMatch(/outside the writer/);
    const text = await metrics.render();
    expect(text).toContain('esdn_event_store_slow_batches_total{slowest="begin"} 1');
    expect(text).toContain('esdn_event_store_slow_batches_total{slowest="outside"} 1');
  });
});
