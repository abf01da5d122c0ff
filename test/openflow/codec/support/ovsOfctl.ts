// Runs the real ovs-ofctl as an oracle: `ofp-print` decodes our bytes, `parse-flow` reads flow text.
import { execFile, spawnSync } from 'node:child_process';

export function ovsOfctlAvailable(): boolean {
  const r = spawnSync('ovs-ofctl', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** `ovs-ofctl ofp-print HEX`: what OVS decodes from our bytes. */
export function ofpPrint(frame: Uint8Array): string {
  const r = spawnSync('ovs-ofctl', ['ofp-print', Buffer.from(frame).toString('hex')], { encoding: 'utf8' });
  return (r.stdout + r.stderr).trim();
}

/** Many frames at once: one ofp-print process per frame, run concurrently. */
export async function ofpPrintMany(frames: Uint8Array[]): Promise<string[]> {
  return Promise.all(
    frames.map(
      (f) =>
        new Promise<string>((resolve) => {
          execFile('ovs-ofctl', ['ofp-print', Buffer.from(f).toString('hex')], (_err, stdout, stderr) =>
            resolve((stdout + stderr).trim()),
          );
        }),
    ),
  );
}

/** `ovs-ofctl -O OpenFlow13 parse-flow TEXT`: OVS's own reading of a flow, printed back. */
export function parseFlowWithOvs(text: string): string {
  const r = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'parse-flow', text], { encoding: 'utf8' });
  return (r.stdout + r.stderr).trim();
}

/** The flow part of an ofp-print/parse-flow line for a flow_mod ("priority=... actions=..."). */
export function flowModText(printed: string): string {
  const line = printed.split('\n').find((l) => l.includes('OFPT_FLOW_MOD')) ?? printed;
  return line.replace(/^.*OFPT_FLOW_MOD[^:]*:\s*/, '').trim();
}
