#!/usr/bin/env node
// Compiles esdn's TypeScript into one ES module (dist/cli/esdn.mjs + lazy chunks) so `esdn` starts without tsx's on-the-fly transform.
//
// Run by `npm install` (prepare) and `npm start` (prestart); bin/esdn.js uses the result only while it
// is newer than every source file, so an edited tree falls back to tsx and never runs stale code.
// A failed build is a warning, not an error: esdn still runs through tsx.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILD_DIR, ROOT } from './compiled.js';

const OUT = fileURLToPath(BUILD_DIR);
try {
  const { build } = await import('esbuild');
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    absWorkingDir: fileURLToPath(ROOT),
    entryPoints: { esdn: 'src/cli/main.ts' },
    outdir: OUT,
    // two folders below the root like src/cli/main.ts, so `new URL('../../package.json', import.meta.url)` still resolves
    bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    // npm packages stay imports (native better-sqlite3; the KurrentDB client stays lazy in its own chunk)
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // the SQLite writer and replay reader threads are started from their own files (and the batch writer
  // the writer imports), next to the module that starts them
  for (const file of ['writerWorker.mjs', 'batchWriter.mjs', 'readerWorker.mjs']) {
    copyFileSync(fileURLToPath(new URL(`src/eventStore/sqlite/${file}`, ROOT)), `${OUT}/${file}`);
  }
} catch (error) {
  rmSync(OUT, { recursive: true, force: true });
  console.warn(`esdn build skipped (esdn will run through tsx): ${error instanceof Error ? error.message : String(error)}`);
}
