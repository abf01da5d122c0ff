// `ovs-ofctl ofp-print HEX`: Open vSwitch's own decoding of a frame, the independent oracle for our codec.
import { run } from '../../support/ovsExec.ts';

/** OVS log lines ("2026-11-25T21:38:49Z|00001|module|LEVEL|...") carry a timestamp: not part of the decoding. */
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d+\|/;

export async function ofpPrint(frame: Buffer): Promise<string> {
  const r = await run(['ovs-ofctl', 'ofp-print', frame.toString('hex')], { allowFailure: true });
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .filter((l) => !LOG_LINE.test(l))
    .join('\n')
    .trim();
}
