// Persisted audit checkpoints on real SQLite: a new process (or index) starts from the file, a stale or foreign one is ignored, answers equal a full replay.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../src/audit/auditService.ts';
import { projectionText } from '../../src/audit/hash.ts';
import { checkpointFileFor } from '../../src/audit/persistedCheckpoints.ts';
import { runEsdn } from '../cli/esdnProcess.ts';
import { scriptedHistory, type Scripted } from './scriptedHistory.ts';

let h: Scripted;
let other: Scripted;

beforeAll(async () => {
  [h, other] = await Promise.all([scriptedHistory(), scriptedHistory()]);
});
afterAll(async () => {
  await h?.cleanup();
  await other?.cleanup();
});

/** Every answer that depends on the index or the projections, at every position, as one comparable text. */
async function answers(a: AuditService, head: number): Promise<string[]> {
  const out: string[] = [];
  for (let p = -1; p <= head + 1; p++) out.push(projectionText(await a.stateAt(String(p))));
  out.push(JSON.stringify(await a.history(h.ids.portA)), JSON.stringify(await a.diff('0', undefined)), JSON.stringify(await a.events({})));
  out.push(JSON.stringify(await a.state('2026-11-25T10:03:30Z')));
  return out;
}

describe('persisted checkpoints', () => {
  it('a second index starts from the file (replays nothing), and after appends replays only the tail; answers equal a full replay', async () => {
    const file = join(h.dir, 'cp.audit.db');
    const first = new AuditService(h.store, { checkpointFile: file, persistEvery: 1_000, checkpointEvery: 4 });
    await first.index.sync();
    const head = Number(await h.store.headPosition());
    expect(first.index.stats).toMatchObject({ replayed: head, restoredFrom: null, persistedAt: head, checkpointError: null });
    first.close();

    const second = new AuditService(h.store, { checkpointFile: file, persistEvery: 1_000 });
    await second.index.sync();
    expect(second.index.stats).toMatchObject({ replayed: 0, restoredFrom: head, persistedAt: null, checkpointError: null });
    // the last in-memory checkpoint before the head (every 4 events) was written too: just before
    // the head a new index replays fewer than 4 events, not the whole log
    const near = new AuditService(h.store, { checkpointFile: file, persistEvery: 1_000 });
    expect(projectionText(await near.stateAt(String(head - 1)))).toBe(projectionText(await new AuditService(h.store).stateAt(String(head - 1))));
    expect(near.index.stats.replayed).toBe((head - 1) % 4);
    near.close();
    // also when the head itself is a checkpoint (the one before it is written, not the head twice)
    const atCheckpoint = join(h.dir, 'at-checkpoint.audit.db');
    const writer = new AuditService(h.store, { checkpointFile: atCheckpoint, persistEvery: 1_000, checkpointEvery: 1 });
    await writer.index.sync();
    writer.close();
    const before = new AuditService(h.store, { checkpointFile: atCheckpoint, persistEvery: 1_000 });
    await before.stateAt(String(head - 1));
    expect(before.index.stats.replayed).toBe(0);
    before.close();
    const full = new AuditService(h.store, { checkpointEvery: 4 });
    // the answers replay between in-memory checkpoints; a restored index has only START and the file's
    expect(await answers(second, head)).toEqual(await answers(full, head));
    second.close();

    const r = await h.admin.post('/v2.0/networks', { network: { name: 'late' } });
    expect(r.status).toBe(201);
    const newHead = Number(await h.store.headPosition());
    const third = new AuditService(h.store, { checkpointFile: file, persistEvery: 1 });
    await third.index.sync();
    expect(third.index.stats).toMatchObject({ replayed: newHead - head, restoredFrom: head, persistedAt: newHead });
    expect(await answers(third, newHead)).toEqual(await answers(new AuditService(h.store), newHead));
    third.close();
  });

  it('a new index answers a question in the past from the nearest state in the file (replays fewer than persistEvery events)', async () => {
    const file = join(h.dir, 'states.audit.db');
    const EVERY = 3;
    const writer = new AuditService(h.store, { checkpointFile: file, persistEvery: EVERY, checkpointEvery: 1e9 });
    await writer.index.sync();
    writer.close();
    const head = Number(await h.store.headPosition());
    const full = new AuditService(h.store, { checkpointEvery: 1e9 });
    for (let p = head - 1; p >= 1; p--) {
      const reader = new AuditService(h.store, { checkpointFile: file, persistEvery: EVERY, checkpointEvery: 1e9 });
      expect(projectionText(await reader.stateAt(String(p))), `position ${p}`).toBe(projectionText(await full.stateAt(String(p))));
      // SQLite positions are dense from 1: the state at count 3k is at position 3k
      expect(reader.index.stats.replayed, `position ${p}`).toBe(p % EVERY);
      expect(reader.index.stats.restoredFrom).toBe(head);
      reader.close();
    }
  });

  it('ignores a checkpoint written by other fold code, one from another log, and a file that is not SQLite', async () => {
    const file = join(h.dir, 'stale.audit.db');
    const writer = new AuditService(h.store, { checkpointFile: file });
    await writer.index.sync();
    writer.close();
    const db = new Database(file);
    db.prepare("UPDATE audit_checkpoints SET code_hash = 'an older fold'").run();
    db.close();
    const stale = new AuditService(h.store, { checkpointFile: file });
    await stale.index.sync();
    const head = Number(await h.store.headPosition());
    expect(stale.index.stats).toMatchObject({ replayed: head, restoredFrom: null, persistedAt: head });
    stale.close();

    // the other scripted history has the same shape and length but other event ids
    const foreignFile = join(other.dir, 'foreign.audit.db');
    copyFileSync(file, foreignFile);
    const foreign = new AuditService(other.store, { checkpointFile: foreignFile });
    await foreign.index.sync();
    expect(foreign.index.stats.restoredFrom).toBeNull();
    expect(foreign.index.stats.replayed).toBe(Number(await other.store.headPosition()));
    expect(projectionText(await foreign.stateAt())).toBe(projectionText(await new AuditService(other.store).stateAt()));
    foreign.close();

    const junk = join(h.dir, 'junk.audit.db');
    writeFileSync(junk, 'not a database, just text that is long enough to have a header page '.repeat(100));
    const bad = new AuditService(h.store, { checkpointFile: junk });
    expect(projectionText(await bad.stateAt())).toBe(projectionText(await new AuditService(h.store).stateAt()));
    expect(bad.index.stats.checkpointError).toMatch(/junk\.audit\.db/);
    bad.close();
  });

  it('esdn audit state in a second process answers from the checkpoint the first one wrote beside the log', async () => {
    const store = `sqlite:${other.dbPath}`;
    expect(checkpointFileFor(store)).toBe(join(other.dir, 'events.audit.db'));
    const head = Number(await other.store.headPosition());
    const one = await runEsdn(['audit', 'state', '--store', store, '--json', '--stats']);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain(`# replayed ${head} events from no persisted checkpoint`);
    expect(one.stderr).toContain(`wrote a checkpoint at position ${head}`);
    const two = await runEsdn(['audit', 'state', '--store', store, '--json', '--stats']);
    expect(two.code).toBe(0);
    expect(two.stderr).toContain(`# replayed 0 events from persisted checkpoint at position ${head}`);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    const none = await runEsdn(['audit', 'state', '--store', store, '--json', '--stats', '--checkpoints', 'none']);
    expect(none.stderr).toContain(`# replayed ${head} events from no persisted checkpoint (no checkpoint file)`);
    expect(JSON.parse(none.stdout)).toEqual(JSON.parse(one.stdout));
  }, 120_000);
});
