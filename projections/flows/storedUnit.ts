// How the incremental projection holds one unit's flows on one host between recomputes: small units as a flat array, not a Map.
import { flowBody, type DesiredFlow } from '../pipeline/flow.ts';

/**
 * Nearly every unit is one port's flows (13 at 5000 ports on one host). A Map of 13 entries costs
 * ~520 B (its hash table has room for 16 entries and 8 buckets); the same pairs as one array
 * [key, flow, key, flow, ...] cost ~260 B: 1.3 MB at 5000 ports. Units up to FLAT_MAX flows are held
 * that way (a lookup scans at most FLAT_MAX keys, and only when a key has several owners); bigger
 * ones (a network's flood chain, a host's defaults) keep their Map.
 */
export type StoredUnit = ReadonlyMap<string, DesiredFlow> | readonly (string | DesiredFlow)[];

const FLAT_MAX = 32;

/** The form a freshly computed unit is kept in. */
export function storeUnit(flows: Map<string, DesiredFlow>): StoredUnit {
  if (flows.size > FLAT_MAX) return flows;
  const flat: (string | DesiredFlow)[] = [];
  for (const [k, f] of flows) flat.push(k, f);
  return flat;
}

/** The unit's flow for a key, or undefined. */
export function flowIn(u: StoredUnit | undefined, key: string): DesiredFlow | undefined {
  if (u === undefined) return undefined;
  if (!isFlat(u)) return u.get(key);
  for (let i = 0; i < u.length; i += 2) if (u[i] === key) return u[i + 1] as DesiredFlow;
  return undefined;
}

/** The unit's (key, flow) pairs in the order they were stored. */
export function* unitEntries(u: StoredUnit): Iterable<[string, DesiredFlow]> {
  if (!isFlat(u)) {
    yield* u;
    return;
  }
  for (let i = 0; i < u.length; i += 2) yield [u[i] as string, u[i + 1] as DesiredFlow];
}

/**
 * The recomputed unit with the old key strings and flow objects wherever a flow did not change: the
 * tables keep one copy of each key (a fresh equal string was a second one), the flows already held
 * stay (the old generation keeps no dead copies after a recompute; the fresh ones die young) and the
 * diff sees them unchanged by identity.
 */
export function keepUnchanged(old: StoredUnit, fresh: Map<string, DesiredFlow>): Map<string, DesiredFlow> {
  const out = new Map<string, DesiredFlow>();
  for (const [k, was] of unitEntries(old)) {
    const is = fresh.get(k);
    if (is) out.set(k, was === is || flowBody(was) === flowBody(is) ? was : is);
  }
  if (out.size === fresh.size) return out;
  for (const [k, is] of fresh) if (!out.has(k)) out.set(k, is);
  return out;
}

function isFlat(u: StoredUnit): u is readonly (string | DesiredFlow)[] {
  return Array.isArray(u);
}
