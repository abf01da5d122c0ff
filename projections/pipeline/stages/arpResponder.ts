// Stage "ARP responder" (table 20, l2pop): the local switch answers ARP requests for every known IPv4 address of the network.
import type { PortView } from '../../topology/view.ts';
import { ipMatch } from '../addresses.ts';
import { portCookie } from '../cookie.ts';
import {
  ARP_OP_REPLY, ARP_OP_REQUEST, ETH_TYPE_ARP, IPV4_BITS, MAC_BITS, OFPP_IN_PORT, applyActions, flow, m, move, output, setField,
  type DesiredFlow,
} from '../flow.ts';
import { TABLE_ARP_RESPONDER } from '../tables.ts';
import { networkMetadata, type NetworkTag } from './classification.ts';

export const PRIORITY_ARP_ANSWER = 100;

/** One flow per IPv4 fixed IP of the port: turn the request into the reply in place and send it back out the asking port. */
export function buildArpResponderFlows(port: PortView, vni: NetworkTag): DesiredFlow[] {
  const flows: DesiredFlow[] = [];
  for (const f of port.fixedIps) {
    const a = ipMatch(f.ipAddress);
    if (!a || a.version !== 4) continue;
    const mac = port.macAddress;
    flows.push(flow(TABLE_ARP_RESPONDER, PRIORITY_ARP_ANSWER,
      [m('metadata', networkMetadata(vni)), m('eth_type', ETH_TYPE_ARP), m('arp_op', ARP_OP_REQUEST), m('arp_tpa', a.value)],
      [applyActions([
        move('eth_src', 'eth_dst', MAC_BITS),
        setField('eth_src', mac),
        setField('arp_op', ARP_OP_REPLY),
        move('arp_sha', 'arp_tha', MAC_BITS),
        move('arp_spa', 'arp_tpa', IPV4_BITS),
        setField('arp_sha', mac),
        setField('arp_spa', a.value),
        output(OFPP_IN_PORT),
      ])],
      portCookie('arp_responder', port.id)));
  }
  return flows;
}
