// Our encodings checked against an independent decoder: `ovs-ofctl ofp-print` must print every sample field by field.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../../openflow/index.ts';
import { SAMPLES } from './samples.ts';
import { ofpPrintMany, ovsOfctlAvailable } from './support/ovsOfctl.ts';

const available = ovsOfctlAvailable();
const required = process.env.ESDN_REQUIRE_OVS === '1';
if (!available && !required) console.warn('skipping ofp-print oracle tests: ovs-ofctl is not installed');

describe.skipIf(!available && !required)('ovs-ofctl ofp-print reads our bytes', () => {
  it('is installed (required when ESDN_REQUIRE_OVS=1)', () => {
    expect(available).toBe(true);
  });

  it('prints every sample with the expected fields, in order, and no decode error', async () => {
    const printed = await ofpPrintMany(SAMPLES.map((s) => encodeMessage(s.msg)));
    SAMPLES.forEach((s, i) => {
      const text = printed[i];
      expect(text, s.name).not.toMatch(/decode error|\*\*\*/);
      let from = 0;
      for (const part of s.expect) {
        const at = text.indexOf(part, from);
        expect(at, `${s.name}: missing "${part}" in\n${text}`).toBeGreaterThanOrEqual(0);
        from = at + part.length;
      }
    });
  });

  it('decodes every sample back to the same value', () => {
    for (const s of SAMPLES) {
      const back = decodeMessage(encodeMessage(s.msg));
      expect(back.ok && back.value, s.name).toStrictEqual(s.msg);
    }
  });
});
