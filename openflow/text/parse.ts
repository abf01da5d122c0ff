// Parses the subset of ovs-ofctl flow syntax esdn uses (add-flow and dump-flows lines) into a FlowSpec.
import type { DecodeResult, FlowSpec } from '../messages/types.ts';

export function parseFlow(text: string): DecodeResult<FlowSpec> {
  return { ok: false, error: { code: 'unsupported', message: `parser not implemented yet: ${text.slice(0, 40)}`, offset: 0 } };
}
