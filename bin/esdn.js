#!/usr/bin/env node
// The esdn command. Runs the compiled build (bin/build.js) when it is up to date, else the TypeScript sources through tsx, so no build step is ever required.
import { setFlagsFromString } from 'node:v8';
import { freshBuild } from './compiled.js';

// ESDN_V8_OPTIMIZE_FOR_SIZE=1 trades CPU for memory: V8 reads this flag at run time in its heap sizing
// (smaller young generation, slower old-generation growth). At 1000 ports it cut RSS after a bring-up
// from 185-276 to 148-155 MB, but it costs the intent API +40 % main-thread CPU per intent and doubles
// its p99 (BENCHMARKS.md, Intent API), and GC took 27 s of CPU in a 5000-port bring-up: off by default.
if (process.env.ESDN_V8_OPTIMIZE_FOR_SIZE === '1') setFlagsFromString('--optimize-for-size');
// ESDN_V8_FLAGS: further V8 flags read at run time (e.g. --heap-growing-percent=25), space-separated.
for (const flag of (process.env.ESDN_V8_FLAGS ?? '').split(/\s+/).filter(Boolean)) setFlagsFromString(flag);

if (process.env.ESDN_CPU_PROFILE) (await import('./cpuProfile.js')).startCpuProfile(process.env.ESDN_CPU_PROFILE);
const compiled = freshBuild();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
