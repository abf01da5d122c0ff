// The audit index's persisted checkpoints: restoring from, writing to and loading states out of the checkpoint file.
//
// A cache: every failure is recorded in the stats and only means replaying more.
import type { EventStore } from '../eventStore/types.ts';
import { readBatches } from './batches.ts';
import { foldCodeHash } from './codeHash.ts';
import type { LogIndexParts } from './logIndex.ts';
import { CheckpointFile, type IndexSnapshot, type StateRef } from './persistedCheckpoints.ts';
import type { ReplayState } from './replayState.ts';
import { lastAtOrBefore } from './search.ts';

/** What the cache did in this process (part of the audit's ReplayStats). */
export interface CheckpointStats {
  /** position of the persisted checkpoint this index started from, or null */
  restoredFrom: number | null;
  /** position of the last persisted checkpoint this process wrote, or null */
  persistedAt: number | null;
  /** why the checkpoint file could not be used, if it could not */
  checkpointError: string | null;
}

export class CheckpointCache {
  private file: CheckpointFile | undefined;
  /** head.count when the index was last read from or written to the file */
  private persistedCount: number | undefined;
  /** projection states in the file not loaded yet (positions ascending) */
  private fileStates: StateRef[] = [];

  /**
   * path: the checkpoint file, none for no persistence; persistEvery: a state is written per this
   * many events, and the whole index once this many were added since it was last written.
   */
  constructor(
    private readonly store: EventStore,
    private readonly path: string | undefined,
    private readonly persistEvery: number,
    private readonly stats: CheckpointStats,
  ) {}

  private openFile(): CheckpointFile | undefined {
    if (this.file !== undefined || this.path === undefined || this.stats.checkpointError !== null) return this.file;
    try {
      this.file = CheckpointFile.open(this.path);
    } catch (error) {
      this.stats.checkpointError = `cannot open ${this.path}: ${(error as Error).message}`;
    }
    return this.file;
  }

  private async eventIdAt(p: bigint): Promise<string | undefined> {
    for await (const [e] of readBatches(this.store, p - 1n, p, 1)) return e.position === p ? e.id : undefined;
    return undefined;
  }

  /** The newest snapshot of this fold code whose event is still in the log, for an empty index to start from. */
  async restore(): Promise<IndexSnapshot | undefined> {
    const file = this.openFile();
    if (file === undefined) return undefined;
    let hash: string;
    let candidates: StateRef[];
    try {
      hash = foldCodeHash();
      candidates = file.candidates(hash);
    } catch (error) {
      this.stats.checkpointError = `cannot read ${this.path}: ${(error as Error).message}`;
      return undefined;
    }
    for (const c of candidates) {
      if ((await this.eventIdAt(c.position)) !== c.eventId) continue;
      try {
        const snap = file.load(hash, c.position);
        if (snap === undefined) continue;
        this.persistedCount = snap.state.count;
        this.stats.restoredFrom = Number(snap.state.position);
        this.fileStates = file.statePositions(hash).filter((r) => r.position < snap.state.position);
        return snap;
      } catch (error) {
        this.stats.checkpointError = `checkpoint at ${c.position} unreadable: ${(error as Error).message}`;
      }
    }
    return undefined;
  }

  /**
   * Writes the head and the index to the file when enough was folded since the last time (or never),
   * and `before`, the newest in-memory checkpoint before the head.
   */
  async persist(head: ReplayState, headEventId: string, index: LogIndexParts, before: ReplayState | undefined): Promise<void> {
    const file = this.openFile();
    if (file === undefined || head.count === 0) return;
    if (this.persistedCount !== undefined && head.count - this.persistedCount < this.persistEvery) return;
    try {
      file.save(foldCodeHash(), { state: head, eventId: headEventId, ...index });
      this.persistedCount = head.count;
      this.stats.persistedAt = Number(head.position);
      // a new process then answers just before the head (the likeliest questions) from at most
      // checkpointEvery events, not persistEvery
      if (before !== undefined && before.count > 0 && before.count % this.persistEvery !== 0) {
        const id = await this.eventIdAt(before.position);
        if (id !== undefined) file.saveState(foldCodeHash(), before, id);
      }
    } catch (error) {
      this.stats.checkpointError = `cannot write ${this.path}: ${(error as Error).message}`;
    }
  }

  /** After each folded event: every persistEvery events, the state goes to the file (if one is open). */
  folded(head: ReplayState, headEventId: string): void {
    if (this.file === undefined || head.count % this.persistEvery !== 0) return;
    try {
      this.file.saveState(foldCodeHash(), head, headEventId);
    } catch (error) {
      this.stats.checkpointError = `cannot write ${this.path}: ${(error as Error).message}`;
      this.file = undefined;
    }
  }

  /** The newest state in the file within (after, upTo], loaded (once: the caller keeps it); undefined if none is usable. */
  async stateIn(after: bigint, upTo: bigint): Promise<ReplayState | undefined> {
    const i = lastAtOrBefore(this.fileStates.length, (k) => Number(this.fileStates[k].position), Number(upTo));
    if (i < 0 || this.fileStates[i].position <= after || this.file === undefined) return undefined;
    const [ref] = this.fileStates.splice(i, 1);
    try {
      if ((await this.eventIdAt(ref.position)) !== ref.eventId) return undefined;
      return this.file.loadState(foldCodeHash(), ref.position);
    } catch (error) {
      this.stats.checkpointError = `state at ${ref.position} unreadable: ${(error as Error).message}`;
      return undefined;
    }
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }
}
