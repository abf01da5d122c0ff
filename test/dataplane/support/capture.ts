// Captures packets with tcpdump in a namespace while an action runs, so tests can prove what did (or did not) cross a link.
import { spawn } from 'node:child_process';

/** How long tcpdump may take to say it is listening. */
const START_TIMEOUT_MS = 5_000;
/** Packets still in flight when the action returns get this long to arrive. */
const DRAIN_MS = 500;

/**
 * Runs `tcpdump -l -n -e -i IFACE FILTER` in namespace `ns`, waits until it listens, runs `action`,
 * waits DRAIN_MS, stops tcpdump (the child this function started, by its pid) and returns the lines.
 */
export async function capture(ns: string, iface: string, filter: string, action: () => Promise<unknown>): Promise<string[]> {
  const child = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-l', '-n', '-e', '-i', iface, ...filter.split(' ')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump in ${ns} did not start: ${err}`)), START_TIMEOUT_MS);
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString('utf8');
      if (err.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`tcpdump in ${ns} exited: ${err}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    await listening;
    await action();
    await new Promise((r) => setTimeout(r, DRAIN_MS));
  } finally {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  }
  return out.split('\n').filter((l) => l.trim() !== '');
}
