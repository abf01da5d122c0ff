// Test and bench helper: runs the real `esdn` command as a child process and waits for its readiness log line.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The esdn command as users run it: the launcher (bin/esdn) that sets the process-level settings, then node bin/esdn.js. */
export const ESDN_BIN = fileURLToPath(new URL('../../bin/esdn', import.meta.url));

/**
 * How to start an esdn entry point: the launcher is executed as it is; a bare `bin/esdn.js` (another
 * checkout's, for A/B runs of builds from before the launcher) through this node.
 */
export function esdnCommand(bin: string, args: readonly string[]): [string, string[]] {
  return bin.endsWith('.js') ? [process.execPath, [bin, ...args]] : [bin, [...args]];
}
/** Starting loads TypeScript through tsx; on two busy cores that can take several seconds. */
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 30_000;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `esdn ARGS` to completion. */
export function runEsdn(args: string[], env: Record<string, string> = {}): Promise<ExitStatus> {
  const child = spawn(ESDN_BIN, args, { env: { ...process.env, ...env }, stdio: 'pipe' });
  return withDeadline(child, collectExit(child));
}

function collectExit(child: ChildProcess): Promise<ExitStatus> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** The exit, or SIGKILL and a rejection if it takes longer than EXIT_TIMEOUT_MS from now. */
function withDeadline(child: ChildProcess, exited: Promise<ExitStatus>): Promise<ExitStatus> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`esdn did not exit within ${EXIT_TIMEOUT_MS} ms`));
    }, EXIT_TIMEOUT_MS);
  });
  return Promise.race([exited, late]).finally(() => clearTimeout(timer));
}

export interface RunningEsdn {
  readonly apiUrl: string;
  readonly child: ChildProcess;
  /** Parsed JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitStatus>;
}

/** Starts `esdn serve ARGS` (use --api-listen 127.0.0.1:0 for a free port) and resolves once it is ready. */
export function startEsdn(args: string[], env: Record<string, string> = {}): Promise<RunningEsdn> {
  // the OpenFlow controller listens too: a free loopback port unless the caller chose one, so parallel tests never collide on 6653
  if (!args.includes('--openflow-listen') && env.ESDN_OPENFLOW_LISTEN === undefined) args = [...args, '--openflow-listen', '127.0.0.1:0'];
  const child = spawn(ESDN_BIN, ['serve', ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  // If the test or bench process dies first (timeout, Ctrl-C), take esdn with it instead of leaving an orphan.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const logs: Record<string, unknown>[] = [];
  const exited = collectExit(child);
  void exited.then(() => process.off('exit', killOnExit));
  let buffered = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`esdn not ready within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    exited.then((status) => {
      clearTimeout(timer);
      reject(new Error(`esdn exited before ready (code ${status.code}):\n${status.stdout}\n${status.stderr}`));
    }, reject);
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parseLogLine(line);
        if (!entry) continue;
        logs.push(entry);
        if (entry.msg === 'esdn ready') {
          clearTimeout(timer);
          const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
            child.kill(signal);
            return withDeadline(child, exited);
          };
          resolve({ apiUrl: String(entry.api), child, logs, stop });
        }
      }
    });
  });
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
