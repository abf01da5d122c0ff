// Opt-in CPU profile of the whole esdn process (ESDN_CPU_PROFILE=DIR), because node refuses --cpu-prof in NODE_OPTIONS.
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Starts V8's sampling profiler; the profile is written to DIR/esdn-PID.cpuprofile when the process exits (not on kill -9). */
export function startCpuProfile(dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // an in-process inspector session answers synchronously, so this works inside 'exit'
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `esdn-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
