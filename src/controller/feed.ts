// The controller's view of the log: a catch-up subscription from the start folded into the flow projection, with positions to wait on.
//
// The projection needs the whole history (hosts, networks, ports, switch observations), so the feed
// always starts at the beginning of the log; the service's own catch-up has already read it once,
// and the same events are read again here (at 5000 ports this takes well under a second).
// Events are folded in batches: whatever the subscription delivers before the event loop turns (a
// burst of port-status observations, or the whole log on a cold start) is one applyBatch, so each
// touched unit (a network's flood flow lists every local port) is recomputed once per batch, not
// once per event.
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
/** A traced fold names its events (type and stream) only when it has at most this many. */
const TRACE_NAMED_EVENTS = 20;

/** Wall-clock milliseconds with a fraction: trace lines of several components (and processes) line up. */
export const epochMs = (): number => Math.round((performance.timeOrigin + performance.now()) * 100) / 100;

export class LogFeed {
  readonly projection = new FlowProjection();
  /** global position of the last folded event */
  position: bigint = START;
  private subscription: Subscription | undefined;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private running: Promise<void> | undefined;
  private failure: unknown;
  /** events delivered but not yet folded */
  private pending: RecordedEvent[] = [];
  private foldScheduled = false;
  /** when the first pending event arrived (only while tracing) */
  private receivedAt = 0;

  constructor(
    private readonly store: EventStore,
    private readonly onEvent: FeedListener,
    private readonly onError: (error: unknown) => void,
    /** at debug level, one 'feed folded' line per batch: when it arrived (just after its commit) and when it was folded */
    private readonly trace?: Logger,
  ) {}

  /** Starts folding; resolves once every event that was in the log when called has been folded. */
  async start(): Promise<void> {
    const head = await this.store.headPosition();
    this.subscription = this.store.subscribe(START);
    this.running = this.loop(this.subscription);
    await this.until(head);
  }

  /** Resolves once the event at `position` (and everything before it) is folded. */
  until(position: bigint): Promise<void> {
    if (this.position >= position) return Promise.resolve();
    if (this.failure !== undefined) return Promise.reject(this.failure instanceof Error ? this.failure : new Error(String(this.failure)));
    return new Promise((resolve) => this.waiters.push({ position, resolve }));
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
        if (this.pending.length >= MAX_BATCH) this.fold();
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
    }
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
