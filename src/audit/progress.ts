// A progress bar with events/s for long replays: drawn on stderr only when it is a terminal, silent in pipes and files.

/** What a replay reports to; the no-op sink is used when nobody watches. */
export interface ProgressSink {
  start(total: number): void;
  update(done: number): void;
  end(): void;
}

export const SILENT: ProgressSink = { start() {}, update() {}, end() {} };

/** Redraw at most this often: a terminal redraw per event would cost more than the replay. */
const REDRAW_MS = 100;
const BAR_WIDTH = 30;
const MS_PER_S = 1000;
/** Replays shorter than this are not worth a bar. */
const MIN_TOTAL = 10_000;

interface TtyLike {
  isTTY?: boolean;
  write(s: string): boolean;
}

export function progressBar(stream: TtyLike = process.stderr, label = 'replaying'): ProgressSink {
  if (stream.isTTY !== true) return SILENT;
  let total = 0;
  let started = 0;
  let drawn = 0;
  let shown = false;
  const draw = (done: number): void => {
    const now = Date.now();
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * BAR_WIDTH);
    const rate = Math.round(done / Math.max(1, now - started) * MS_PER_S);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en')}/${total.toLocaleString('en')} events  ${rate.toLocaleString('en')} events/s `);
    drawn = now;
    shown = true;
  };
  return {
    start(t) {
      total = t;
      started = Date.now();
      drawn = started;
    },
    update(done) {
      if (total >= MIN_TOTAL && Date.now() - drawn >= REDRAW_MS) draw(done);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
