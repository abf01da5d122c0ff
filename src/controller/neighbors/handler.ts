// Wires neighbor learning to one switch: ARP seen on a physical network -> ExternalNeighborObserved; neighbor miss -> ARP request out the physical port.
//
// Both are rate-limited per (network, address): a neighbor is recorded once per MAC (the log holds
// changes, not every ARP), a MAC that changes again within MOVE_HOLD_MS waits for a later ARP, and a
// miss is asked for at most once per ASK_INTERVAL_MS while it persists (the packet that missed is
// dropped; its sender retries, like a Linux neighbor table). Anyone on the physical network can send
// ARP, so the records one switch may append are also capped per second: an ARP storm of made-up
// addresses or a flapping MAC costs the log a bounded trickle, not one event per frame.
import type { SwitchConnection } from '../../../openflow/connection.ts';
import { OFPP_CONTROLLER, OFP_NO_BUFFER } from '../../../openflow/constants/ports.ts';
import type { PacketIn } from '../../../openflow/messages/types.ts';
import type { ExternalNeighborObserved } from '../../../projections/topology/observations.ts';
import type { TopologyView } from '../../../projections/topology/view.ts';
import { decideNeighbor, type NeighborDecision } from './decide.ts';

/** At most one ARP request per address per second, as Linux's default neighbor retransmit time. */
export const ASK_INTERVAL_MS = 1000;
/** A recorded MAC is not recorded again for this long, while the log catches up with the append. */
const LEARN_HOLD_MS = 5000;
/** A MAC recorded for an address is not replaced by another one sooner than this (flapping senders). */
const MOVE_HOLD_MS = 1000;
/** Observations one switch's handler may append per second, whatever arrives. */
export const MAX_RECORDS_PER_SECOND = 20;
/** Bound on the rate-limit tables: a flood of distinct addresses clears them instead of growing memory. */
const MAX_ENTRIES = 4096;

export interface NeighborHandlerContext {
  host: () => string | undefined;
  view: () => TopologyView;
  /** appends the observation to the log */
  record: (event: ExternalNeighborObserved) => Promise<unknown>;
  /** told about every decision (logs, tests) */
  onDecision?: (d: NeighborDecision) => void;
  now?: () => number;
  /**
   * recently recorded neighbors, shared by the handlers of every switch: a broadcast ARP reaches every
   * host of the physical network at once, and one observation is enough (own map when absent)
   */
  learned?: Map<string, { at: number; mac?: string }>;
}

function remember(m: Map<string, { at: number; mac?: string }>, key: string, value: { at: number; mac?: string }): void {
  if (m.size >= MAX_ENTRIES) m.clear();
  m.set(key, value);
}

/** Handles neighbor packet-ins on `sw` until the returned function is called. */
export function attachNeighborHandler(sw: SwitchConnection, ctx: NeighborHandlerContext): () => void {
  const now = ctx.now ?? Date.now;
  const learned = ctx.learned ?? new Map<string, { at: number; mac?: string }>();
  const asked = new Map<string, { at: number }>();
  let budget = { second: -1, left: 0 };
  const spend = (t: number): boolean => {
    const second = Math.floor(t / 1000);
    if (second !== budget.second) budget = { second, left: MAX_RECORDS_PER_SECOND };
    if (budget.left === 0) return false;
    budget.left -= 1;
    return true;
  };
  const onPacketIn = (pi: PacketIn): void => {
    const host = ctx.host();
    if (host === undefined) return;
    let d: NeighborDecision;
    try {
      d = decideNeighbor(pi, host, ctx.view());
    } catch (error) {
      // bad input never takes the controller down
      d = { kind: 'ignore', reason: `error: ${error instanceof Error ? error.message : String(error)}` };
    }
    const t = now();
    if (d.kind === 'learn') {
      const key = `${d.networkId} ${d.ip}`;
      const prev = learned.get(key);
      if (prev && prev.mac === d.mac && t - prev.at < LEARN_HOLD_MS) return;
      if (prev && prev.mac !== d.mac && t - prev.at < MOVE_HOLD_MS) return;
      if (!spend(t)) return;
      remember(learned, key, { at: t, mac: d.mac });
      ctx.onDecision?.(d);
      ctx.record({ type: 'ExternalNeighborObserved', data: { host, networkId: d.networkId, ip: d.ip, mac: d.mac, at: new Date(t).toISOString() } })
        .catch(() => learned.delete(key));
    } else if (d.kind === 'ask') {
      const key = `${d.networkId} ${d.targetIp}`;
      const prev = asked.get(key);
      if (prev && t - prev.at < ASK_INTERVAL_MS) return;
      remember(asked, key, { at: t });
      ctx.onDecision?.(d);
      void sw.send({ type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: OFPP_CONTROLLER, actions: d.actions, data: d.frame })
        .catch(() => { /* the connection is closing: the next miss asks again */ });
    } else if (d.reason !== 'not an external table') {
      ctx.onDecision?.(d);
    }
  };
  sw.on('packet_in', onPacketIn);
  return () => { sw.off('packet_in', onPacketIn); };
}
