// Independent oracle: `ovs-ofctl ofp-print` of our re-encoding of every golden vector reads exactly as it does for the original bytes.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../openflow/index.ts';
import { ovsRequired } from '../support/ovsAvailability.ts';
import { ofpPrint } from './golden/ofpPrint.ts';
import { loadVectors } from './golden/vectors.ts';

const vectors = [...loadVectors('requests.json'), ...loadVectors('replies.json')];
const haveOfctl = spawnSync('sh', ['-c', 'command -v ovs-ofctl']).status === 0;
if (!haveOfctl && !ovsRequired()) console.warn('[skip] ovs-ofctl is not installed: the ofp-print oracle cannot run');

describe.skipIf(!haveOfctl && !ovsRequired())('ovs-ofctl ofp-print as an oracle for our encoder', () => {
  it.each(vectors.map((v) => [v.id, v] as const))('%s: OVS reads our encoding as it reads its own bytes', async (_id, v) => {
    const r = decodeMessage(Buffer.from(v.hex, 'hex'));
    if (!r.ok) throw new Error(r.error.message);
    const ours = encodeMessage(r.value);
    // even where our bytes differ (NXM vs OXM headers in field slices ...), the meaning must not
    expect(await ofpPrint(ours)).toBe(v.ofpPrint);
  });

  it('shows edits we make to a decoded flow_mod, so the oracle is not just echoing bytes back', async () => {
    const v = vectors.find((x) => x.id === 'a-set-field-tunnel');
    if (!v) throw new Error('vector a-set-field-tunnel missing');
    const r = decodeMessage(Buffer.from(v.hex, 'hex'));
    if (!r.ok || r.value.type !== 'flow_mod') throw new Error('not a flow_mod');
    const edited = { ...r.value, priority: 1234, cookie: 0xabcn, tableId: 7, idleTimeout: 9 };
    const text = await ofpPrint(encodeMessage(edited));
    expect(text).toContain('table:7 priority=1234');
    expect(text).toContain('cookie:0xabc idle:9');
    expect(text).toContain('actions=set_field:192.168.50.2->tun_dst,set_field:0x64->tun_id,output:100');
  });
});
