// `esdn audit` as a real process over the scripted history's SQLite log: text and JSON answers, exit statuses, quiet in pipes, --follow.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESDN_BIN, runEsdn } from '../cli/esdnProcess.ts';
import { scriptedHistory, type Scripted } from './scriptedHistory.ts';

let h: Scripted;
let store: string;

beforeAll(async () => {
  h = await scriptedHistory();
  store = `sqlite:${h.dbPath}`;
});
afterAll(async () => h?.cleanup());

describe('esdn audit', () => {
  it('state --json at a step equals the live lists; text form lists every collection; nothing on stderr in a pipe', async () => {
    const step = h.steps[4];
    const r = await runEsdn(['audit', 'state', '--store', store, '--at', String(step.position), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout);
    expect(body.networks).toEqual(step.lists.networks);
    expect(body.ports).toEqual(step.lists.ports);
    const text = await runEsdn(['audit', 'state', '--store', store]);
    expect(text.stdout).toMatch(/^# state at position \d+/);
    expect(text.stdout).toContain('networks (1)');
    expect(text.stdout).toContain('net-a2');
    expect(text.stderr).toBe('');
  }, 60_000);

  it('history and diff print actors and fields', async () => {
    const hist = await runEsdn(['audit', 'history', h.ids.netA, '--store', store]);
    expect(hist.code).toBe(0);
    expect(hist.stdout).toMatch(/alice\/proj-a {2}NetworkUpdated/);
    expect(hist.stdout).toContain('name: net-a -> net-a2');
    const diff = await runEsdn(['audit', 'diff', '--from', String(h.steps[3].position), '--store', store]);
    expect(diff.stdout).toMatch(new RegExp(`- networks/${h.ids.netB}`));
    expect(diff.stdout).toMatch(/by bob\/proj-b at .* \(NetworkDeleted/);
  }, 60_000);

  it('flows and explain: ovs-ofctl lines, and the port with its events', async () => {
    const flows = await runEsdn(['audit', 'flows', 'hv1', '--store', store, '--json']);
    const line = JSON.parse(flows.stdout).flows.find((l: { flow: string }) => l.flow.includes('in_port=7'));
    const ex = await runEsdn(['audit', 'explain', 'hv1', '--cookie', line.cookie, '--store', store]);
    expect(ex.code).toBe(0);
    expect(ex.stdout).toContain(`port ${h.ids.portA}`);
    expect(ex.stdout).toMatch(/alice\/proj-a {2}PortCreated/);
  }, 60_000);

  it('bad input exits 2 with one line; an unknown resource exits 1', async () => {
    const bad = await runEsdn(['audit', 'state', '--at', 'noon', '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^esdn audit: at must be/);
    const missing = await runEsdn(['audit', 'history', 'nope', '--store', store]);
    expect(missing.code).toBe(1);
    const unreachable = await runEsdn(['audit', 'verify', 'hv1', '--switch', `unix:${h.dir}/no.mgmt`, '--store', store]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach the switch/);
  }, 60_000);

  it('events --follow prints matching events as they are appended, like tail -f', async () => {
    const child = spawn(ESDN_BIN, ['audit', 'events', '--follow', '--actor', 'proj-b', '--store', store], { stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const closed = new Promise((r) => child.once('close', r));
    try {
      // the history first (bob's two events), so what follows can only come from the live subscription
      const started = Date.now() + 30_000;
      while (!out.includes('bob/proj-b  NetworkDeleted') && Date.now() < started) await new Promise((r) => setTimeout(r, 50));
      expect(out.trim().split('\n').length, err).toBe(2);
      const reqId = `req-${randomUUID()}`;
      const meta = { correlationId: reqId, causationId: reqId, requestId: reqId, actor: { userId: 'carol', projectId: 'proj-b' }, at: new Date().toISOString() };
      await h.store.append(`network-${randomUUID()}`, [{ id: randomUUID(), type: 'NetworkDeleted', data: { id: 'x' }, metadata: meta }], 'any');
      const deadline = Date.now() + 30_000;
      while (!out.includes(reqId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out, err).toContain('carol/proj-b  NetworkDeleted');
      expect(out.trim().split('\n').length).toBe(3);
    } finally {
      child.kill('SIGINT');
      await closed;
    }
  }, 60_000);
});
