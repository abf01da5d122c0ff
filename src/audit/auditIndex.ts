// The audit index: one pass over the log keeps positions, times, which events touch which resource, and checkpoints of the projections.
//
// A question about position P starts from the newest checkpoint at or before P and replays at most
// `checkpointEvery` events, so answers near the head (or anywhere) never replay the whole log.
// Checkpoints live in memory: the world is persistent (shared structure, free to keep) and the
// topology view is cloned once per checkpoint. With a checkpoint file, the whole index is also
// written to disk now and then, and a new process starts from there (persistedCheckpoints.ts).
import type { EventStore, RecordedEvent } from '../eventStore/types.ts';
import { START } from '../eventStore/types.ts';
import { readBatches, type ReplayEvent } from './batches.ts';
import { foldCodeHash } from './codeHash.ts';
import { CheckpointFile, type StateRef } from './persistedCheckpoints.ts';
import { SILENT, type ProgressSink } from './progress.ts';
import { cloneState, foldEvent, initialReplayState, type ReplayState } from './replayState.ts';
import { resourceKeys } from './resources.ts';

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
export interface ReplayStats {
  /** events folded by this process: syncs and replays from checkpoints */
  replayed: number;
  /** position of the persisted checkpoint this index started from, or null */
  restoredFrom: number | null;
  /** position of the last persisted checkpoint this process wrote, or null */
  persistedAt: number | null;
  /** why the checkpoint file could not be used, if it could not */
  checkpointError: string | null;
}

/** Largest i in [0, n) with key(i) <= x (keys non-decreasing), or -1. */
function lastAtOrBefore(n: number, key: (i: number) => number, x: number): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export class AuditIndex {
  /** positions of every event, in log order (numbers: positions stay far below 2^53) */
  private positions: number[] = [];
  /** running maximum of the events' `at` (ms): "the log up to time T" is the prefix whose times are all <= T */
  private maxTimes: number[] = [];
  private byResource = new Map<string, number[]>();
  private readonly checkpoints: ReplayState[] = [initialReplayState()];
  private head: ReplayState = initialReplayState();
  private headEventId = '';
  private readonly every: number;
  private readonly persistEvery: number;
  private syncing: Promise<void> | undefined;
  private lastMeta: unknown;
  private lastTime = Number.NaN;
  private file: CheckpointFile | undefined;
  private restoreTried = false;
  /** head.count when the index was last read from or written to the file */
  private persistedCount: number | undefined;
  /** projection states in the file not loaded yet (positions ascending) */
  private fileStates: StateRef[] = [];
  readonly stats: ReplayStats = { replayed: 0, restoredFrom: null, persistedAt: null, checkpointError: null };

  constructor(readonly store: EventStore, private readonly options: AuditIndexOptions = {}) {
    this.every = Math.max(1, options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY);
    this.persistEvery = Math.max(1, options.persistEvery ?? DEFAULT_PERSIST_EVERY);
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
    await this.persist();
  }

  // ---- persisted checkpoints (a cache: every failure only means replaying more) ----

  private openFile(): CheckpointFile | undefined {
    if (this.file !== undefined || this.options.checkpointFile === undefined || this.stats.checkpointError !== null) return this.file;
    try {
      this.file = CheckpointFile.open(this.options.checkpointFile);
    } catch (error) {
      this.stats.checkpointError = `cannot open ${this.options.checkpointFile}: ${(error as Error).message}`;
    }
    return this.file;
  }

  private async eventIdAt(p: bigint): Promise<string | undefined> {
    for await (const [e] of readBatches(this.store, p - 1n, p, 1)) return e.position === p ? e.id : undefined;
    return undefined;
  }

  /** Starts the (empty) index from the newest checkpoint of this fold code whose event is still in the log. */
  private async restore(): Promise<void> {
    const file = this.openFile();
    if (file === undefined || this.head.position !== START) return;
    let hash: string;
    let candidates: StateRef[];
    try {
      hash = foldCodeHash();
      candidates = file.candidates(hash);
    } catch (error) {
      this.stats.checkpointError = `cannot read ${this.options.checkpointFile}: ${(error as Error).message}`;
      return;
    }
    for (const c of candidates) {
      if ((await this.eventIdAt(c.position)) !== c.eventId) continue;
      try {
        const snap = file.load(hash, c.position);
        if (snap === undefined) continue;
        this.positions = snap.positions;
        this.maxTimes = snap.maxTimes;
        this.byResource = snap.byResource;
        this.head = snap.state;
        this.headEventId = snap.eventId;
        this.checkpoints.push(cloneState(snap.state));
        this.persistedCount = snap.state.count;
        this.stats.restoredFrom = Number(snap.state.position);
        this.fileStates = file.statePositions(hash).filter((r) => r.position < snap.state.position);
        return;
      } catch (error) {
        this.stats.checkpointError = `checkpoint at ${c.position} unreadable: ${(error as Error).message}`;
      }
    }
  }

  /** Writes the head to the file when enough was folded since the last checkpoint there (or none exists yet). */
  private async persist(): Promise<void> {
    const file = this.openFile();
    if (file === undefined || this.head.count === 0) return;
    if (this.persistedCount !== undefined && this.head.count - this.persistedCount < this.persistEvery) return;
    try {
      file.save(foldCodeHash(), { state: this.head, eventId: this.headEventId, positions: this.positions, maxTimes: this.maxTimes, byResource: this.byResource });
      this.persistedCount = this.head.count;
      this.stats.persistedAt = Number(this.head.position);
      // and the newest in-memory checkpoint before the head: a new process then answers just
      // before the head (the likeliest questions) from at most checkpointEvery events, not persistEvery
      const last = this.checkpoints.findLast((c) => c.position < this.head.position);
      if (last !== undefined && last.count > 0 && last.count % this.persistEvery !== 0) {
        const id = await this.eventIdAt(last.position);
        if (id !== undefined) file.saveState(foldCodeHash(), last, id);
      }
    } catch (error) {
      this.stats.checkpointError = `cannot write ${this.options.checkpointFile}: ${(error as Error).message}`;
    }
  }

  private persistState(): void {
    try {
      this.file?.saveState(foldCodeHash(), this.head, this.headEventId);
    } catch (error) {
      this.stats.checkpointError = `cannot write ${this.options.checkpointFile}: ${(error as Error).message}`;
      this.file = undefined;
    }
  }

  /** The newest state in the file within (after, upTo], loaded and kept as a checkpoint; undefined if none is usable. */
  private async fileStateIn(after: bigint, upTo: bigint): Promise<ReplayState | undefined> {
    const i = lastAtOrBefore(this.fileStates.length, (k) => Number(this.fileStates[k].position), Number(upTo));
    if (i < 0 || this.fileStates[i].position <= after || this.file === undefined) return undefined;
    const [ref] = this.fileStates.splice(i, 1);
    try {
      if ((await this.eventIdAt(ref.position)) !== ref.eventId) return undefined;
      const state = this.file.loadState(foldCodeHash(), ref.position);
      if (state === undefined) return undefined;
      const at = lastAtOrBefore(this.checkpoints.length, (k) => Number(this.checkpoints[k].position), Number(state.position));
      this.checkpoints.splice(at + 1, 0, state);
      return state;
    } catch (error) {
      this.stats.checkpointError = `state at ${ref.position} unreadable: ${(error as Error).message}`;
      return undefined;
    }
  }

  /** Closes the checkpoint file (the log is the caller's). */
  close(): void {
    this.file?.close();
    this.file = undefined;
  }

  private add(event: ReplayEvent): void {
    const pos = Number(event.position);
    this.stats.replayed += 1;
    this.headEventId = event.id;
    this.positions.push(pos);
    // events appended together share one metadata object (SqliteEventStore.readBatch): parse its time once
    if (event.metadata !== this.lastMeta) {
      this.lastMeta = event.metadata;
      this.lastTime = Date.parse(event.metadata?.at);
    }
    const t = this.lastTime;
    const prev = this.maxTimes.length === 0 ? -Infinity : this.maxTimes[this.maxTimes.length - 1];
    this.maxTimes.push(Number.isNaN(t) || t < prev ? prev : t);
    for (const key of resourceKeys(event)) {
      const list = this.byResource.get(key);
      if (list === undefined) this.byResource.set(key, [pos]);
      else list.push(pos);
    }
    foldEvent(this.head, event);
    if (this.head.count % this.every === 0) this.checkpoints.push(cloneState(this.head));
    if (this.file !== undefined && this.head.count % this.persistEvery === 0) this.persistState();
  }

  /** Position of the newest indexed event (START for an empty log). */
  get headPosition(): bigint {
    return this.head.position;
  }

  get eventCount(): number {
    return this.positions.length;
  }

  get checkpointCount(): number {
    return this.checkpoints.length - 1;
  }

  /** The last event position <= p, START when p is before the first event. */
  settle(p: bigint): bigint {
    const i = lastAtOrBefore(this.positions.length, (k) => this.positions[k], Number(p));
    return i < 0 ? START : BigInt(this.positions[i]);
  }

  /** The last position of the longest log prefix whose events all happened at or before `ms`. */
  positionAtTime(ms: number): bigint {
    const i = lastAtOrBefore(this.maxTimes.length, (k) => this.maxTimes[k], ms);
    return i < 0 ? START : BigInt(this.positions[i]);
  }

  /** Positions of the events about a resource (ascending), optionally within (after, upTo]. */
  positionsOf(resourceId: string, after = START, upTo?: bigint): bigint[] {
    const list = this.byResource.get(resourceId) ?? [];
    const lo = Number(after);
    const hi = upTo === undefined ? Infinity : Number(upTo);
    return list.filter((p) => p > lo && p <= hi).map(BigInt);
  }

  /**
   * The projections after the last event <= p, as a state the caller owns. `from` (a state the caller
   * already has, e.g. while walking a history) is advanced when no checkpoint is closer.
   */
  async stateAt(p: bigint, from?: ReplayState): Promise<ReplayState> {
    const target = this.settle(p);
    if (target === this.head.position) return cloneState(this.head);
    const inMemory = this.checkpoints[lastAtOrBefore(this.checkpoints.length, (k) => Number(this.checkpoints[k].position), Number(target))];
    const cp = (await this.fileStateIn(inMemory.position, target)) ?? inMemory;
    const start = from !== undefined && from.position <= target && from.position >= cp.position ? from : cloneState(cp);
    return this.advance(start, target);
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
