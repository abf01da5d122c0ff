#!/usr/bin/env node
// The esdn command. Runs the compiled build (bin/build.js) when it is up to date, else the TypeScript sources through tsx, so no build step is ever required.
import { setFlagsFromString } from 'node:v8';
import { freshBuild } from './compiled.js';

// esdn is a long-lived process whose live heap is small next to what it allocates in bursts (a bring-up
// of thousands of ports): V8's default heap growth left RSS at 2-3x the live heap. This flag is read
// at run time by V8's heap sizing (smaller young generation, slower old-generation growth).
// ESDN_V8_SPEED=1 keeps V8's defaults.
if (process.env.ESDN_V8_SPEED !== '1') setFlagsFromString('--optimize-for-size');

if (process.env.ESDN_CPU_PROFILE) (await import('./cpuProfile.js')).startCpuProfile(process.env.ESDN_CPU_PROFILE);
const compiled = freshBuild();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
