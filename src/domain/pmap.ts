// A persistent (immutable, structurally shared) hash map, so evolve can update the world without copying it.

/** Bits of the hash consumed per trie level: 32-way branching. */
const BITS_PER_LEVEL = 5;
const LEVEL_MASK = (1 << BITS_PER_LEVEL) - 1;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Odd multiplier (golden ratio) that spreads consecutive integers over the 32 hash bits. */
const INT_MIX = 0x9e3779b1;

export type PKey = string | number;

type Node<K extends PKey, V> = Branch<K, V> | Leaf<K, V> | Collision<K, V>;
/**
 * `edit`: the transient session that made the node, null for persistent ones. Only a node whose
 * session is still open is changed in place (`children`, `value`); every other node is copied.
 */
interface Branch<K extends PKey, V> { readonly kind: 'branch'; readonly bitmap: number; children: Node<K, V>[]; readonly edit: Edit | null }
interface Leaf<K extends PKey, V> { readonly kind: 'leaf'; readonly hash: number; readonly key: K; value: V; readonly edit: Edit | null }

/**
 * A transient session (as Clojure's transients): while `open`, maps of this session change the
 * nodes the session made in place. Closing it (PMap.seal) freezes them for good: a map that was
 * shared (a checkpoint) never changes after.
 */
export interface Edit { open: boolean }
interface Collision<K extends PKey, V> { readonly kind: 'collision'; readonly hash: number; readonly leaves: readonly Leaf<K, V>[] }

/**
 * The last string hashed and its hash: an update reads then writes the same key (get, then set),
 * so the second hash of a 36-character id is a string compare instead of 36 multiplications.
 */
let lastKey = '';
let lastHash = FNV_OFFSET | 0;

/** 32-bit hash of a key (exported for tests that need colliding keys). */
export function hashOf(key: PKey): number {
  if (typeof key === 'number') return Math.imul(key | 0, INT_MIX) ^ ((key / 0x1_0000_0000) | 0);
  if (key === lastKey) return lastHash;
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  lastKey = key;
  lastHash = h | 0;
  return lastHash;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function fragment(hash: number, shift: number): number {
  return (hash >>> shift) & LEVEL_MASK;
}

function lookup<K extends PKey, V>(node: Node<K, V> | undefined, hash: number, key: K): Leaf<K, V> | undefined {
  let shift = 0;
  while (node !== undefined) {
    if (node.kind === 'leaf') return node.key === key ? node : undefined;
    if (node.kind === 'collision') return node.hash === hash ? node.leaves.find((l) => l.key === key) : undefined;
    const bit = 1 << fragment(hash, shift);
    if ((node.bitmap & bit) === 0) return undefined;
    node = node.children[popcount(node.bitmap & (bit - 1))];
    shift += BITS_PER_LEVEL;
  }
  return undefined;
}

/** Two nodes with different hashes: a branch (or chain of branches) holding both. */
function merge<K extends PKey, V>(shift: number, a: Leaf<K, V> | Collision<K, V>, b: Leaf<K, V>): Branch<K, V> {
  const fa = fragment(a.hash, shift);
  const fb = fragment(b.hash, shift);
  if (fa === fb) return { kind: 'branch', bitmap: 1 << fa, children: [merge(shift + BITS_PER_LEVEL, a, b)], edit: null };
  const children = fa < fb ? [a, b] : [b, a];
  return { kind: 'branch', bitmap: (1 << fa) | (1 << fb), children, edit: null };
}

function insert<K extends PKey, V>(node: Node<K, V> | undefined, shift: number, leaf: Leaf<K, V>, grew: { v: boolean }): Node<K, V> {
  if (node === undefined) {
    grew.v = true;
    return leaf;
  }
  if (node.kind === 'leaf') {
    if (node.key === leaf.key) return node.value === leaf.value ? node : leaf;
    grew.v = true;
    if (node.hash === leaf.hash) return { kind: 'collision', hash: leaf.hash, leaves: [node, leaf] };
    return merge(shift, node, leaf);
  }
  if (node.kind === 'collision') {
    if (node.hash !== leaf.hash) {
      grew.v = true;
      return merge(shift, node, leaf);
    }
    const at = node.leaves.findIndex((l) => l.key === leaf.key);
    if (at < 0) grew.v = true;
    const leaves = at < 0 ? [...node.leaves, leaf] : node.leaves.map((l, i) => (i === at ? leaf : l));
    return { kind: 'collision', hash: node.hash, leaves };
  }
  const bit = 1 << fragment(leaf.hash, shift);
  const index = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    grew.v = true;
    const children = [...node.children.slice(0, index), leaf, ...node.children.slice(index)];
    return { kind: 'branch', bitmap: node.bitmap | bit, children, edit: null };
  }
  const child = node.children[index];
  const updated = insert(child, shift + BITS_PER_LEVEL, leaf, grew);
  if (updated === child) return node;
  const children = node.children.slice();
  children[index] = updated;
  return { kind: 'branch', bitmap: node.bitmap, children, edit: null };
}

function remove<K extends PKey, V>(node: Node<K, V>, shift: number, hash: number, key: K): Node<K, V> | undefined | null {
  // null: key absent, node unchanged; undefined: node now empty.
  if (node.kind === 'leaf') return node.key === key ? undefined : null;
  if (node.kind === 'collision') {
    if (node.hash !== hash || !node.leaves.some((l) => l.key === key)) return null;
    const leaves = node.leaves.filter((l) => l.key !== key);
    return leaves.length === 1 ? leaves[0] : { kind: 'collision', hash, leaves };
  }
  const bit = 1 << fragment(hash, shift);
  if ((node.bitmap & bit) === 0) return null;
  const index = popcount(node.bitmap & (bit - 1));
  const updated = remove(node.children[index], shift + BITS_PER_LEVEL, hash, key);
  if (updated === null) return null;
  if (updated === undefined) {
    const bitmap = node.bitmap & ~bit;
    if (bitmap === 0) return undefined;
    const children = [...node.children.slice(0, index), ...node.children.slice(index + 1)];
    // Leaves carry their full hash, so a lone leaf can move up without losing its place.
    if (children.length === 1 && children[0].kind !== 'branch') return children[0];
    return { kind: 'branch', bitmap, children, edit: null };
  }
  const children = node.children.slice();
  children[index] = updated;
  return { kind: 'branch', bitmap: node.bitmap, children, edit: null };
}

/**
 * set() of a key already present, for a transient map: nodes `edit` made change in place, the
 * others on the path are copied into `edit`. Undefined when the key is absent or in a collision
 * node (the persistent insert handles those).
 */
function assign<K extends PKey, V>(node: Node<K, V> | undefined, shift: number, hash: number, key: K, value: V, edit: Edit): Node<K, V> | undefined {
  if (node === undefined || node.kind === 'collision') return undefined;
  if (node.kind === 'leaf') {
    if (node.key !== key) return undefined;
    if (node.value === value) return node;
    if (node.edit === edit) {
      node.value = value;
      return node;
    }
    return { kind: 'leaf', hash, key, value, edit };
  }
  const bit = 1 << fragment(hash, shift);
  if ((node.bitmap & bit) === 0) return undefined;
  const index = popcount(node.bitmap & (bit - 1));
  const child = node.children[index];
  const updated = assign(child, shift + BITS_PER_LEVEL, hash, key, value, edit);
  if (updated === undefined) return undefined;
  if (updated === child) return node;
  if (node.edit === edit) {
    node.children[index] = updated;
    return node;
  }
  const children = node.children.slice();
  children[index] = updated;
  return { kind: 'branch', bitmap: node.bitmap, children, edit };
}

function* walk<K extends PKey, V>(node: Node<K, V> | undefined): Generator<Leaf<K, V>> {
  if (node === undefined) return;
  if (node.kind === 'leaf') yield node;
  else if (node.kind === 'collision') yield* node.leaves;
  else for (const child of node.children) yield* walk(child);
}

export class PMap<K extends PKey, V> implements Iterable<[K, V]> {
  private static readonly EMPTY = new PMap<never, never>(undefined, 0);

  /** edit: the open transient session this map may change in place (transient()), else null */
  private constructor(private readonly root: Node<K, V> | undefined, readonly size: number, private readonly edit: Edit | null = null) {}

  static empty<K extends PKey, V>(): PMap<K, V> {
    return PMap.EMPTY as unknown as PMap<K, V>;
  }

  static from<K extends PKey, V>(entries: Iterable<readonly [K, V]>): PMap<K, V> {
    let map = PMap.empty<K, V>();
    for (const [k, v] of entries) map = map.set(k, v);
    return map;
  }

  get(key: K): V | undefined {
    return lookup(this.root, hashOf(key), key)?.value;
  }

  has(key: K): boolean {
    return lookup(this.root, hashOf(key), key) !== undefined;
  }

  set(key: K, value: V): PMap<K, V> {
    const hash = hashOf(key);
    if (this.edit !== null && this.edit.open) {
      // a transient map replacing a present key: no path copy for nodes this session made
      const changed = assign(this.root, 0, hash, key, value, this.edit);
      if (changed !== undefined) return changed === this.root ? this : new PMap(changed, this.size, this.edit);
    }
    const grew = { v: false };
    const root = insert(this.root, 0, { kind: 'leaf', hash, key, value, edit: null }, grew);
    return root === this.root ? this : new PMap(root, this.size + (grew.v ? 1 : 0), this.edit);
  }

  delete(key: K): PMap<K, V> {
    if (this.root === undefined) return this;
    const root = remove(this.root, 0, hashOf(key), key);
    return root === null ? this : new PMap(root, this.size - 1, this.edit);
  }

  /**
   * The same entries as a transient map of a new session: its set() of a present key changes the
   * nodes it made itself in place, so the caller must be this map's only user until seal(). For
   * a replay that owns its state between checkpoints; the live service never calls it.
   */
  transient(): PMap<K, V> {
    return new PMap(this.root, this.size, { open: true });
  }

  /** Ends this map's transient session (if any): from now on it, and every map sharing its nodes, is persistent. */
  seal(): void {
    if (this.edit !== null) this.edit.open = false;
  }

  /** True while set() may change this map's own nodes in place. */
  get isTransient(): boolean {
    return this.edit !== null && this.edit.open;
  }

  /** set(key, f(current)); deletes the key when f returns undefined. */
  update(key: K, f: (current: V | undefined) => V | undefined): PMap<K, V> {
    const next = f(this.get(key));
    return next === undefined ? this.delete(key) : this.set(key, next);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const leaf of walk(this.root)) yield [leaf.key, leaf.value];
  }

  *keys(): IterableIterator<K> {
    for (const leaf of walk(this.root)) yield leaf.key;
  }

  *values(): IterableIterator<V> {
    for (const leaf of walk(this.root)) yield leaf.value;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}
