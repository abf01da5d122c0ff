// bin/esdn, the launcher every start goes through (npm start, the installed command, the container, tests, benches): node in its own process with glibc's arenas capped and V8's thread pool sized to the machine.
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startEsdn, type RunningEsdn } from './esdnProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'esdn-launcher-'));
const running: RunningEsdn[] = [];
afterAll(async () => {
  for (const r of running) await r.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string> = {}): Promise<RunningEsdn> {
  const esdn = await startEsdn(['--api-listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, `${running.length}.db`)}`], env);
  running.push(esdn);
  return esdn;
}

/** The environment a process started with (/proc/PID/environ: NUL-separated NAME=value). */
function environOf(pid: number): Map<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

test('esdn runs as node in the process that was started (the launcher execs, no shell stays behind) with MALLOC_ARENA_MAX=2', async () => {
  const esdn = await serve();
  const pid = esdn.child.pid!;
  expect(readlinkSync(`/proc/${pid}/exe`)).toMatch(/\/node$/);
  expect(environOf(pid).get('MALLOC_ARENA_MAX')).toBe(process.env.MALLOC_ARENA_MAX ?? '2');
  expect((await fetch(`${esdn.apiUrl}/`)).ok).toBe(true);
});

test('a MALLOC_ARENA_MAX from the environment wins over the launcher\'s', async () => {
  const esdn = await serve({ MALLOC_ARENA_MAX: '4' });
  expect(environOf(esdn.child.pid!).get('MALLOC_ARENA_MAX')).toBe('4');
});

test('V8\'s thread pool is sized to the machine (--v8-pool-size=0), and NODE_OPTIONS from the environment come after it (node takes the last value)', async () => {
  const plain = await serve({ NODE_OPTIONS: '' });
  expect(environOf(plain.child.pid!).get('NODE_OPTIONS')).toBe('--v8-pool-size=0');
  const own = await serve({ NODE_OPTIONS: '--v8-pool-size=3 --max-old-space-size=512' });
  expect(environOf(own.child.pid!).get('NODE_OPTIONS')).toBe('--v8-pool-size=0 --v8-pool-size=3 --max-old-space-size=512');
});
