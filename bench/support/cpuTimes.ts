// CPU time of the processes a bench involves, read from /proc: where a bring-up's two cores went.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc/PID/stat (USER_HZ: 100 on Linux for every architecture node runs on). */
const TICKS_PER_S = 100;

/** utime + stime of a process and all its threads, in ms (10 ms resolution); 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name may hold spaces and parentheses: the fields start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The pids in every `*.pid` file of a directory whose name starts with `prefix` (the test bed's daemons and relays). */
export function pidsIn(dir: string, prefix: string): number[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pid'))
    .map((f) => Number.parseInt(readFileSync(join(dir, f), 'utf8'), 10)).filter((p) => p > 0);
}

/** A named group of processes whose CPU time is summed. */
export type CpuGroups = Record<string, () => number[]>;

/** Snapshot now; the returned function gives each group's CPU ms since the snapshot. */
export function cpuSince(groups: CpuGroups): () => Record<string, number> {
  const sum = (pids: number[]): number => pids.reduce((t, p) => t + cpuMs(p), 0);
  const start = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids())]));
  return () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids()) - start[k]]));
}

/** Busy CPU time of the whole machine (every core, every process), in ms, from /proc/stat. */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
  const busy = cpu.reduce((t, v) => t + v, 0) - cpu[3] - cpu[4];
  return (busy * 1000) / TICKS_PER_S;
}

/** CPU ms of each thread of a process by thread id (node names nearly all its threads "node": the main thread's id is the pid). */
export function threadCpuMs(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[tid] = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
