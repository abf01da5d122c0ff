// The replay progress bar: drawn with events/s on a terminal (a fake TTY stream here: no terminal in tests), silent otherwise.
import { describe, expect, it, vi } from 'vitest';
import { progressBar, SILENT } from '../../src/audit/progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => (writes.push(s), true) };
}

describe('progressBar', () => {
  it('is silent when the stream is not a terminal (pipes, files)', () => {
    const s = stream(false);
    const bar = progressBar(s);
    expect(bar).toBe(SILENT);
    bar.start(1_000_000);
    bar.update(500_000);
    bar.end();
    expect(s.writes).toEqual([]);
  });

  it('on a fake TTY draws percent, counts and events/s, then clears its line', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const s = stream(true);
      const bar = progressBar(s, 'replaying');
      bar.start(1_000_000);
      vi.setSystemTime(1000);
      bar.update(250_000);
      expect(s.writes.at(-1)).toMatch(/^\rreplaying \[#{8}\.{22}\]  25% 250,000\/1,000,000 events {2}250,000 events\/s $/);
      bar.update(260_000); // within the redraw interval: nothing
      expect(s.writes.length).toBe(1);
      bar.end();
      expect(s.writes.at(-1)).toBe('\r\x1b[K');
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws nothing for short replays', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const s = stream(true);
      const bar = progressBar(s);
      bar.start(500);
      vi.setSystemTime(5000);
      bar.update(400);
      bar.end();
      expect(s.writes).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
