// parseFlow against ovs-ofctl: our parse of every golden flow text, encoded, reads in `ovs-ofctl ofp-print` exactly as ovs-ofctl's own bytes.
// Field order may differ from OVS's (so bytes are not compared); ofp-print shows the meaning in OVS's canonical form.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, parseFlow } from '../../openflow/index.ts';
import { ovsRequired } from '../support/ovsAvailability.ts';
import { ofpPrint } from './golden/ofpPrint.ts';
import { loadVectors } from './golden/vectors.ts';

const flows = loadVectors('requests.json').filter((v) => v.command.includes(' add-flow ') && !v.command.includes('--bundle'));
const haveOfctl = spawnSync('sh', ['-c', 'command -v ovs-ofctl']).status === 0;
if (!haveOfctl && !ovsRequired()) console.warn('[skip] ovs-ofctl is not installed: parseFlow cannot be checked against it');

/**
 * Found by this test and reported to the parser's owner; they run as it.fails until fixed. All ten
 * found at first (unmasked masked values, vlan_tci=0, output:CONTROLLER max_len, dl_vlan_pcp, ip_frag,
 * ct_clear, learn on vlan_tci, immediate learn specs) were fixed in e71a842 and after.
 */
const KNOWN_PARSE_GAPS: Record<string, string> = {
};

describe.skipIf(!haveOfctl && !ovsRequired())('parseFlow agrees with ovs-ofctl on every golden flow text', () => {
  for (const v of flows) {
    const gap = KNOWN_PARSE_GAPS[v.id];
    (gap ? it.fails : it)(`${v.id}: ${v.text}${gap ? ` (known gap: ${gap})` : ''}`, async () => {
      const parsed = parseFlow(v.text ?? '');
      if (!parsed.ok) throw new Error(`parseFlow: ${parsed.error.message}`);
      // the header fields a flow text does not carry (command, buffer, out_port/group, xid, flags) come from the capture
      const captured = decodeMessage(Buffer.from(v.hex, 'hex'));
      if (!captured.ok || captured.value.type !== 'flow_mod') throw new Error('captured frame is not a flow_mod');
      const ours = encodeMessage({ ...captured.value, ...parsed.value });
      expect(await ofpPrint(ours)).toBe(v.ofpPrint);
    });
  }

  it('finds the same table entry for a text whether ovs-ofctl or we parse it (sanity: the oracle sees differences)', async () => {
    const v = flows.find((x) => x.id === 'm-tcp-ports');
    if (!v) throw new Error('vector m-tcp-ports missing');
    const parsed = parseFlow((v.text ?? '').replace('tp_dst=8080', 'tp_dst=8081'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const captured = decodeMessage(Buffer.from(v.hex, 'hex'));
    if (!captured.ok || captured.value.type !== 'flow_mod') throw new Error('not a flow_mod');
    expect(await ofpPrint(encodeMessage({ ...captured.value, ...parsed.value }))).not.toBe(v.ofpPrint);
  });
});
