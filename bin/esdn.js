#!/usr/bin/env node
// The esdn command. Runs the compiled build (bin/build.js) when it is up to date, else the TypeScript sources through tsx, so no build step is ever required.
import { freshBuild } from './compiled.js';

if (process.env.ESDN_CPU_PROFILE) (await import('./cpuProfile.js')).startCpuProfile(process.env.ESDN_CPU_PROFILE);
const compiled = freshBuild();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
