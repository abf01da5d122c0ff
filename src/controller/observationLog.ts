// Appends the controller's observations (switch up/down, ports seen, flows confirmed) to the log, many per append.
//
// Observations of one switch go to its own stream (`switch-<host>`) with no expected revision: only
// this controller writes there, and the order inside one append is kept. Everything queued in one
// event-loop turn becomes one append per switch, so a burst of port-status messages costs one commit.
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../eventStore/types.ts';
import { SYSTEM_PRINCIPAL } from '../domain/principal.ts';
import type { Logger } from '../observability/logger.ts';
import { switchStream, type SwitchObservation } from '../../projections/topology/observations.ts';
import { epochMs } from './feed.ts';

interface Queued {
  events: SwitchObservation[];
  waiters: { resolve: (position: bigint) => void; reject: (error: unknown) => void }[];
  /** when the first of these was queued (only while tracing) */
  queuedAt: number;
}

/** A traced append names its observations only when it has at most this many. */
const TRACE_NAMED_EVENTS = 20;

export class ObservationLog {
  private readonly queue = new Map<string, Queued>();
  private scheduled = false;

  constructor(
    private readonly store: EventStore,
    /** at debug level, one 'observations durable' line per append: queued, sent to the store, durable */
    private readonly trace?: Logger,
  ) {}

  /** Queues observations of one switch; resolves with the log position once they are durable. */
  append(host: string, events: readonly SwitchObservation[]): Promise<bigint> {
    let q = this.queue.get(host);
    if (!q) this.queue.set(host, (q = { events: [], waiters: [], queuedAt: this.tracing() ? epochMs() : 0 }));
    q.events.push(...events);
    const done = new Promise<bigint>((resolve, reject) => q.waiters.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      // a microtask, not the next turn: the store's group commit already gathers every append of
      // this turn into one transaction, and a turn more put one more wait before the fsync
      queueMicrotask(() => this.flush());
    }
    return done;
  }

  private flush(): void {
    this.scheduled = false;
    const batches = [...this.queue];
    this.queue.clear();
    for (const [host, q] of batches) {
      if (q.events.length === 0) {
        for (const w of q.waiters) w.resolve(-1n);
        continue;
      }
      const requestId = `req-${randomUUID()}`;
      const metadata = {
        correlationId: requestId, causationId: requestId, requestId,
        actor: { userId: SYSTEM_PRINCIPAL.userId, projectId: SYSTEM_PRINCIPAL.projectId }, at: new Date().toISOString(),
      };
      const events: NewEvent[] = q.events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata }));
      const flushedAt = this.tracing() ? epochMs() : 0;
      this.store.append(switchStream(host), events, 'any').then(
        (r) => {
          if (flushedAt > 0) this.traceDurable(host, q, flushedAt, r.position);
          for (const w of q.waiters) w.resolve(r.position);
        },
        (error: unknown) => { for (const w of q.waiters) w.reject(error); },
      );
    }
  }

  private tracing(): boolean {
    return this.trace?.isLevelEnabled('debug') === true;
  }

  /** The latency timeline of one more port (bench/oneMorePort.bench.ts) reads these lines. */
  private traceDurable(host: string, q: Queued, flushedAt: number, position: bigint): void {
    this.trace?.debug({
      host, count: q.events.length, position: String(position), queuedAt: q.queuedAt, flushedAt, durableAt: epochMs(),
      events: q.events.length <= TRACE_NAMED_EVENTS ? q.events.map(observationLabel) : undefined,
    }, 'observations durable');
  }
}

/** An observation's type and the interface or port it is about. */
function observationLabel(o: SwitchObservation): string {
  const d = o.data as { name?: string; id?: string };
  return `${o.type}${d.name !== undefined ? ` ${d.name}` : d.id !== undefined ? ` ${d.id}` : ''}`;
}
