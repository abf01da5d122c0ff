// Where the compiled esdn lives, and whether it is at least as new as every source file it was built from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = new URL('../', import.meta.url);
export const BUILD_DIR = new URL('dist/cli/', ROOT);
export const ENTRY = new URL('esdn.mjs', BUILD_DIR);
/** Folders whose files go into the build. */
export const SOURCES = ['src', 'openflow', 'projections'];

/** Newest modification under dir: files, and folders too (a deleted or renamed file changes its folder's time). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() && !entry.isDirectory()) continue;
    const m = statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** Whether `entry` exists and no file under root/dirs was modified after it. */
export function isFresh(entry, root, dirs = SOURCES) {
  if (!existsSync(entry)) return false;
  const built = statSync(entry).mtimeMs;
  return dirs.every((dir) => newestMtime(join(root, dir)) <= built);
}

/** The compiled entry point (a file URL) when it is up to date; otherwise undefined (run the sources through tsx). */
export function freshBuild() {
  if (process.env.ESDN_NO_BUILD === '1') return undefined;
  const entry = fileURLToPath(ENTRY);
  return isFresh(entry, fileURLToPath(ROOT)) ? pathToFileURL(entry).href : undefined;
}
