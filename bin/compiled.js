// Where the compiled esdn lives, and whether it is at least as new as every source file it was built from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = new URL('../', import.meta.url);
export const BUILD_DIR = new URL('dist/cli/', ROOT);
export const ENTRY = new URL('esdn.mjs', BUILD_DIR);
/** Folders whose files go into the build. */
const SOURCES = ['src', 'openflow', 'projections'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const m = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** The compiled entry point when it exists and no source file changed after it was built; otherwise undefined. */
export function freshBuild() {
  if (process.env.ESDN_NO_BUILD === '1') return undefined;
  const entry = fileURLToPath(ENTRY);
  if (!existsSync(entry)) return undefined;
  const built = statSync(entry).mtimeMs;
  const root = fileURLToPath(ROOT);
  for (const dir of SOURCES) if (newestMtime(join(root, dir)) > built) return undefined;
  return ENTRY.href;
}
