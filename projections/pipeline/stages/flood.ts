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

type Copy = { kind: 'local'; ofport: number } | { kind: 'remote'; tunnelIp: string };

function copyActions(copy: Copy, vni: number, tunnelOfport: number | undefined): Action[] {
  if (copy.kind === 'local') return [output(copy.ofport)];
  if (tunnelOfport === undefined) return [];
  return [setField('tun_ipv4_dst', copy.tunnelIp), setField('tunnel_id', BigInt(vni)), output(tunnelOfport)];
}

function chunked(vni: number, priority: number, inPort: number | undefined, copies: Copy[], tunnelOfport: number | undefined): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  const chunks = Math.max(1, Math.ceil(copies.length / FLOOD_OUTPUTS_PER_FLOW));
  for (let i = 0; i < chunks; i++) {
    const part = copies.slice(i * FLOOD_OUTPUTS_PER_FLOW, (i + 1) * FLOOD_OUTPUTS_PER_FLOW);
    const actions = part.flatMap((c) => copyActions(c, vni, tunnelOfport));
    if (i + 1 < chunks) actions.push(setField('reg6', i + 1), resubmit(TABLE_FLOOD));
    const match = [m('metadata', networkMetadata(vni)), m('reg6', i)];
    if (inPort !== undefined) match.unshift(m('in_port', inPort));
    flows.push(flow(TABLE_FLOOD, priority, match, [applyActions(actions)], networkCookie('flood', vni)));
  }
  return flows;
}

/**
 * The flood flows of one network on one host: local ports (sorted OpenFlow port numbers) and the
 * tunnel endpoints of the other hosts with ports in the network (sorted).
 */
export function buildFloodFlows(vni: number, localOfports: readonly number[], remoteTunnelIps: readonly string[], tunnelOfport: number | undefined): DesiredFlow[] {
  const local: Copy[] = localOfports.map((ofport) => ({ kind: 'local', ofport }));
  const remote: Copy[] = tunnelOfport === undefined ? [] : remoteTunnelIps.map((tunnelIp) => ({ kind: 'remote', tunnelIp }));
  const flows = chunked(vni, PRIORITY_FLOOD, undefined, [...local, ...remote], tunnelOfport);
  if (tunnelOfport !== undefined) flows.push(...chunked(vni, PRIORITY_FLOOD_FROM_TUNNEL, tunnelOfport, local, tunnelOfport));
  return flows;
}
