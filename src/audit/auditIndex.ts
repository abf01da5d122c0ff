// The audit index: one pass over the log keeps positions, times, which events touch which resource, and checkpoints of the projections.
//
// A question about position P starts from the newest checkpoint at or before P and replays at most
// `checkpointEvery` events, so answers near the head (or anywhere) never replay the whole log.
// Checkpoints live in memory: the world is persistent (shared structure, free to keep) and the
// topology view is copied once per checkpoint, sharing what did not change since the previous one.
// With a checkpoint file, the whole index is also written to disk now and then, and a new process
// starts from there (checkpointCache.ts).
// The positions, times and resources live in logIndex.ts; this file keeps the projections' states.
import type { EventStore, RecordedEvent } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import { readBatches, type ReplayEvent } from './batches.ts';
import { CheckpointCache, type CheckpointStats } from './checkpointCache.ts';
import { LogIndex } from './logIndex.ts';
import { SILENT, type ProgressSink } from './progress.ts';
import { checkpointOf, cloneState, foldEvent, initialReplayState, ownWorld, type ReplayState } from './replayState.ts';
import { lastAtOrBefore } from './search.ts';

/** One checkpoint per this many events: at most this many are replayed for any question. */
export const DEFAULT_CHECKPOINT_EVERY = 10_000;
/**
 * With a checkpoint file: a projection state on disk per this many events (a new process replays at
 * most this many for a question anywhere in the log), and the index once this many were added.
 */
export const DEFAULT_PERSIST_EVERY = 100_000;

/** Let other work run after this many folded events (a few milliseconds). */
const YIELD_EVERY = 4_096;

export interface AuditIndexOptions {
  checkpointEvery?: number;
  /** drawn during sync(); silent by default */
  progress?: ProgressSink;
  /** sidecar file of persisted checkpoints (persistedCheckpoints.ts); none by default */
  checkpointFile?: string;
  /** write a state to the file every this many events, and the index once this many were added (DEFAULT_PERSIST_EVERY) */
  persistEvery?: number;
}

/** What this index did in this process (for `esdn audit --stats` and the tests). */
export interface ReplayStats extends CheckpointStats {
  /** events folded by this process: syncs and replays from checkpoints */
  replayed: number;
}

export class AuditIndex {
  private log = new LogIndex();
  private readonly checkpoints: ReplayState[] = [initialReplayState()];
  private head: ReplayState = initialReplayState();
  private headEventId = '';
  private readonly every: number;
  private readonly cache: CheckpointCache;
  private syncing: Promise<void> | undefined;
  private restoreTried = false;
  readonly stats: ReplayStats = { replayed: 0, restoredFrom: null, persistedAt: null, checkpointError: null };

  constructor(readonly store: EventStore, private readonly options: AuditIndexOptions = {}) {
    this.every = Math.max(1, options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
    const persistEvery = Math.max(1, options.persistEvery ?? DEFAULT_PERSIST_EVERY);
    this.cache = new CheckpointCache(store, options.checkpointFile, persistEvery, this.stats);
  }

  /** Folds everything appended since the last sync (the first sync replays the whole log). Calls are serialized. */
  sync(progress: ProgressSink = this.options.progress ?? SILENT): Promise<void> {
    const run = (this.syncing ?? Promise.resolve()).then(() => this.catchUp(progress));
    this.syncing = run.catch(() => undefined);
    return run;
  }

  private async catchUp(progress: ProgressSink): Promise<void> {
    if (!this.restoreTried) {
      this.restoreTried = true;
      await this.restore();
    }
    const target = await this.store.headPosition();
    if (target <= this.head.position) return;
    const from = this.head.position;
    const span = Number(target - (from === START ? 0n : from));
    progress.start(span);
    try {
      let sinceYield = 0;
      for await (const batch of readBatches(this.store, from, target)) {
        for (const event of batch) this.add(event);
        sinceYield += batch.length;
        progress.update(Number(batch[batch.length - 1].position - (from === START ? 0n : from)));
        // synchronous batches: without this a long replay inside `esdn serve` would hold the event
        // loop (and every API request) for its whole length
        if (sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      progress.end();
    }
    const before = this.checkpoints.findLast((c) => c.position < this.head.position);
    await this.cache.persist(this.head, this.headEventId, this.log.parts, before);
  }

  /** Starts the (empty) index from the newest usable snapshot in the checkpoint file, if any. */
  private async restore(): Promise<void> {
    if (this.head.position !== START) return;
    const snap = await this.cache.restore();
    if (snap === undefined) return;
    this.log = new LogIndex(snap);
    this.head = snap.state;
    this.headEventId = snap.eventId;
    this.checkpoints.push(cloneState(snap.state));
  }

  /** Closes the checkpoint file (the log is the caller's). */
  close(): void {
    this.cache.close();
  }

  private add(event: ReplayEvent): void {
    this.stats.replayed += 1;
    this.headEventId = event.id;
    this.log.add(event);
    // the head is this index's own until a checkpoint or a question copies it (both seal it)
    ownWorld(this.head);
    foldEvent(this.head, event);
    if (this.head.count % this.every === 0) this.checkpoints.push(checkpointOf(this.head, this.checkpoints[this.checkpoints.length - 1]));
    this.cache.folded(this.head, this.headEventId);
  }

  /** Position of the newest indexed event (START for an empty log). */
  get headPosition(): bigint {
    return this.head.position;
  }

  get eventCount(): number {
    return this.log.count;
  }

  get checkpointCount(): number {
    return this.checkpoints.length - 1;
  }

  /** The last event position <= p, START when p is before the first event. */
  settle(p: bigint): bigint {
    return this.log.settle(p);
  }

  /** The last position of the longest log prefix whose events all happened at or before `ms`. */
  positionAtTime(ms: number): bigint {
    return this.log.positionAtTime(ms);
  }

  /** Positions of the events about a resource (ascending), optionally within (after, upTo]. */
  positionsOf(resourceId: string, after = START, upTo?: bigint): bigint[] {
    return this.log.positionsOf(resourceId, after, upTo);
  }

  /**
   * The projections after the last event <= p, as a state the caller owns. `from` (a state the caller
   * already has, e.g. while walking a history) is advanced when no checkpoint is closer.
   */
  async stateAt(p: bigint, from?: ReplayState): Promise<ReplayState> {
    const target = this.settle(p);
    if (target === this.head.position) return cloneState(this.head);
    const inMemory = this.checkpoints[this.checkpointIndex(target)];
    const cp = (await this.fromFile(inMemory.position, target)) ?? inMemory;
    const start = from !== undefined && from.position <= target && from.position >= cp.position ? from : cloneState(cp);
    return this.advance(start, target);
  }

  /** Index of the newest in-memory checkpoint at or before the position. */
  private checkpointIndex(position: bigint): number {
    return lastAtOrBefore(this.checkpoints.length, (k) => Number(this.checkpoints[k].position), Number(position));
  }

  /** A state from the file within (after, upTo], kept among the in-memory checkpoints from now on. */
  private async fromFile(after: bigint, upTo: bigint): Promise<ReplayState | undefined> {
    const state = await this.cache.stateIn(after, upTo);
    if (state !== undefined) this.checkpoints.splice(this.checkpointIndex(state.position) + 1, 0, state);
    return state;
  }

  /** Replays (state.position, target] into the state. */
  private async advance(state: ReplayState, target: bigint): Promise<ReplayState> {
    if (target <= state.position) return state;
    for await (const batch of readBatches(this.store, state.position, target)) {
      for (const event of batch) foldEvent(state, event);
      this.stats.replayed += batch.length;
    }
    return state;
  }

  /** The recorded events at these positions (each one indexed read). */
  async eventsAt(positions: readonly bigint[]): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for (const p of positions) {
      for await (const e of this.store.readAll({ fromPosition: p - 1n, toPosition: p, maxCount: 1 })) if (e.position === p) out.push(e);
    }
    return out;
  }
}
