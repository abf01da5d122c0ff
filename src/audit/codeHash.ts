// A hash of the source of every fold a checkpoint holds the result of: a changed fold invalidates persisted checkpoints.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The domain world and topology view folds (whole folders: they grow files), the replay step, the
 * audit index's keys, and the encoding itself. Flow rendering is not here: flows are derived from
 * the view when asked, never stored.
 */
const FOLD_SOURCES = ['src/domain', 'projections/topology', 'src/audit/replayState.ts', 'src/audit/resources.ts', 'src/audit/auditIndex.ts', 'src/audit/stateCodec.ts', 'src/audit/persistedCheckpoints.ts'];

function sourceFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return (readdirSync(path, { recursive: true }) as string[]).map((f) => join(path, f)).filter((f) => f.endsWith('.ts') && statSync(f).isFile());
}

let memo: string | undefined;

/** sha256 over (path, contents) of the fold sources, in path order; computed once per process. */
export function foldCodeHash(): string {
  if (memo !== undefined) return memo;
  const hash = createHash('sha256');
  let files = FOLD_SOURCES.flatMap((p) => sourceFiles(join(ROOT, p))).sort();
  // no sources beside us (an installed bundle): the running module's own text holds the folds
  if (files.length === 0) files = [fileURLToPath(import.meta.url)];
  for (const f of files) hash.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  memo = hash.digest('hex');
  return memo;
}
