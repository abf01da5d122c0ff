// The slow-batch report: when a batch counts as slow and which phase it names.
import { describe, expect, test } from 'vitest';
import type { PendingUnit } from '../../src/eventStore/sqlite/batchWriter.mjs';
import { SLOW_BATCH_MS, slowBatch } from '../../src/eventStore/sqlite/slowBatch.ts';

const unit = (...counts: number[]): PendingUnit =>
  counts.map((n, i) => ({ stream: `s-${i}`, expected: 'any', events: Array.from({ length: n }, () => ({ id: 'x', type: 'T', data: '{}', metadata: '{}' })) }));

describe('slowBatch', () => {
  test('a batch under SLOW_BATCH_MS from post to result is not reported, whatever its parts', () => {
    expect(slowBatch([unit(1)], SLOW_BATCH_MS - 0.1, 1)).toBeUndefined();
    expect(slowBatch([unit(1)], SLOW_BATCH_MS, 1)).toBeDefined();
  });

  test('counts appends and the events of every part', () => {
    expect(slowBatch([unit(2, 3), unit(1)], 60, 1)).toMatchObject({ appends: 2, events: 6 });
  });

  test('names the writer phase that took longest, or the time outside the writer', () => {
    const phases = (beginMs: number, insertMs: number, commitMs: number) => ({ beginMs, insertMs, commitMs });
    expect(slowBatch([unit(1)], 830, 828.5, phases(826, 0.5, 2))).toMatchObject({ slowest: 'begin', outsideMs: 1.5 });
    expect(slowBatch([unit(1)], 90, 85, phases(1, 4, 80))?.slowest).toBe('commit');
    expect(slowBatch([unit(1)], 90, 85, phases(1, 80, 4))?.slowest).toBe('insert');
    expect(slowBatch([unit(1)], 300, 55, phases(50, 1, 4))?.slowest).toBe('outside');
  });

  test('without phases (the writer itself was fast) it names the outside time, or the writer as a whole', () => {
    expect(slowBatch([unit(1)], 700, 3)).toMatchObject({ slowest: 'outside', outsideMs: 697 });
    expect(slowBatch([unit(1)], 60, 45)?.slowest).toBe('writer');
    expect(slowBatch([unit(1)], 60, 45)?.phases).toBeUndefined();
  });
});
