// The memory gauge: /metrics carries rss, heap total/used, external and array buffers as read at scrape time.
import { Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { registerMemoryGauge } from '../../src/observability/memoryGauge.ts';

const sample = (text: string, kind: string): number =>
  Number(new RegExp(`^t_process_memory_bytes\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text)?.[1]);

describe('memory gauge', () => {
  test('every kind is exported, with rss >= heap total >= heap used > 0', async () => {
    const registry = new Registry();
    registerMemoryGauge(registry, 't_');
    const text = await registry.metrics();
    for (const kind of ['rss', 'heap_total', 'heap_used', 'external', 'array_buffers']) expect(sample(text, kind)).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'heap_used')).toBeGreaterThan(0);
    expect(sample(text, 'heap_total')).toBeGreaterThanOrEqual(sample(text, 'heap_used'));
    expect(sample(text, 'rss')).toBeGreaterThanOrEqual(sample(text, 'heap_used'));
  });

  test('values are read at each scrape, not once', async () => {
    const registry = new Registry();
    registerMemoryGauge(registry, 't_');
    const first = sample(await registry.metrics(), 'array_buffers');
    const held = Buffer.alloc(8 * 2 ** 20, 1);
    const second = sample(await registry.metrics(), 'array_buffers');
    expect(second - first).toBeGreaterThanOrEqual(held.length);
  });
});
