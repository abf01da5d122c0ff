// bin/compiled.js: the compiled build is used only while no source file is newer than it (an edited tree runs through tsx, never stale code).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the launcher, no type declarations
import { isFresh } from '../../bin/compiled.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A tree with src/a.ts and dist/cli/esdn.mjs, the build `ageS` seconds newer (negative: older) than the source. */
function tree(ageS: number): { root: string; entry: string; source: string } {
  const root = mkdtempSync(join(tmpdir(), 'esdn-build-'));
  dirs.push(root);
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  const source = join(root, 'src', 'deep', 'a.ts');
  const entry = join(root, 'dist', 'cli', 'esdn.mjs');
  writeFileSync(source, 'export {};\n');
  writeFileSync(entry, '// built\n');
  const t = Date.now() / 1000;
  utimesSync(source, t, t);
  for (const d of [join(root, 'src'), join(root, 'src', 'deep')]) utimesSync(d, t, t);
  utimesSync(entry, t + ageS, t + ageS);
  return { root, entry, source };
}

describe('isFresh (bin/compiled.js)', () => {
  it('uses a build newer than every source file', () => {
    const { root, entry } = tree(10);
    expect(isFresh(entry, root, ['src', 'openflow'])).toBe(true);
  });

  it('refuses a build older than a source file, however deep', () => {
    const { root, entry } = tree(-10);
    expect(isFresh(entry, root, ['src'])).toBe(false);
  });

  it('refuses a build older than a folder change (a source file deleted after the build)', () => {
    const { root, entry, source } = tree(10);
    rmSync(source);
    const later = Date.now() / 1000 + 20;
    utimesSync(join(root, 'src', 'deep'), later, later);
    expect(isFresh(entry, root, ['src'])).toBe(false);
  });

  it('refuses a build that does not exist', () => {
    const { root } = tree(10);
    expect(isFresh(join(root, 'dist', 'cli', 'missing.mjs'), root, ['src'])).toBe(false);
  });
});
