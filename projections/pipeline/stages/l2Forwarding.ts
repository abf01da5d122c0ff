// Stages "L2 lookup" (table 60, MACs on other hosts -> tunnel) and "local delivery" (table 70, MACs on this host -> their port).
import type { PortView } from '../../topology/view.ts';
import { portCookie } from '../cookie.ts';
import { applyActions, flow, m, output, setField, type DesiredFlow } from '../flow.ts';
import { TABLE_L2_LOOKUP, TABLE_LOCAL_DELIVERY } from '../tables.ts';
import { networkMetadata, type NetworkTag } from './classification.ts';

export const PRIORITY_MAC = 50;

/** Unicast to the port's MAC from a VM on another host: over VXLAN to the port's host, VNI in tun_id. */
export function buildRemoteL2Flows(port: PortView, vni: number, remoteTunnelIp: string, tunnelOfport: number): DesiredFlow[] {
  return [flow(TABLE_L2_LOOKUP, PRIORITY_MAC, [m('metadata', networkMetadata(vni)), m('eth_dst', port.macAddress)],
    [applyActions([setField('tun_ipv4_dst', remoteTunnelIp), setField('tunnel_id', BigInt(vni)), output(tunnelOfport)])],
    portCookie('l2_lookup', port.id))];
}

/** Unicast to the port's MAC on its own host: out its port. */
export function buildLocalDeliveryFlows(port: PortView, vni: NetworkTag, ofport: number): DesiredFlow[] {
  return [flow(TABLE_LOCAL_DELIVERY, PRIORITY_MAC, [m('metadata', networkMetadata(vni)), m('eth_dst', port.macAddress)],
    [applyActions([output(ofport)])], portCookie('local_delivery', port.id))];
}
