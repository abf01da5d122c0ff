// Canonical form of a match for comparing flows by value: order-free, all-ones masks dropped (a flow's identity is table, priority, match).
import { OXM_BY_NAME } from '../constants/oxm.ts';
import type { KnownOxm, Match, Oxm } from '../messages/types.ts';
import { Writer } from '../wire/writer.ts';
import { applyMask, encodeOxm, oxmLength } from './field.ts';

/** Whether the mask covers every meaningful bit (nw_frag has 2, vlan_vid 13, ...): then it is no mask at all. */
function isAllOnes(o: KnownOxm): boolean {
  if (o.mask === undefined) return false;
  const f = OXM_BY_NAME[o.field];
  if (typeof o.mask === 'number' || typeof o.mask === 'bigint') {
    const full = (1n << BigInt(f.bits)) - 1n;
    return (BigInt(o.mask) & full) === full;
  }
  const probe = { field: o.field, value: o.mask } as KnownOxm;
  const w = Writer.alloc(oxmLength(probe));
  // compare the mask's wire bytes with 0xff.. (works for every value kind)
  encodeOxm(w, probe);
  return w.buf.subarray(w.pos - f.len, w.pos).every((b) => b === 0xff);
}

function wireHex(o: Oxm): string {
  const w = Writer.alloc(oxmLength(o));
  encodeOxm(w, o);
  return w.buf.toString('hex');
}

/**
 * The match with values ANDed with their masks, all-ones masks removed, sorted by encoded bytes: matches
 * that select the same packets (as OVS stores them) give deep-equal results.
 */
export function normalizeMatch(m: Match): Match {
  const fields = m.map((o): Oxm => {
    if (o.field === 'unknown') return o;
    if (!isAllOnes(o)) return applyMask(o);
    return { field: o.field, value: o.value } as KnownOxm;
  });
  return fields
    .map((o) => ({ o, key: wireHex(o) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.o);
}

/** A string key for a match (hex of its normalized OXMs), for maps keyed by (table, priority, match). */
export function matchKey(m: Match): string {
  return normalizeMatch(m).map(wireHex).join('.');
}
