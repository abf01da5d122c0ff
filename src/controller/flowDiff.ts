// Desired vs installed, as flow_mods: the full diff against a switch's dump (on (re)connect) and the dirty-key diff (steady state).
//
// Only esdn's flows take part: the dump is asked with esdn's cookie marker as a filter, and every
// delete carries the installed cookie with a full mask, so a flow someone else added is never touched.
// Changed flows are sent as `add`: on an existing (table, priority, match) OpenFlow replaces the flow
// in place (cookie and instructions included, which `modify` would not do for the cookie), with no
// moment where no flow matches.
import { OFP_NO_BUFFER, OFPG_ANY, OFPP_ANY, OFPTT_ALL } from '../../openflow/constants/ports.ts';
import type { FlowMod, FlowStats, MultipartRequestBody } from '../../openflow/messages/types.ts';
import { matchKey } from '../../openflow/oxm/normalize.ts';
import { COOKIE_MARKER, COOKIE_MARKER_MASK } from '../../projections/pipeline/cookie.ts';
import { flowBody, type DesiredFlow } from '../../projections/pipeline/flow.ts';

export type FlowModOut = Omit<FlowMod, 'xid'>;

/** Every bit of the cookie must match: delete exactly the flow we saw. */
const COOKIE_EXACT = 0xffff_ffff_ffff_ffffn;
/** No OFPFF_* flags on esdn's flows. */
const NO_FLAGS = 0;

/** The dump request for esdn's flows only: every table, cookie filtered by the marker on the switch. */
export const ESDN_FLOW_DUMP: MultipartRequestBody = {
  kind: 'flow', tableId: OFPTT_ALL, outPort: OFPP_ANY, outGroup: OFPG_ANY,
  cookie: COOKIE_MARKER, cookieMask: COOKIE_MARKER_MASK, match: [],
};

// Each flow_mod is one literal (properties in one order, so one shape): a spread of a shared base
// (`{ ...base(f), ... }`) went through V8's CloneObjectIC, 81 ms of main-thread self time in a
// 1000-port bring-up whose main thread used ~700 ms (profiled).

export function addFlow(f: DesiredFlow): FlowModOut {
  return {
    type: 'flow_mod', tableId: f.tableId, priority: f.priority, bufferId: OFP_NO_BUFFER, outPort: OFPP_ANY, outGroup: OFPG_ANY,
    flags: NO_FLAGS, match: f.match, command: 'add', cookie: f.cookie, cookieMask: 0n, idleTimeout: f.idleTimeout, hardTimeout: f.hardTimeout, instructions: f.instructions,
  };
}

export function deleteFlow(f: Pick<DesiredFlow, 'tableId' | 'priority' | 'match' | 'cookie'>): FlowModOut {
  return {
    type: 'flow_mod', tableId: f.tableId, priority: f.priority, bufferId: OFP_NO_BUFFER, outPort: OFPP_ANY, outGroup: OFPG_ANY,
    flags: NO_FLAGS, match: f.match, command: 'delete_strict', cookie: f.cookie, cookieMask: COOKIE_EXACT, idleTimeout: 0, hardTimeout: 0, instructions: [],
  };
}

/** The identity of a flow as the switch sees it (match compared by normalized wire bytes). */
export function switchKey(f: Pick<DesiredFlow, 'tableId' | 'priority' | 'match'>): string {
  return `${f.tableId}/${f.priority}/${matchKey(f.match)}`;
}

/** Plain objects with their keys sorted (arrays keep their order): the same value whatever order its properties were made in. */
function sortedKeys(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || Buffer.isBuffer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
  return out;
}

/**
 * Whether the switch holds the desired flow as it is. flowBody compares JSON texts, so property order
 * counts: the decoder builds some actions (conjunction) with their fields in another order than the
 * stages do, and every resync replaced those flows for nothing. The fast path is the plain text; only
 * when it differs are both compared again with sorted keys.
 */
function sameFlow(installed: FlowStats, desired: DesiredFlow): boolean {
  const have = { ...installed, instructions: installed.instructions };
  if (flowBody(have) === flowBody(desired)) return true;
  const canonical = (f: DesiredFlow): string => JSON.stringify([f.cookie, f.idleTimeout, f.hardTimeout, f.instructions], sortedKeys);
  return canonical(have) === canonical(desired);
}

export interface FullDiff {
  /** deletes first, then adds: the order of the atomic bundle */
  mods: FlowModOut[];
  deletes: number;
  adds: number;
  /** desired flows already installed as they are */
  unchanged: number;
}

/** Moves a switch holding `installed` (esdn's flows from the dump) to `desired`. */
export function fullDiff(installed: readonly FlowStats[], desired: Iterable<DesiredFlow>): FullDiff {
  const have = new Map<string, FlowStats>();
  const stale: FlowStats[] = [];
  for (const f of installed) {
    const k = switchKey(f);
    // the switch cannot hold two flows with one key; if it somehow reports two, drop the extra
    if (have.has(k)) stale.push(f);
    else have.set(k, f);
  }
  const adds: FlowModOut[] = [];
  let unchanged = 0;
  for (const d of desired) {
    const k = switchKey(d);
    const h = have.get(k);
    have.delete(k);
    if (h && sameFlow(h, d)) unchanged++;
    else adds.push(addFlow(d));
  }
  const deletes = [...stale, ...have.values()].map(deleteFlow);
  return { mods: [...deletes, ...adds], deletes: deletes.length, adds: adds.length, unchanged };
}

/** The flow_mods for keys whose desired flow may have changed since they were installed. */
export function dirtyDiff(
  keys: Iterable<string>,
  desired: ReadonlyMap<string, DesiredFlow>,
  installed: ReadonlyMap<string, DesiredFlow>,
): { mods: FlowModOut[]; keys: string[] } {
  const deletes: FlowModOut[] = [];
  const adds: FlowModOut[] = [];
  const delKeys: string[] = [];
  const addKeys: string[] = [];
  for (const k of keys) {
    const want = desired.get(k);
    const have = installed.get(k);
    if (want && (!have || (have !== want && flowBody(have) !== flowBody(want)))) {
      adds.push(addFlow(want));
      addKeys.push(k);
    } else if (!want && have) {
      deletes.push(deleteFlow(have));
      delKeys.push(k);
    }
  }
  return { mods: [...deletes, ...adds], keys: [...delKeys, ...addKeys] };
}
