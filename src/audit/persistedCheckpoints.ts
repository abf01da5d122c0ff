// Audit checkpoints on disk: a sidecar SQLite file next to the log holds the index and projections at a position, so a new process need not replay the whole log.
//
// A checkpoint is used only when it was written by the same fold code (code hash) and the log still
// has the same event at its position (event id): a changed fold or a different log never reuses it.
// Losing or failing to write one is harmless (the next process replays), so writes are not fsynced
// and every failure here is swallowed by the caller: a checkpoint is a cache, never the truth.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { ReplayState } from './replayState.ts';
import { decodeState, encodeState } from './stateCodec.ts';

/** Checkpoints kept per code hash: the newest and one before it (in case the log was cut back). */
const KEEP = 2;
/** Another process writing the file may hold its lock this long before we give up on a write. */
const BUSY_TIMEOUT_MS = 2_000;
const BYTES_PER_F64 = 8;
const SQLITE_URL = 'sqlite:';

const CREATE = `
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  code_hash   TEXT    NOT NULL,
  position    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  event_count INTEGER NOT NULL,
  written_at  TEXT    NOT NULL,
  positions   BLOB    NOT NULL,
  max_times   BLOB    NOT NULL,
  resources   TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  PRIMARY KEY (code_hash, position)
) STRICT;
CREATE TABLE IF NOT EXISTS audit_states (
  code_hash   TEXT    NOT NULL,
  position    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  event_count INTEGER NOT NULL,
  state       TEXT    NOT NULL,
  PRIMARY KEY (code_hash, position)
) STRICT`;

/** A persisted projection state: where it is, and the event it expects there. */
export interface StateRef {
  position: bigint;
  eventId: string;
}

/** The audit index at one position: everything a question needs to start there. */
export interface IndexSnapshot {
  state: ReplayState;
  /** id of the event at state.position: ties the snapshot to this log */
  eventId: string;
  positions: number[];
  maxTimes: number[];
  byResource: Map<string, number[]>;
}

/** The sidecar of `sqlite:DIR/NAME.db` is DIR/NAME.audit.db; other stores have none unless named. */
export function checkpointFileFor(storeUrl: string): string | undefined {
  if (!storeUrl.startsWith(SQLITE_URL)) return undefined;
  let path = storeUrl.slice(SQLITE_URL.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '' || path === ':memory:') return undefined;
  return join(dirname(path), `${basename(path).replace(/\.db$/, '')}.audit.db`);
}

function toBlob(xs: readonly number[]): Buffer {
  return Buffer.from(Float64Array.from(xs).buffer);
}

function fromBlob(b: Buffer): number[] {
  // copied: a Buffer from SQLite need not be 8-byte aligned for a Float64Array view
  const bytes = Uint8Array.from(b);
  return Array.from(new Float64Array(bytes.buffer, 0, bytes.byteLength / BYTES_PER_F64));
}

export class CheckpointFile {
  private constructor(private readonly db: Database.Database) {}

  /** Opens (creating it if needed) the file; throws when it cannot be opened or is not ours. */
  static open(path: string): CheckpointFile {
    if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(CREATE);
      return new CheckpointFile(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Positions (newest first) of the index checkpoints written by this fold code, with the event id each expects. */
  candidates(codeHash: string): StateRef[] {
    return this.db.prepare<[string], { position: bigint; event_id: string }>(
      'SELECT position, event_id FROM audit_checkpoints WHERE code_hash = ? ORDER BY position DESC',
    ).safeIntegers(true).all(codeHash).map((r) => ({ position: r.position, eventId: r.event_id }));
  }

  /** Decodes one checkpoint; throws on a row that does not decode (the caller skips it). */
  load(codeHash: string, position: bigint): IndexSnapshot | undefined {
    const row = this.db.prepare<[string, bigint], { event_id: string; event_count: bigint; positions: Buffer; max_times: Buffer; resources: string; state: string }>(
      'SELECT event_id, event_count, positions, max_times, resources, state FROM audit_checkpoints WHERE code_hash = ? AND position = ?',
    ).safeIntegers(true).get(codeHash, position);
    if (row === undefined) return undefined;
    const { world, view } = decodeState<Pick<ReplayState, 'world' | 'view'>>(row.state);
    const positions = fromBlob(row.positions);
    const count = Number(row.event_count);
    if (positions.length !== count || positions[count - 1] !== Number(position)) throw new Error('checkpoint index does not match its position');
    return {
      state: { position, count, world, view },
      eventId: row.event_id,
      positions,
      maxTimes: fromBlob(row.max_times),
      byResource: new Map(JSON.parse(row.resources) as [string, number[]][]),
    };
  }

  /** Writes a checkpoint, drops other codes' checkpoints and all but the newest KEEP of this code's. */
  save(codeHash: string, s: IndexSnapshot): void {
    const state = encodeState({ world: s.state.world, view: s.state.view });
    const write = this.db.transaction(() => {
      this.db.prepare('INSERT OR REPLACE INTO audit_checkpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        codeHash, s.state.position, s.eventId, s.state.count, new Date().toISOString(),
        toBlob(s.positions), toBlob(s.maxTimes), JSON.stringify([...s.byResource]), state,
      );
      this.db.prepare('DELETE FROM audit_checkpoints WHERE code_hash != ?').run(codeHash);
      this.db.prepare('DELETE FROM audit_states WHERE code_hash != ?').run(codeHash);
      this.db.prepare(`DELETE FROM audit_checkpoints WHERE code_hash = ? AND position NOT IN
        (SELECT position FROM audit_checkpoints WHERE code_hash = ? ORDER BY position DESC LIMIT ${KEEP})`).run(codeHash, codeHash);
    });
    write();
  }

  /** The projection states (not the index) written along the log by this fold code, oldest first. */
  statePositions(codeHash: string): StateRef[] {
    return this.db.prepare<[string], { position: bigint; event_id: string }>(
      'SELECT position, event_id FROM audit_states WHERE code_hash = ? ORDER BY position',
    ).safeIntegers(true).all(codeHash).map((r) => ({ position: r.position, eventId: r.event_id }));
  }

  loadState(codeHash: string, position: bigint): ReplayState | undefined {
    const row = this.db.prepare<[string, bigint], { event_count: bigint; state: string }>(
      'SELECT event_count, state FROM audit_states WHERE code_hash = ? AND position = ?',
    ).safeIntegers(true).get(codeHash, position);
    if (row === undefined) return undefined;
    const { world, view } = decodeState<Pick<ReplayState, 'world' | 'view'>>(row.state);
    return { position, count: Number(row.event_count), world, view };
  }

  /** One projection state along the log, so a new process starts a question near any point. */
  saveState(codeHash: string, state: ReplayState, eventId: string): void {
    this.db.prepare('INSERT OR REPLACE INTO audit_states VALUES (?, ?, ?, ?, ?)').run(
      codeHash, state.position, eventId, state.count, encodeState({ world: state.world, view: state.view }),
    );
  }

  close(): void {
    this.db.close();
  }
}
