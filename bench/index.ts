// `npm run bench [NAME...]`: runs every bench/*.bench.ts (or only the named ones), one after another, each in its own process.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const RUNNER = resolve(BENCH_DIR, '..', 'bin', 'run-ts.js');
const SUFFIX = '.bench.ts';

/** Accepts 'openflow-codec', 'openflow-codec.bench.ts' or 'bench/openflow-codec.bench.ts'. */
function resolveName(name: string, available: string[]): string | undefined {
  const base = basename(name).replace(/\.bench\.ts$/, '');
  return available.find((f) => f === `${base}${SUFFIX}`);
}

function main(): number {
  const available = readdirSync(BENCH_DIR).filter((f) => f.endsWith(SUFFIX)).sort();
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const chosen: string[] = [];
  for (const n of names) {
    const f = resolveName(n, available);
    if (!f) {
      console.error(`no benchmark named ${n}; available: ${available.map((a) => a.replace(SUFFIX, '')).join(', ')}`);
      return 2;
    }
    chosen.push(f);
  }
  const files = chosen.length > 0 ? chosen : available;
  let failed = 0;
  for (const f of files) {
    console.log(`\n=== ${f} (node bin/run-ts.js bench/${f}) ===`);
    // one process per benchmark: no JIT state or heap carried from one to the next
    const r = spawnSync(process.execPath, [RUNNER, join(BENCH_DIR, f)], { stdio: 'inherit' });
    if (r.status !== 0) {
      failed++;
      console.error(`${f} failed (exit ${r.status ?? r.signal})`);
    }
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
