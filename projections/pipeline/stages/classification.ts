// Stage "classify" (table 0): which network a packet belongs to, from its VM port or from its tunnel and VNI.
import { networkCookie, portCookie } from '../cookie.ts';
import { flow, gotoTable, m, writeMetadata, type DesiredFlow } from '../flow.ts';
import { TABLE_CLASSIFY, TABLE_LOCAL_DELIVERY, TABLE_PORT_SECURITY } from '../tables.ts';

export const PRIORITY_CLASSIFY = 100;

/**
 * What names a network in metadata: the VNI of an overlay network, or a provider network's own metadata
 * (stages/external.ts providerMetadata, bit 32 set), so one stage serves both kinds of network.
 */
export type NetworkTag = number | bigint;

/** Network id carried in metadata through the pipeline: the VNI, unique per overlay network (or a provider network's metadata). */
export const networkMetadata = (vni: NetworkTag): bigint => BigInt(vni);

/** A VM port: its packets belong to its network and go to port security. */
export function buildPortClassifyFlows(portId: string, ofport: number, vni: NetworkTag): DesiredFlow[] {
  return [flow(TABLE_CLASSIFY, PRIORITY_CLASSIFY, [m('in_port', ofport)],
    [writeMetadata(networkMetadata(vni)), gotoTable(TABLE_PORT_SECURITY)], portCookie('classify', portId))];
}

/** The tunnel port with this VNI: the network's packets from other hosts go to local delivery only. */
export function buildTunnelClassifyFlows(vni: number, tunnelOfport: number): DesiredFlow[] {
  return [flow(TABLE_CLASSIFY, PRIORITY_CLASSIFY, [m('in_port', tunnelOfport), m('tunnel_id', BigInt(vni))],
    [writeMetadata(networkMetadata(vni)), gotoTable(TABLE_LOCAL_DELIVERY)], networkCookie('classify', vni))];
}
