// Frozen copies of the topology view's maps, sets and records that reuse the parts equal to an earlier frozen copy.
//
// Only for copies nobody edits (checkpoints): a shared part is reachable from two checkpoints.

/**
 * Equal in content and in iteration order (a view's consumers iterate its maps and sets, so a shared
 * part must iterate as the copy would): the same primitives, and maps, sets of primitives, arrays
 * and plain records equal part by part.
 */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (a instanceof Map) return b instanceof Map && a.size === b.size && sameEntries(a, b, deepEqual);
  if (a instanceof Set) return b instanceof Set && a.size === b.size && sameMembers(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (k !== kb[i] || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The same keys in the same order, values equal by `eq`. */
function sameEntries(a: Map<unknown, unknown>, b: Map<unknown, unknown>, eq: (x: unknown, y: unknown) => boolean): boolean {
  const other = b.entries();
  for (const [k, x] of a) {
    const [kb, y] = other.next().value as [unknown, unknown];
    if (k !== kb || !eq(x, y)) return false;
  }
  return true;
}

/** The same primitive members in the same order; sets holding objects are never equal (they are copied). */
function sameMembers(a: Set<unknown>, b: Set<unknown>): boolean {
  const other = b.values();
  for (const x of a) if (typeof x === 'object' || x !== other.next().value) return false;
  return true;
}

const identical = (x: unknown, y: unknown): boolean => x === y;

/**
 * A deep copy of `live` in which every map, set, array or record equal to its counterpart in `prev`
 * is that counterpart. Sets of objects are copied, never shared (equality above is for primitives).
 */
export function sharedCopy<T>(live: T, prev: unknown): T {
  if (typeof live !== 'object' || live === null) return live;
  if (deepEqual(live, prev)) return prev as T;
  if (live instanceof Map) {
    const before = prev instanceof Map ? prev : undefined;
    const m = new Map();
    for (const [k, x] of live) m.set(k, sharedCopy(x, before?.get(k)));
    return m as T;
  }
  if (live instanceof Set) {
    const s = new Set();
    for (const x of live) s.add(sharedCopy(x, undefined));
    return s as T;
  }
  if (Array.isArray(live)) {
    const before = Array.isArray(prev) ? prev : [];
    return live.map((x, i) => sharedCopy(x, before[i])) as T;
  }
  if (Buffer.isBuffer(live)) return Buffer.from(live) as T;
  const before = typeof prev === 'object' && prev !== null && !Array.isArray(prev) && !(prev instanceof Map) && !(prev instanceof Set) ? (prev as Record<string, unknown>) : {};
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(live)) o[k] = sharedCopy((live as Record<string, unknown>)[k], Object.hasOwn(before, k) ? before[k] : undefined);
  return o as T;
}

/**
 * A map whose values are records the fold replaces and never edits (the view's ports, networks, ...):
 * `prev` itself when it holds the same records under the same keys, else a new map sharing the records.
 */
export function sharedRecords<K, V>(live: Map<K, V>, prev: unknown): Map<K, V> {
  if (prev instanceof Map && prev.size === live.size && sameEntries(live, prev, identical)) return prev as Map<K, V>;
  return new Map(live);
}
