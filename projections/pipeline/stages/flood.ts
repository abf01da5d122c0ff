// Stage "flood" (table 80): broadcast, multicast and unknown unicast, replicated only to ports and hosts of the network.
//
// Packets from local VMs go to every local port of the network (OpenFlow never outputs a packet to
// its own in_port) and once to each other host with ports in it. Packets from the tunnel go to local
// ports only (split horizon: no host re-floods what another host sent). One flow per network holds
// at most FLOOD_OUTPUTS_PER_FLOW outputs, so a big network stays far below OpenFlow's 64 KiB message
// limit: chunk i matches reg6=i, and all but the last set reg6=i+1 and resubmit to this table.
import { networkCookie } from '../cookie.ts';
import { applyActions, flow, m, output, resubmit, setField, type DesiredFlow } from '../flow.ts';
import { TABLE_FLOOD } from '../tables.ts';
import { networkMetadata } from './classification.ts';
import type { Action } from '../../../openflow/messages/types.ts';

/** Packets that came in over the tunnel: local copies only. */
export const PRIORITY_FLOOD_FROM_TUNNEL = 60;
export const PRIORITY_FLOOD = 50;
/** Output actions per flood flow (an output is 16 bytes, a tunnel copy 48): far below 64 KiB. */
export const FLOOD_OUTPUTS_PER_FLOW = 64;

export type FloodCopy = { kind: 'local'; ofport: number } | { kind: 'remote'; tunnelIp: string };

/** One flood flow before it is built: which copies it makes, and whether it chains to the next chunk. */
export interface FloodChunk {
  priority: number;
  /** the chunk index, matched in reg6 */
  index: number;
  /** only packets from this port (the tunnel), or from anywhere */
  inPort: number | undefined;
  copies: FloodCopy[];
  chained: boolean;
}

function copyActions(copy: FloodCopy, vni: number, tunnelOfport: number | undefined): Action[] {
  if (copy.kind === 'local') return [output(copy.ofport)];
  if (tunnelOfport === undefined) return [];
  return [setField('tun_ipv4_dst', copy.tunnelIp), setField('tunnel_id', BigInt(vni)), output(tunnelOfport)];
}

function chunk(priority: number, inPort: number | undefined, copies: FloodCopy[]): FloodChunk[] {
  const n = Math.max(1, Math.ceil(copies.length / FLOOD_OUTPUTS_PER_FLOW));
  return Array.from({ length: n }, (_, index) => ({
    priority, index, inPort, chained: index + 1 < n,
    copies: copies.slice(index * FLOOD_OUTPUTS_PER_FLOW, (index + 1) * FLOOD_OUTPUTS_PER_FLOW),
  }));
}

/**
 * The flood chunks of one network on one host: local ports (sorted OpenFlow port numbers) and the
 * tunnel endpoints of the other hosts with ports in the network (sorted).
 */
export function planFloodFlows(localOfports: readonly number[], remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): FloodChunk[] {
  const local: FloodCopy[] = localOfports.map((ofport) => ({ kind: 'local', ofport }));
  const remote: FloodCopy[] = tunnelOfport === undefined ? [] : remoteTunnelIps.map((tunnelIp) => ({ kind: 'remote', tunnelIp }));
  const chunks = chunk(PRIORITY_FLOOD, undefined, [...local, ...remote]);
  if (tunnelOfport !== undefined) chunks.push(...chunk(PRIORITY_FLOOD_FROM_TUNNEL, tunnelOfport, local));
  return chunks;
}

export function buildFloodChunkFlow(vni: number, c: FloodChunk, tunnelOfport: number | undefined): DesiredFlow {
  const actions = c.copies.flatMap((copy) => copyActions(copy, vni, tunnelOfport));
  if (c.chained) actions.push(setField('reg6', c.index + 1), resubmit(TABLE_FLOOD));
  const match = [m('metadata', networkMetadata(vni)), m('reg6', c.index)];
  if (c.inPort !== undefined) match.unshift(m('in_port', c.inPort));
  return flow(TABLE_FLOOD, c.priority, match, [applyActions(actions)], networkCookie('flood', vni));
}

/** The flood flows of one network on one host (see planFloodFlows). */
export function buildFloodFlows(vni: number, localOfports: readonly number[], remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): DesiredFlow[] {
  return planFloodFlows(localOfports, remoteTunnelIps, tunnelOfport).map((c) => buildFloodChunkFlow(vni, c, tunnelOfport));
}
