// Parses the subset of ovs-ofctl flow syntax esdn uses (add-flow lines and dump-flows lines) into a FlowSpec.
import type { DecodeResult, FlowSpec, Match } from '../messages/types.ts';
import { OFP_DEFAULT_PRIORITY } from './matchText.ts';
import { addMatchToken, resolvePending, type Pending } from './parseMatch.ts';
import { parseInstructions } from './parseActions.ts';
import { TextError } from './values.ts';

/** dump-flows statistics and flow flags: read past, they are not part of the flow's identity. */
const IGNORED = new Set([
  'duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age', 'importance', 'out_port', 'out_group',
  'send_flow_rem', 'check_overlap', 'reset_counts', 'no_packet_counts', 'no_byte_counts', 'no_readonly_table',
]);

function number(key: string, v: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new TextError(`bad ${key} '${v}'`);
  return Number(v);
}

/** Finds ` actions=` (or a leading `actions=`) outside any parentheses. */
function actionsAt(text: string): number {
  const m = /(^|[\s,])actions=/.exec(text);
  return m === null ? -1 : m.index + m[1].length;
}

export function parseFlow(text: string): DecodeResult<FlowSpec> {
  const at = actionsAt(text);
  const matchPart = at < 0 ? text : text.slice(0, at);
  const actionsPart = at < 0 ? '' : text.slice(at + 'actions='.length).trim();
  const spec: FlowSpec = { cookie: 0n, tableId: 0, priority: OFP_DEFAULT_PRIORITY, idleTimeout: 0, hardTimeout: 0, match: [], instructions: [] };
  const match: Match = [];
  const pending: Pending[] = [];
  let offset = 0;
  try {
    const re = /[^\s,]+/g;
    let tok: RegExpExecArray | null;
    while ((tok = re.exec(matchPart)) !== null) {
      offset = tok.index;
      const eq = tok[0].indexOf('=');
      const key = eq < 0 ? tok[0] : tok[0].slice(0, eq);
      const value = eq < 0 ? undefined : tok[0].slice(eq + 1);
      if (IGNORED.has(key)) continue;
      if (value !== undefined) {
        if (key === 'cookie') {
          spec.cookie = BigInt(value.split('/')[0]);
          continue;
        }
        if (key === 'table') { spec.tableId = number(key, value); continue; }
        if (key === 'priority') { spec.priority = number(key, value); continue; }
        if (key === 'idle_timeout') { spec.idleTimeout = number(key, value); continue; }
        if (key === 'hard_timeout') { spec.hardTimeout = number(key, value); continue; }
      }
      if (!addMatchToken(match, pending, key, value)) throw new TextError(`unknown match field '${key}'`);
    }
    offset = 0;
    resolvePending(match, pending);
    spec.match = match;
    offset = at < 0 ? text.length : at;
    spec.instructions = parseInstructions(actionsPart);
    return { ok: true, value: spec };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: { code: e instanceof TextError ? 'bad_value' : 'unsupported', message, offset } };
  }
}
