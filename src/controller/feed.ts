// The controller's view of the log: a catch-up subscription from the start folded into the flow projection, with positions to wait on.
//
// The projection needs the whole history (hosts, networks, ports, switch observations), so the feed
// always starts at the beginning of the log; the service's own catch-up has already read it once,
// and the same events are read again here (at 5000 ports this takes well under a second).
import type { EventStore, RecordedEvent, Subscription } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import { FlowProjection, type FlowChanges } from '../../projections/flows/incremental.ts';

export interface FeedListener {
  /** One event was folded; `changes` are the desired-flow changes per host it caused. */
  (event: RecordedEvent, changes: FlowChanges): void;
}

export class LogFeed {
  readonly projection = new FlowProjection();
  /** global position of the last folded event */
  position: bigint = START;
  private subscription: Subscription | undefined;
  private waiters: { position: bigint; resolve: () => void }[] = [];
  private running: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly store: EventStore,
    private readonly onEvent: FeedListener,
    private readonly onError: (error: unknown) => void,
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
        let changes: FlowChanges;
        try {
          changes = this.projection.apply(event);
        } catch (error) {
          // a malformed event must not stop the controller: it changes nothing
          this.onError(error);
          changes = new Map();
        }
        this.position = event.position;
        this.onEvent(event, changes);
        if (this.waiters.length > 0) this.release();
      }
    } catch (error) {
      this.failure = error;
      this.onError(error);
    }
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
