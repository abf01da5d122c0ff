// Stage "flood" (table 80): broadcast, multicast and unknown unicast, replicated only to ports and hosts of the network.
//
// Packets from local VMs go to every local port of the network (OpenFlow never outputs a packet to
// its own in_port) and once to each other host with ports in it. Packets from the tunnel go to local
// ports only (split horizon: no host re-floods what another host sent).
//
// A big network is flooded by a chain of flows, so no flow comes near OpenFlow's 64 KiB message limit
// and one port more or less rewrites one flow, not the whole list: the local ports with OpenFlow
// numbers in [64r, 64r+63] are output by the flow matching reg6=r (r=0 always exists and starts the
// chain, as registers are 0 when a packet enters the pipeline); remote hosts follow, 64 per flow, at
// reg6 = FLOOD_REMOTE_BASE + k. Each flow but the last sets reg6 to the next one's and resubmits.
import { networkCookie } from '../cookie.ts';
import { applyActions, flow, m, output, resubmit, setField, type DesiredFlow } from '../flow.ts';
import { TABLE_FLOOD } from '../tables.ts';
import { networkMetadata } from './classification.ts';
import type { Action } from '../../../openflow/messages/types.ts';

/** Packets that came in over the tunnel: local copies only. */
export const PRIORITY_FLOOD_FROM_TUNNEL = 60;
export const PRIORITY_FLOOD = 50;
/** OpenFlow port numbers per flood flow (an output is 16 bytes, a tunnel copy 48): far below 64 KiB. */
export const FLOOD_OUTPUTS_PER_FLOW = 64;
/** reg6 of the first remote-copies flow; above any local range (OpenFlow ports stop at 0xffffff00 / 64). */
export const FLOOD_REMOTE_BASE = 0x0400_0000;

export type FloodCopy = { kind: 'local'; ofport: number } | { kind: 'remote'; tunnelIp: string };

/** One flood flow before it is built. */
export interface FloodChunk {
  priority: number;
  /** the reg6 value this flow matches */
  id: number;
  /** only packets from this port (the tunnel), or from anywhere */
  inPort: number | undefined;
  copies: FloodCopy[];
  /** reg6 of the next flow in the chain; null = last */
  next: number | null;
}

function copyActions(copy: FloodCopy, vni: number, tunnelOfport: number | undefined): Action[] {
  if (copy.kind === 'local') return [output(copy.ofport)];
  if (tunnelOfport === undefined) return [];
  return [setField('tun_ipv4_dst', copy.tunnelIp), setField('tunnel_id', BigInt(vni)), output(tunnelOfport)];
}

/** Local ports by range (range 0 always present), ascending, ports ascending inside. */
function localRanges(localOfports: Iterable<number>): [number, FloodCopy[]][] {
  const ranges = new Map<number, number[]>([[0, []]]);
  for (const ofport of new Set(localOfports)) {
    const r = Math.floor(ofport / FLOOD_OUTPUTS_PER_FLOW);
    let list = ranges.get(r);
    if (!list) ranges.set(r, (list = []));
    list.push(ofport);
  }
  return [...ranges].sort((a, b) => a[0] - b[0])
    .map(([r, ports]) => [r, ports.sort((a, b) => a - b).map((ofport): FloodCopy => ({ kind: 'local', ofport }))]);
}

function chain(priority: number, inPort: number | undefined, parts: [number, FloodCopy[]][]): FloodChunk[] {
  return parts.map(([id, copies], i) => ({ priority, id, inPort, copies, next: i + 1 < parts.length ? parts[i + 1][0] : null }));
}

/**
 * The flood chain of one network on one host: its local ports (OpenFlow port numbers) and the tunnel
 * endpoints of the other hosts with ports in the network (sorted).
 */
export function planFloodFlows(localOfports: Iterable<number>, remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): FloodChunk[] {
  const local = localRanges(localOfports);
  const remote: [number, FloodCopy[]][] = [];
  if (tunnelOfport !== undefined) {
    for (let k = 0; k * FLOOD_OUTPUTS_PER_FLOW < remoteTunnelIps.length; k++) {
      const ips = remoteTunnelIps.slice(k * FLOOD_OUTPUTS_PER_FLOW, (k + 1) * FLOOD_OUTPUTS_PER_FLOW);
      remote.push([FLOOD_REMOTE_BASE + k, ips.map((tunnelIp): FloodCopy => ({ kind: 'remote', tunnelIp }))]);
    }
  }
  const chunks = chain(PRIORITY_FLOOD, undefined, [...local, ...remote]);
  if (tunnelOfport !== undefined) chunks.push(...chain(PRIORITY_FLOOD_FROM_TUNNEL, tunnelOfport, local));
  return chunks;
}

/** A chunk as text: equal text, equal flow (lets callers reuse flows of unchanged chunks). */
export function floodChunkText(vni: number, c: FloodChunk, tunnelOfport: number | undefined): string {
  const copies = c.copies.map((x) => (x.kind === 'local' ? x.ofport : x.tunnelIp)).join(',');
  return `${vni}|${tunnelOfport}|${c.priority}|${c.inPort}|${c.id}|${c.next}|${copies}`;
}

export function buildFloodChunkFlow(vni: number, c: FloodChunk, tunnelOfport: number | undefined): DesiredFlow {
  const actions = c.copies.flatMap((copy) => copyActions(copy, vni, tunnelOfport));
  if (c.next !== null) actions.push(setField('reg6', c.next), resubmit(TABLE_FLOOD));
  const match = [m('metadata', networkMetadata(vni)), m('reg6', c.id)];
  if (c.inPort !== undefined) match.unshift(m('in_port', c.inPort));
  return flow(TABLE_FLOOD, c.priority, match, [applyActions(actions)], networkCookie('flood', vni));
}

/** The flood flows of one network on one host (see planFloodFlows). */
export function buildFloodFlows(vni: number, localOfports: Iterable<number>, remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): DesiredFlow[] {
  return planFloodFlows(localOfports, remoteTunnelIps, tunnelOfport).map((c) => buildFloodChunkFlow(vni, c, tunnelOfport));
}
