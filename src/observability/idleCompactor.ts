// Gives the memory of a burst back: once esdn is idle after its V8 heap grew, one compacting full GC.
//
// Why: a bring-up of 5000 ports allocates fast, so V8 grows the old generation to several times the
// live heap (BENCHMARKS.md, Southbound, Memory), and its own memory reducer does not compact it back:
// the live objects (desired flows) are spread over pages full of garbage made at the same time, so a
// normal full GC frees the garbage but keeps nearly every page (a synthetic test: 107 MB live in a
// 272 MB heap after gc(); 142 MB after a compacting one, RSS 326 -> 196 MB). The compaction is a pause
// (~2 ms per MB live on a quiet machine, 2-4x that at load 7), so it runs only when the event loop was
// nearly idle for IDLE_INTERVALS whole intervals, and only after the heap grew by MIN_GROWTH_BYTES since
// the last one: never while intents or a bring-up keep esdn busy, about once per burst. (Asking for
// growth by half the heap as well left a 5000-port run at 293 MB: its last compaction came mid-bring-up.)
// An idle loop can still have work in flight: a request waiting on its body or on an fsync, a diff
// waiting on the switch's barrier. They would wait out the pause, so the compactor asks `inFlight`
// first and, while it says yes, tries again at its next check.
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString, type HeapInfo } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from './logger.ts';

/** How often idleness and heap growth are looked at. */
const CHECK_INTERVAL_MS = 5_000;
/**
 * Event-loop utilization below which the last interval counts as idle. Port statuses trickling in while
 * ovs-vswitchd adds taps kept esdn a few per cent busy, and 5 % let it compact during a bring-up.
 */
const IDLE_UTILIZATION = 0.02;
/** Heap growth since the last compaction (or start) worth a pause: below it the slack is V8's normal headroom. */
const MIN_GROWTH_BYTES = 32 * 2 ** 20;
/**
 * Idle intervals in a row before a compaction: a 5000-port bring-up leaves esdn idle for seconds at a
 * time while ovs-vswitchd adds taps, and one interval was enough to compact twice during it (0.6 and
 * 1.0 s pauses at load 7, 2026-11-26).
 */
const IDLE_INTERVALS = 2;
/**
 * Young generation left after a compaction above which the compactor keeps asking for it back. V8
 * shrinks its semi-spaces at a GC only once its allocation rate over the last seconds is low, and a
 * compaction soon after a burst can come too early for that: at 5000 ports 1 run in 9 (3bb7c16, session
 * 5) settled at 181 MB with 32 MB of new space (heap total 100 MB instead of 70). A scavenge of the
 * nearly empty young generation is ~1 ms; one after more idle seconds shrinks it (synthetic: 10-15 s).
 */
const NEW_SPACE_SLACK_BYTES = 8 * 2 ** 20;
/** Scavenges per compaction before giving up, one per idle interval (a minute at 5 s). */
const MAX_SCAVENGES = 12;

export interface IdleCompactorOptions {
  log?: Logger;
  intervalMs?: number;
  idleUtilization?: number;
  minGrowthBytes?: number;
  idleIntervals?: number;
  /**
   * Runs just before each compaction: drops what only speeds up a burst (caches, intern pools), so
   * the compaction gives their pages back too.
   */
  beforeCompact?: () => void;
  newSpaceSlackBytes?: number;
  maxScavenges?: number;
  /**
   * Whether work a pause would hold up is in flight (src/observability/inFlight.ts, a reconciler's
   * diff): while it is, no compaction and no scavenge.
   */
  inFlight?: () => boolean;
}

export interface IdleCompactor {
  /** Compactions done so far. */
  readonly compactions: number;
  /** Scavenges asked for after compactions, to get V8 to shrink its young generation. */
  readonly scavenges: number;
  /** Checks at which a compaction was due but put off because work was in flight. */
  readonly deferrals: number;
  stop(): void;
}

type GcFunction = (options?: { type: 'minor' | 'major' }) => void;
let gcFunction: GcFunction | undefined;

/** V8's gc() without --expose-gc on the command line: the flag is read when a context is made. */
function gcFn(): GcFunction {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as GcFunction;
  }
  return gcFunction;
}

/** One full GC that moves live objects out of sparse pages, so V8 can release them. */
export function compactHeap(): void {
  const gc = gcFn();
  setFlagsFromString('--compact-on-every-full-gc');
  try {
    gc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** One scavenge (young generation only): V8 shrinks its semi-spaces at a GC if it has allocated little lately. */
export function scavenge(): void {
  gcFn()({ type: 'minor' });
}

function newSpaceBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

const MB = 2 ** 20;

export function startIdleCompactor(options: IdleCompactorOptions = {}): IdleCompactor {
  const idle = options.idleUtilization ?? IDLE_UTILIZATION;
  const minGrowth = options.minGrowthBytes ?? MIN_GROWTH_BYTES;
  let baseline = getHeapStatistics().total_heap_size;
  const idleIntervals = options.idleIntervals ?? IDLE_INTERVALS;
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let idleInARow = 0;
  let compactions = 0;
  const slack = options.newSpaceSlackBytes ?? NEW_SPACE_SLACK_BYTES;
  let scavenges = 0;
  let scavengesLeft = 0;
  let deferrals = 0;
  /** one log line per compaction put off, however many checks it waits */
  let deferralsAtLastCompaction = 0;
  const inFlight = options.inFlight ?? (() => false);
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idleNow = performance.eventLoopUtilization(now, last).utilization < idle;
    last = now;
    idleInARow = idleNow ? idleInARow + 1 : 0;
    const before = getHeapStatistics();
    // a heap that shrank on its own lowers the bar for the next burst too
    baseline = Math.min(baseline, before.total_heap_size);
    const due = idleInARow >= idleIntervals && before.total_heap_size - baseline >= minGrowth;
    if (!due && !(scavengesLeft > 0 && idleNow)) return;
    // idle, but a request or a diff is waiting on something: it must not wait out a pause too
    if (inFlight()) {
      if (due && deferrals++ === deferralsAtLastCompaction) options.log?.debug('idle: compaction put off, work in flight');
      return;
    }
    if (due) {
      compact(before);
      // the pause itself must not count as work in the next interval
      last = performance.eventLoopUtilization();
      idleInARow = 0;
    } else {
      scavengeOnce();
    }
  }, options.intervalMs ?? CHECK_INTERVAL_MS);

  function compact(before: HeapInfo): void {
    const t0 = performance.now();
    options.beforeCompact?.();
    compactHeap();
    const after = getHeapStatistics();
    baseline = after.total_heap_size;
    compactions++;
    const putOff = deferrals - deferralsAtLastCompaction;
    deferralsAtLastCompaction = deferrals;
    scavengesLeft = newSpaceBytes() > slack ? (options.maxScavenges ?? MAX_SCAVENGES) : 0;
    options.log?.info({
      heapTotalMb: [Math.round(before.total_heap_size / MB), Math.round(after.total_heap_size / MB)],
      heapUsedMb: [Math.round(before.used_heap_size / MB), Math.round(after.used_heap_size / MB)],
      pauseMs: Math.round(performance.now() - t0),
      newSpaceMb: Math.round(newSpaceBytes() / MB),
      ...(putOff > 0 ? { checksPutOff: putOff } : {}),
    }, 'idle: heap compacted');
  }

  // a compaction left the young generation large: one scavenge per idle interval until V8 shrinks it
  function scavengeOnce(): void {
    if (newSpaceBytes() <= slack) {
      scavengesLeft = 0;
      return;
    }
    scavenge();
    scavenges++;
    scavengesLeft--;
    if (newSpaceBytes() <= slack) options.log?.info({ scavenges, newSpaceMb: Math.round(newSpaceBytes() / MB) }, 'idle: young generation shrunk');
  }

  timer.unref();
  return {
    get compactions() {
      return compactions;
    },
    get scavenges() {
      return scavenges;
    },
    get deferrals() {
      return deferrals;
    },
    stop: () => clearInterval(timer),
  };
}
