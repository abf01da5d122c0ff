// OpenFlow lanes: a big steady-state diff spread over several connections to one switch, split by flow key, confirmed together.
//
// ovs-vswitchd reads at most 50 OpenFlow messages per connection per main-loop turn, and a turn of the
// userspace datapath costs O(taps): more connections to one bridge each get their 50 per turn
// (BENCHMARKS.md, "Flow install over parallel OpenFlow connections"). A lane is an extra connection
// from the same br-int (another Controller row) that carries only flow_mods and barriers.
//
// Every operation on one flow goes over one connection, in diff order, so two operations on a flow
// never race. Each connection sends its share in slices with a barrier each; the diff is confirmed
// when every share's barriers replied. A lane that fails mid-diff hands the rest of its share to the
// main connection (sending a slice again is safe: see SwitchReconciler.patiently).
import type { Outgoing } from '../../openflow/transport/outgoing.ts';
import { OpenFlowBatchError, type BatchFailure } from '../../openflow/transport/errors.ts';
import type { FlowModOut } from './flowDiff.ts';

/**
 * Diffs smaller than this stay on the main connection alone. One more port is ~13 flow_mods and is
 * latency-bound (one barrier round trip); a first bring-up diff of 1000 ports is thousands.
 */
export const LANE_MIN_MODS = 256;

/** What a share needs of a connection (SwitchConnection has it). */
export interface LaneConnection {
  apply(msgs: readonly Outgoing[]): Promise<void>;
  readonly state: string;
}

/** FNV-1a (32 bits) of the key, reduced over `connections`: the same key always picks the same connection. */
export function laneOf(key: string, connections: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % connections;
}

/** For each connection, the indexes (into the whole diff, in diff order) of the flow_mods it carries. */
export function splitByKey(keys: readonly string[], connections: number): number[][] {
  if (connections === 1) return [keys.map((_, i) => i)];
  const shares: number[][] = Array.from({ length: connections }, () => []);
  keys.forEach((k, i) => shares[laneOf(k, connections)].push(i));
  return shares;
}

export interface SpreadHooks<C extends LaneConnection> {
  /** one slice and its barrier over one connection (the reconciler retries timeouts here) */
  sendSlice(conn: C, slice: FlowModOut[]): Promise<void>;
  /** the switch rejected these flow_mods of a slice (indexes into the slice) */
  onRejected(slice: readonly FlowModOut[], failures: readonly BatchFailure[]): void;
  /** a lane failed: the rest of its share (`mods` flow_mods) goes over the main connection */
  onLaneFailed(lane: number, mods: number, error: unknown): void;
}

/**
 * Sends `mods` (keyed by `keys`, same order) over `main` and `lanes` at once, `perBarrier` flow_mods per
 * slice, and resolves when every share is confirmed. Rejected flow_mods land in `rejected` by their
 * index in the whole diff. A failure of the main connection rejects, but only after every lane's share
 * settled, so nothing of this diff is still on the wire when the caller resyncs.
 */
export async function sendSpread<C extends LaneConnection>(
  main: C, lanes: readonly C[], mods: readonly FlowModOut[], keys: readonly string[],
  rejected: Set<number>, perBarrier: number, hooks: SpreadHooks<C>,
): Promise<void> {
  const shares = splitByKey(keys, lanes.length + 1);
  const sendShare = async (conn: C, lane: number | undefined, index: readonly number[]): Promise<void> => {
    for (let start = 0; start < index.length; start += perBarrier) {
      const at = index.slice(start, start + perBarrier);
      const slice = at.map((i) => mods[i]);
      try {
        await hooks.sendSlice(conn, slice);
      } catch (error) {
        if (error instanceof OpenFlowBatchError) {
          hooks.onRejected(slice, error.failures);
          for (const f of error.failures) rejected.add(at[f.index]);
          continue;
        }
        if (lane === undefined) throw error;
        hooks.onLaneFailed(lane, index.length - start, error);
        return sendShare(main, undefined, index.slice(start));
      }
    }
  };
  const results = await Promise.allSettled(shares.map((index, c) => (c === 0 ? sendShare(main, undefined, index) : sendShare(lanes[c - 1], c - 1, index))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
