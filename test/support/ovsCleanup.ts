// Kills test-bed daemons by pid file and deletes test-bed namespaces, for this run's teardown and for stale runs killed halfway.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './ovsExec.ts';

/** Every test-bed run directory lives here: one subdirectory per run, named by the run prefix. */
export const TESTBED_BASE_DIR = '/tmp/esdn-ovs';
/** Every run prefix (and so every namespace a test bed creates) starts with this family prefix. */
export const TESTBED_FAMILY = 'esx';
/** File in a run directory holding the pid of the test process that owns the run. */
export const OWNER_FILE = 'owner.pid';
/** How long a daemon gets to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a process, or '' when it is gone. */
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Kills one process (TERM, then KILL after a grace period) and waits until it is gone. */
export async function killPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + KILL_GRACE_MS;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Kills every daemon whose pid file is under dir, but only when its command line still mentions
 * dir (a recycled pid belongs to someone else and is left alone).
 */
export async function killDaemonsUnder(dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const pidFiles: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.pid') && e.name !== OWNER_FILE) pidFiles.push(p);
    }
  };
  walk(dir);
  await Promise.all(
    pidFiles.map(async (f) => {
      const pid = Number.parseInt(readFileSync(f, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 1 && cmdline(pid).includes(dir)) await killPid(pid);
    }),
  );
}

/** Network namespaces whose names start with prefix. */
export async function namespacesWithPrefix(prefix: string): Promise<string[]> {
  const r = await run(['ip', '-o', 'netns', 'list'], { allowFailure: true });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.startsWith(prefix));
}

/** Deletes a namespace after killing anything still running inside it (our daemons only live there). */
export async function deleteNamespace(ns: string): Promise<void> {
  const pids = await run(['ip', 'netns', 'pids', ns], { allowFailure: true });
  for (const p of pids.stdout.split(/\s+/).filter(Boolean)) await killPid(Number(p));
  await run(['ip', 'netns', 'del', ns], { allowFailure: true });
}

/** Tears one run down completely: daemons by pid file, its namespaces, its directory. */
export async function removeRun(prefix: string): Promise<void> {
  const dir = join(TESTBED_BASE_DIR, prefix);
  await killDaemonsUnder(dir);
  for (const ns of await namespacesWithPrefix(prefix)) await deleteNamespace(ns);
  rmSync(dir, { recursive: true, force: true });
}

/** Length of a run prefix: the family prefix plus RUN_ID_CHARS (see ovsTestbed.ts). */
export const RUN_PREFIX_LEN = TESTBED_FAMILY.length + 4;

/** Whether the run with this prefix has a directory whose owner process is alive (read now, not cached). */
function runIsLive(prefix: string): boolean {
  const ownerFile = join(TESTBED_BASE_DIR, prefix, OWNER_FILE);
  if (!existsSync(ownerFile)) return false;
  const owner = Number.parseInt(readFileSync(ownerFile, 'utf8'), 10);
  return Number.isInteger(owner) && alive(owner);
}

/**
 * Removes what earlier runs of this family left behind when they were killed halfway: runs whose
 * owner process is dead, and family namespaces that belong to no live run. Liveness is checked per
 * object at the moment of removal, so a run that another test file is creating right now (directory
 * first, namespaces after) is never touched.
 */
export async function removeStaleRuns(): Promise<string[]> {
  const removed: string[] = [];
  if (existsSync(TESTBED_BASE_DIR)) {
    for (const prefix of readdirSync(TESTBED_BASE_DIR)) {
      if (!prefix.startsWith(TESTBED_FAMILY) || runIsLive(prefix)) continue;
      await removeRun(prefix);
      removed.push(prefix);
    }
  }
  for (const ns of await namespacesWithPrefix(TESTBED_FAMILY)) {
    // a probe namespace of ovsAvailable() is deleted right after creation; never race it
    if (ns.startsWith(`${TESTBED_FAMILY}probe`) || runIsLive(ns.slice(0, RUN_PREFIX_LEN))) continue;
    await deleteNamespace(ns);
    removed.push(ns);
  }
  return removed;
}
