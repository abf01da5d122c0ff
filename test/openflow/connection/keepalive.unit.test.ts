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

  const busyKeepalive = (busy: () => boolean) => {
    const events: string[] = [];
    const k = new Keepalive({
      intervalMs: 1000, timeoutMs: 500, busyTimeoutMs: 4000, busy,
      probe: () => events.push('probe'), onDead: (ms) => events.push(`dead after ${ms}`),
    });
    return { k, events };
  };

  it('keeps a silent peer that still owes answers up to busyTimeoutMs of silence, then declares it dead', () => {
    const { k, events } = busyKeepalive(() => true);
    k.start();
    vi.advanceTimersByTime(3999);
    expect(events).toEqual(['probe']);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['probe', 'dead after 4000']);
  });

  it('gives a busy peer that answers a fresh deadline, and the echo timeout once it owes nothing', () => {
    let busy = true;
    const { k, events } = busyKeepalive(() => busy);
    k.start();
    vi.advanceTimersByTime(3000);
    k.received(); // the barrier reply: nothing owed any more
    busy = false;
    vi.advanceTimersByTime(1000);
    expect(events).toEqual(['probe', 'probe']);
    vi.advanceTimersByTime(499);
    expect(events).toEqual(['probe', 'probe']);
    vi.advanceTimersByTime(1);
    expect(events).toEqual(['probe', 'probe', 'dead after 1500']);
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
