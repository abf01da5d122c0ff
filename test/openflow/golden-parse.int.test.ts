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

/** Found by this test and reported to the parser's owner; they run as it.fails until fixed. */
const KNOWN_PARSE_GAPS: Record<string, string> = {
  'm-eth-dst-masked': 'value not masked: dl_dst=02:00:00:00:02:01/ff:ff:ff:00:00:00 is sent as is, OVS refuses OFPBMC_BAD_WILDCARDS (ovs-ofctl sends 02:00:00:00:00:00)',
  'm-vlan-none': 'vlan_tci=0 becomes vlan_vid=0 plus vlan_pcp=0 (OFPBMC_BAD_PREREQ); OVS sends vlan_vid=0x0000/0x1fff',
  'm-vlan-pcp': "dl_vlan_pcp unknown",
  'm-ip-frag': 'ip_frag unknown',
  'm-ip-frag-later': 'ip_frag unknown',
  'a-output-controller-max': 'output:CONTROLLER gets max_len 0 (no packet bytes); ovs-ofctl uses 65535 (OFPCML_NO_BUFFER)',
  'a-ct-clear': 'ct_clear unsupported',
  'a-learn-l2': 'NXM_OF_VLAN_TCI unknown in learn',
  'a-learn-neutron': 'NXM_OF_VLAN_TCI unknown in learn',
  'a-learn-imm': "learn immediate match specs (eth_type=0x800,ip_dst=10.0.0.1) refused: bad field reference '10.0.0.1'",
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
