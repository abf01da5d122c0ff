// `ovs-ofctl ofp-print HEX`: Open vSwitch's own decoding of a frame, the independent oracle for our codec.
import { run } from '../../support/ovsExec.ts';

export async function ofpPrint(frame: Buffer): Promise<string> {
  const r = await run(['ovs-ofctl', 'ofp-print', frame.toString('hex')], { allowFailure: true });
  return (r.stdout + r.stderr).trim();
}
