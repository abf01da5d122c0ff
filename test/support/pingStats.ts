// Ping that gives every probe its full timeout: one ping process per probe, so a late answer is not counted as lost.
import type { RunOptions, RunResult } from './ovsExec.ts';

/** Anything that runs a command in a namespace: a VM, the external segment. */
export interface Pinger {
  exec(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export interface PingOptions {
  /** seconds between the starts of two probes (a probe that waits longer delays the next) */
  intervalS?: number | string;
  /** seconds each probe waits for its answer (ping -W) */
  timeoutS?: number;
  /** more arguments for ping, e.g. ['-I', address] */
  extra?: readonly string[];
}

/**
 * Pings `count` times, at least `intervalS` apart, and returns transmitted/received, a probe counting as received when
 * its answer comes within `timeoutS`. One ping process per probe: `ping -c N -i 0.2 -W 1` waits only max(2 x its slowest
 * answer so far, the interval) after its last probe (iputils' __schedule_exit; -W only applies before any answer), so
 * an answer 300 ms late was counted lost: shown with a responder that delays the third answer in two namespaces.
 */
export async function pingStats(
  vm: Pinger, to: string, count: number, { intervalS = 0.2, timeoutS = 1, extra = [] }: PingOptions = {},
): Promise<{ sent: number; received: number; out: string }> {
  let sent = 0;
  let received = 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const started = Date.now();
    const r = await vm.exec(['ping', '-n', '-c', '1', '-W', String(timeoutS), ...extra, to], { allowFailure: true });
    const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(r.stdout);
    sent += m ? Number(m[1]) : 0;
    received += m ? Number(m[2]) : 0;
    out.push((r.stdout + r.stderr).trim());
    const rest = Number(intervalS) * 1000 - (Date.now() - started);
    if (i < count - 1 && rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  }
  return { sent, received, out: out.join('\n') };
}
