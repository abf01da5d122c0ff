// CPU time from /proc for the benches: of a process, of one thread, of the whole machine (the bring-up's cores, CPU per intent, a replay's main thread).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux for every architecture node runs on). */
const USER_HZ = 100;
const MS_PER_TICK = 1000 / USER_HZ;
/** utime and stime are fields 14 and 15 of a stat file, i.e. 11 and 12 after the ") " that ends the command name. */
const UTIME_AFTER_COMM = 11;

/**
 * utime + stime in ms (10 ms resolution) of a /proc stat file: /proc/PID/stat for a process and all its
 * threads, /proc/PID/task/TID/stat for one thread. NaN when unreadable (the process is gone).
 */
export function statCpuMs(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // the command name may hold spaces and parentheses: the fields start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[UTIME_AFTER_COMM]) + Number(fields[UTIME_AFTER_COMM + 1])) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
}

/** CPU ms of a process, all its threads. */
export const processCpuMs = (pid: number): number => statCpuMs(`/proc/${pid}/stat`);

/** CPU ms of a process's main thread alone (its thread id is its pid). */
export const mainThreadCpuMs = (pid: number = process.pid): number => statCpuMs(`/proc/${pid}/task/${pid}/stat`);

/** The pids in every `*.pid` file of a directory whose name starts with `prefix` (the test bed's daemons and relays). */
export function pidsIn(dir: string, prefix: string): number[] {
  return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pid'))
    .map((f) => Number.parseInt(readFileSync(join(dir, f), 'utf8'), 10)).filter((p) => p > 0);
}

/** A named group of processes whose CPU time is summed. */
export type CpuGroups = Record<string, () => number[]>;

/** Snapshot now; the returned function gives each group's CPU ms since the snapshot (a process gone counts 0). */
export function cpuSince(groups: CpuGroups): () => Record<string, number> {
  const sum = (pids: number[]): number => pids.reduce((t, p) => t + (processCpuMs(p) || 0), 0);
  const start = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids())]));
  return () => Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, sum(pids()) - start[k]]));
}

/** Busy CPU ms of the whole machine (every core, every process): /proc/stat's first line less idle and iowait; NaN if unreadable. */
export function machineBusyMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: guest time is already inside user and nice
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
  } catch {
    return Number.NaN;
  }
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
    const ms = statCpuMs(`/proc/${pid}/task/${tid}/stat`);
    // a thread that ended between the listing and the read is left out
    if (!Number.isNaN(ms)) out[tid] = ms;
  }
  return out;
}
