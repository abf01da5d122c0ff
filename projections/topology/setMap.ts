// A map of sets kept without empty entries: the shape of every reverse index in the topology view.

/** Adds `value` to the set under `key`, making the set on first use. */
export function addTo(m: Map<string, Set<string>>, key: string, value: string): void {
  let set = m.get(key);
  if (!set) m.set(key, (set = new Set()));
  set.add(value);
}

/** Removes `value` from the set under `key`, and the key once its set is empty (so size and iteration see only live keys). */
export function removeFrom(m: Map<string, Set<string>>, key: string, value: string): void {
  const set = m.get(key);
  set?.delete(value);
  if (set?.size === 0) m.delete(key);
}
