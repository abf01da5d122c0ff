// Turns the event log's slow-batch reports into a warning line and a /metrics count, naming where the time went.
import type { SlowBatch, SlowBatchListener, SlowPhase } from '../eventStore/sqlite/slowBatch.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/** What each phase means to someone reading the log without the code at hand. */
const WHERE: Record<SlowPhase, string> = {
  begin: 'waiting for the write lock (BEGIN IMMEDIATE: another connection held it)',
  insert: 'in the inserts',
  commit: 'in COMMIT (the WAL fsync, or an automatic checkpoint)',
  outside: 'outside the writer (the main thread not running its event loop, the writer thread waiting for a core, or posting the batch)',
  writer: 'in the writer, under the threshold, not broken down',
};

const tenths = (ms: number): number => Math.round(ms * 10) / 10;

/** The fields of the log line: every duration in ms to a tenth, the phases flat so they can be grepped. */
export function slowBatchFields(b: SlowBatch): Record<string, number | string> {
  return {
    appends: b.appends,
    events: b.events,
    totalMs: tenths(b.totalMs),
    ...(b.phases ? { beginMs: tenths(b.phases.beginMs), insertMs: tenths(b.phases.insertMs), commitMs: tenths(b.phases.commitMs) } : {}),
    writerMs: tenths(b.writerMs),
    outsideMs: tenths(b.outsideMs),
    slowest: b.slowest,
  };
}

export function slowBatchLogger(log: Logger, metrics: Metrics): SlowBatchListener {
  return (b) => {
    metrics.slowBatches.inc({ slowest: b.slowest });
    log.warn(slowBatchFields(b), `slow event log batch: ${Math.round(b.totalMs)} ms, most of it ${WHERE[b.slowest]}`);
  };
}
