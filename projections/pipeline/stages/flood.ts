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

/**
 * One flow of the chain before its copies are expanded: the local OpenFlow ports or remote tunnel
 * endpoints it outputs to, as plain sorted arrays (a caller can compare them with a previous plan
 * element by element and rebuild only the steps that changed).
 */
export interface FloodStep {
  priority: number;
  id: number;
  inPort: number | undefined;
  local: readonly number[];
  remote: readonly string[];
  next: number | null;
}

const NO_REMOTE: readonly string[] = [];
const NO_LOCAL: readonly number[] = [];

/** Local ports by range (range 0 always present), ascending, unique and ascending inside: one pass, numbers only. */
function localRanges(localOfports: Iterable<number>): [number, readonly number[]][] {
  const ranges = new Map<number, number[]>([[0, []]]);
  for (const ofport of localOfports) {
    const r = Math.floor(ofport / FLOOD_OUTPUTS_PER_FLOW);
    const list = ranges.get(r);
    if (list) list.push(ofport);
    else ranges.set(r, [ofport]);
  }
  const out: [number, readonly number[]][] = [];
  for (const r of [...ranges.keys()].sort((a, b) => a - b)) {
    const ports = ranges.get(r)!.sort((a, b) => a - b);
    let n = 0;
    for (let i = 0; i < ports.length; i++) if (i === 0 || ports[i] !== ports[i - 1]) ports[n++] = ports[i];
    ports.length = n;
    out.push([r, ports]);
  }
  return out;
}

function chainSteps(priority: number, inPort: number | undefined, parts: [number, readonly number[], readonly string[]][]): FloodStep[] {
  return parts.map(([id, local, remote], i) => ({ priority, id, inPort, local, remote, next: i + 1 < parts.length ? parts[i + 1][0] : null }));
}

/**
 * The flood chain of one network on one host, unexpanded: its local ports (OpenFlow port numbers) and
 * the tunnel endpoints of the other hosts with ports in the network (sorted).
 */
export function planFloodSteps(localOfports: Iterable<number>, remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): FloodStep[] {
  const local = localRanges(localOfports);
  const parts: [number, readonly number[], readonly string[]][] = local.map(([r, ports]) => [r, ports, NO_REMOTE]);
  if (tunnelOfport !== undefined) {
    for (let k = 0; k * FLOOD_OUTPUTS_PER_FLOW < remoteTunnelIps.length; k++) {
      parts.push([FLOOD_REMOTE_BASE + k, NO_LOCAL, remoteTunnelIps.slice(k * FLOOD_OUTPUTS_PER_FLOW, (k + 1) * FLOOD_OUTPUTS_PER_FLOW)]);
    }
  }
  const steps = chainSteps(PRIORITY_FLOOD, undefined, parts);
  if (tunnelOfport !== undefined) steps.push(...chainSteps(PRIORITY_FLOOD_FROM_TUNNEL, tunnelOfport, local.map(([r, ports]) => [r, ports, NO_REMOTE])));
  return steps;
}

/** A step with its copies expanded (local outputs first, then remote copies). */
export function floodStepChunk(s: FloodStep): FloodChunk {
  const copies: FloodCopy[] = s.local.map((ofport): FloodCopy => ({ kind: 'local', ofport }));
  for (const tunnelIp of s.remote) copies.push({ kind: 'remote', tunnelIp });
  return { priority: s.priority, id: s.id, inPort: s.inPort, copies, next: s.next };
}

/**
 * The flood chain of one network on one host: its local ports (OpenFlow port numbers) and the tunnel
 * endpoints of the other hosts with ports in the network (sorted).
 */
export function planFloodFlows(localOfports: Iterable<number>, remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): FloodChunk[] {
  return planFloodSteps(localOfports, remoteTunnelIps, tunnelOfport).map(floodStepChunk);
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
