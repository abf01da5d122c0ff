// Property: parseFlow(formatFlowMod(x)) gives back x for every flow that ovs-ofctl text can express.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFlowMod, normalizeMatch, parseFlow, type FlowSpec } from '../../../openflow/index.ts';
import { textFlowSpec } from './textArbitraries.ts';

/** Copies fast-check's null-prototype records to plain objects so toStrictEqual compares values only. */
function plain<T>(x: T): T {
  if (Buffer.isBuffer(x) || x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(plain) as T;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
}

const canonical = (f: FlowSpec): FlowSpec => ({ ...f, match: normalizeMatch(f.match) });

describe('flow text round trip', () => {
  it('parseFlow(formatFlowMod(x)) deep-equals x (match compared order-free)', () => {
    fc.assert(
      fc.property(textFlowSpec, (generated) => {
        const spec = plain(generated);
        const text = formatFlowMod(spec);
        const back = parseFlow(text);
        if (!back.ok) throw new Error(`${text}\n${back.error.message}`);
        expect(canonical(back.value), text).toStrictEqual(canonical(spec));
      }),
      { numRuns: 800 },
    );
  });
});
