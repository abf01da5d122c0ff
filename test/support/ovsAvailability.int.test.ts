// No silent skips: without OVS the test bed reports why, and with ESDN_REQUIRE_OVS=1 it fails instead (real child processes, PATH without OVS).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** A PATH holding only node and sh: every OVS binary is missing. */
const binDir = mkdtempSync(join(tmpdir(), 'esdn-noovs-'));
symlinkSync(process.execPath, join(binDir, 'node'));
symlinkSync('/bin/sh', join(binDir, 'sh'));

function verdict(env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'test', 'support', 'ovsAvailabilityCli.ts')], {
    cwd: ROOT,
    env: { HOME: process.env.HOME ?? '/root', PATH: binDir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('OVS availability when OVS is missing', () => {
  afterAll(() => rmSync(binDir, { recursive: true, force: true }));

  it('says so with a reason and lets suites skip, printing it', () => {
    const r = verdict({});
    expect(r.status).toBe(0);
    expect(r.out).toContain('"ok":false');
    expect(r.out).toContain('ovsdb-tool is not installed');
    expect(r.out).toContain('[skip] OVS test bed unavailable');
    expect(r.out).toContain('requireOvs: false');
  });

  it('fails instead of skipping when ESDN_REQUIRE_OVS=1', () => {
    const r = verdict({ ESDN_REQUIRE_OVS: '1' });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('ESDN_REQUIRE_OVS=1 but OVS is unavailable: ovsdb-tool is not installed');
    expect(r.out).not.toContain('requireOvs: false');
  });
});
