#!/usr/bin/env node
// The esdn command. Loads the TypeScript sources through tsx, so `npm start` needs no build step.
import { register } from 'tsx/esm/api';

if (process.env.ESDN_CPU_PROFILE) (await import('./cpuProfile.js')).startCpuProfile(process.env.ESDN_CPU_PROFILE);
register();
await import('../src/cli/main.ts');
