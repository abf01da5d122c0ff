// The controller's view of the log: a catch-up subscription from the start folded into the flow projection, with positions to wait on.
//
// The projection needs the whole history (hosts, networks, ports, switch observations), so the feed
// always starts at the beginning of the log; the service's own catch-up has already read it once,
// and the same events are read again here (at 5000 ports this takes well under a second).
// Events are folded in batches: whatever the subscription delivers before the event loop turns (a
// burst of port-status observations, or the whole log on a cold start) is one applyBatch, so each
// touched unit (a network's flood flow lists every local port) is recomputed once per batch, not
// once per event. The history read at start is one batch up to START_MAX_BATCH events: at 5000
// ports a port's units were otherwise rebuilt once per 10,000 events (its creation, its tap
// observed, its wiring), the costliest part of a cold start.
import type { EventStore, RecordedEvent, Subscription } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import type { Logger } from '../observability/logger.ts';
import { FlowProjection, type FlowChanges } from '../../projections/flows/incremental.ts';

export interface FeedListener {
  /** A batch of events (in log order) was folded; `changes` are the desired-flow changes per host they caused together. */
  (events: readonly RecordedEvent[], changes: FlowChanges): void;
}

/** At most this many events per fold, so a long catch-up still lets the event loop turn now and then. */
const MAX_BATCH = 10_000;
/**
 * At most this many per fold while reading the history at start (nothing else waits on the event
 * loop yet). The batch is held in memory until folded: 25,011 events at 5000 ports (a 15 MB log file).
 */
export const START_MAX_BATCH = 100_000;
/** A traced fold names its events (type and stream) only when it has at most this many. */
const TRACE_NAMED_EVENTS = 20;

/** Wall-clock milliseconds with a fraction: trace lines of several components (and processes) line up. */
export const epochMs = (): number => Math.round((performance.timeOrigin + performance.now()) * 100) / 100;

export class LogFeed {
  readonly projection = new FlowProjection();
  /** global position of the last folded event */
  position: bigint = START;
  private subscription: Subscription | undefined;
  private waiters: { position: bigint; resolve: () => void; reject: (error: Error) => void }[] = [];
  private running: Promise<void> | undefined;
  private failure: unknown;
  /** events delivered but not yet folded */
  private pending: RecordedEvent[] = [];
  private foldScheduled = false;
  /** when the first pending event arrived (only while tracing) */
  private receivedAt = 0;
  /** the log's head when start() was called: up to it, a fold takes up to START_MAX_BATCH events */
  private startHead: bigint = START;

  constructor(
    private readonly store: EventStore,
    private readonly onEvent: FeedListener,
    private readonly onError: (error: unknown) => void,
    /** at debug level, one 'feed folded' line per batch: when it arrived (just after its commit) and when it was folded */
    private readonly trace?: Logger,
  ) {}

  /** Starts folding; resolves once every event that was in the log when called has been folded, rejects if the log cannot be read up to there. */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.startHead = head;
    this.subscription = this.store.subscribe(START);
    this.running = this.loop(this.subscription);
    await this.until(head);
  }

  /** Resolves once the event at `position` (and everything before it) is folded. */
  until(position: bigint): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failureError());
    return new Promise((resolve, reject) => this.waiters.push({ position, resolve, reject }));
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.running;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  private async loop(sub: Subscription): Promise<void> {
    try {
      for await (const event of sub) {
        if (this.pending.length === 0 && this.tracing()) this.receivedAt = epochMs();
        this.pending.push(event);
        // the history at start is read without the event loop turning (SQLite): it splits only at the cap
        if (this.pending.length >= (event.position <= this.startHead ? START_MAX_BATCH : MAX_BATCH)) this.fold();
        else if (!this.foldScheduled) {
          this.foldScheduled = true;
          setImmediate(() => this.fold());
        }
      }
      this.fold();
    } catch (error) {
      this.fold();
      this.failure = error;
      this.onError(error);
      // nothing after the failed read will be folded: whoever waits for it (start() on a corrupt row) hears why
      for (const w of this.waiters.splice(0)) w.reject(this.failureError());
    }
  }

  private failureError(): Error {
    return this.failure instanceof Error ? this.failure : new Error(String(this.failure));
  }

  private fold(): void {
    this.foldScheduled = false;
    const events = this.pending;
    if (events.length === 0) return;
    this.pending = [];
    // a malformed event must not stop the controller: it is reported and changes nothing
    const changes = this.projection.applyBatch(events, (error) => this.onError(error));
    this.position = events[events.length - 1].position;
    if (this.tracing()) this.traceFold(events);
    this.onEvent(events, changes);
    if (this.waiters.length > 0) this.release();
  }

  private tracing(): boolean {
    return this.trace?.isLevelEnabled('debug') === true;
  }

  /** The latency timeline of one more port (bench/oneMorePort.bench.ts) reads these lines. */
  private traceFold(events: readonly RecordedEvent[]): void {
    this.trace?.debug({
      count: events.length, from: String(events[0].position), to: String(events[events.length - 1].position),
      receivedAt: this.receivedAt, foldedAt: epochMs(),
      events: events.length <= TRACE_NAMED_EVENTS ? events.map((e) => `${e.type} ${e.stream}`) : undefined,
    }, 'feed folded');
  }

  private release(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.position >= w.position) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
