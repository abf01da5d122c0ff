// One point of a replay: the domain world and the topology view after the event at `position`, and how to fold one more event.
import { START } from '../eventStore/types.ts';
import type { ReplayEvent } from './batches.ts';
import { isDomainEvent } from '../domain/events.ts';
import { evolve } from '../domain/evolve.ts';
import { emptyWorld, withPorts, type World } from '../domain/world.ts';
import { asTopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { sharedCopy, sharedRecords } from './sharedCopy.ts';

/**
 * The world is persistent (structural sharing), so keeping it costs nothing, except that the audit
 * index's head may own a transient port map (ownWorld), sealed whenever the state is copied; the
 * topology view is mutated in place by its fold, so a state that is kept (a checkpoint) owns a copy.
 */
export interface ReplayState {
  /** position of the last folded event; START before the first */
  position: bigint;
  /** events folded so far (including the ones neither projection reads) */
  count: number;
  world: World;
  view: TopologyView;
}

export function initialReplayState(): ReplayState {
  return { position: START, count: 0, world: emptyWorld(), view: emptyView() };
}

/** Folds one recorded event into the state, in place, with the same pure evolve the live service uses. */
export function foldEvent(state: ReplayState, event: ReplayEvent): void {
  if (isDomainEvent(event)) state.world = evolve(state.world, event);
  const topo = asTopologyEvent(event);
  if (topo !== undefined) applyTopologyEvent(state.view, topo);
  state.position = event.position;
  state.count += 1;
}

/**
 * A deep copy of maps, sets, arrays and plain records. Generic on purpose: the view gains indexes
 * (security groups, ...) without this file knowing, and a shared inner Map would let a replay
 * corrupt a checkpoint.
 */
function deepCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Map) {
    const m = new Map();
    for (const [k, x] of v) m.set(k, deepCopy(x));
    return m as T;
  }
  if (v instanceof Set) {
    const s = new Set();
    for (const x of v) s.add(deepCopy(x));
    return s as T;
  }
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  if (Buffer.isBuffer(v)) return Buffer.from(v) as T;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) o[k] = deepCopy((v as Record<string, unknown>)[k]);
  return o as T;
}

/**
 * Maps whose records the view's fold replaces and never edits in place (a changed port is a new
 * PortView): a copy shares those records. Every other part, including anything added to the view
 * later, is deep-copied. Sharing the records made a checkpoint of 2,000 ports ~3x cheaper; the
 * checkpoint tests (every position, asked twice) catch a fold that starts editing them in place.
 */
const REPLACED_RECORDS: ReadonlySet<string> = new Set(['networks', 'subnets', 'ports', 'hosts']);

export function cloneView(v: TopologyView): TopologyView {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = REPLACED_RECORDS.has(k) && x instanceof Map ? new Map(x) : deepCopy(x);
  return out as unknown as TopologyView;
}

/**
 * Lets the state's port map change in place (PMap.transient) from now until the state is copied:
 * for the audit index's head, which nobody else sees between checkpoints. The hottest event of a
 * replay (a port changed) then copies no trie path and no world.
 */
export function ownWorld(s: ReplayState): void {
  if (!s.world.ports.isTransient) s.world = withPorts(s.world, s.world.ports.transient());
}

/** A copy the caller owns (and may fold into): the view is copied whole; the world is shared, so it is sealed first. */
export function cloneState(s: ReplayState): ReplayState {
  s.world.ports.seal();
  return { position: s.position, count: s.count, world: s.world, view: cloneView(s.view) };
}

/**
 * A checkpoint: a copy that is never folded into or edited, so it shares every part of the view
 * that equals the same part of `prev` (the previous checkpoint, equally frozen) instead of copying
 * it. Between two checkpoints a replay touches a few ports, hosts and networks, so most maps and
 * sets are the previous checkpoint's: less to allocate, less for the GC to keep (sharedCopy.ts).
 */
export function checkpointOf(s: ReplayState, prev: ReplayState | undefined): ReplayState {
  s.world.ports.seal();
  if (prev === undefined) return cloneState(s);
  return { position: s.position, count: s.count, world: s.world, view: shareView(s.view, prev.view) };
}

function shareView(v: TopologyView, prev: TopologyView): TopologyView {
  const out: Record<string, unknown> = {};
  const before = prev as unknown as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) out[k] = REPLACED_RECORDS.has(k) && x instanceof Map ? sharedRecords(x, before[k]) : sharedCopy(x, before[k]);
  return out as unknown as TopologyView;
}
