// Runs external commands (ip, ovs-*, ping) for the OVS test bed with a deadline, returning output or a typed failure.
import { spawn } from 'node:child_process';

/** Default deadline for one command: ovs-vsctl and ping never legitimately take longer here. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Keep this much of stdout/stderr in error messages. */
const ERROR_OUTPUT_CHARS = 2_000;

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** bytes or text written to the command's stdin */
  input?: string | Buffer;
  timeoutMs?: number;
  /** resolve instead of throwing when the exit code is not 0 */
  allowFailure?: boolean;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A command that exited non-zero, was killed by its deadline, or could not start. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly result: RunResult,
    reason: string,
  ) {
    super(
      `${argv.join(' ')}: ${reason}\n${result.stderr.slice(-ERROR_OUTPUT_CHARS)}${result.stdout.slice(-ERROR_OUTPUT_CHARS)}`,
    );
    this.name = 'CommandError';
  }
}

/** Runs argv[0] with the rest as arguments (no shell), waiting at most timeoutMs. */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      const result = { code: null, signal: null, stdout: '', stderr: String(e) };
      reject(new CommandError(argv, result, 'could not start'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = {
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut) reject(new CommandError(argv, result, `timed out after ${timeoutMs} ms`));
      else if (code !== 0 && !opts.allowFailure) reject(new CommandError(argv, result, `exit ${code ?? signal}`));
      else resolve(result);
    });
    child.stdin.on('error', () => {
      /* a command that exits without reading stdin is not an error of ours */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command and returns its stdout (throws CommandError on failure). */
export async function runOut(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  return (await run(argv, opts)).stdout;
}

/** Polls `check` until it returns a non-undefined value or the deadline passes. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 10_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** waitFor with a plain condition, polled every 10 ms (the scripted-peer tests wait on in-process state). */
export async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  await waitFor(what, () => (check() ? true : undefined), { timeoutMs, intervalMs: 10 });
}
