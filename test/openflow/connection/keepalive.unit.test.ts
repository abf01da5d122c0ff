// Echo keepalive timing with fake timers: probe only when idle, any traffic counts as life, silence past the timeout is death.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Keepalive } from '../../../openflow/transport/keepalive.ts';

describe('Keepalive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const events: string[] = [];
    const k = new Keepalive({ intervalMs: 1000, timeoutMs: 500, probe: () => events.push(`probe@${Date.now()}`), onDead: (ms) => events.push(`dead after ${ms}`) });
    return { k, events };
  };

  it('probes after an idle interval and declares the peer dead when nothing follows', () => {
    const { k, events } = make();
    const t0 = Date.now();
    k.start();
    vi.advanceTimersByTime(999);
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(events).toEqual([`probe@${t0 + 1000}`]);
    vi.advanceTimersByTime(500);
    expect(events).toEqual([`probe@${t0 + 1000}`, 'dead after 1500']);
    vi.advanceTimersByTime(10_000);
    expect(events).toHaveLength(2);
  });

  it('never probes a peer that keeps talking, and an answer to a probe keeps it alive', () => {
    const { k, events } = make();
    k.start();
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(900);
      k.received();
    }
    expect(events).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(events).toHaveLength(1);
    vi.advanceTimersByTime(400);
    k.received(); // the echo reply
    vi.advanceTimersByTime(999);
    expect(events).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(events).toHaveLength(2);
    expect(events.some((e) => e.startsWith('dead'))).toBe(false);
  });

  it('does nothing with interval 0 or after stop()', () => {
    const off = new Keepalive({ intervalMs: 0, timeoutMs: 1, probe: () => expect.fail('probe'), onDead: () => expect.fail('dead') });
    off.start();
    vi.advanceTimersByTime(100_000);
    const { k, events } = make();
    k.start();
    k.stop();
    vi.advanceTimersByTime(100_000);
    expect(events).toEqual([]);
  });
});
