// Stage "DHCP" (a host-wide flow at the head of table 40): DHCP requests from VMs go to the controller, which answers them itself.
//
// Port security (table 10) already admits DHCP from 0.0.0.0 and the port's own MAC, and table 40 only
// sees packets from local VM ports (tunnel traffic enters at local delivery), so one flow per host
// suffices: the packet-in carries in_port, which names the asking port.
import { OFPCML_NO_BUFFER } from '../../../openflow/constants/actions.ts';
import { OFPP_CONTROLLER } from '../../../openflow/constants/ports.ts';
import { hostCookie } from '../cookie.ts';
import { ETH_TYPE_IPV4, IP_PROTO_UDP, applyActions, flow, m, type DesiredFlow } from '../flow.ts';
import { TABLE_EGRESS_CT } from '../tables.ts';

/** Above the conntrack lookups of table 40: DHCP is answered, never forwarded. */
export const PRIORITY_DHCP_TO_CONTROLLER = 110;
export const DHCP_CLIENT_PORT = 68;
export const DHCP_SERVER_PORT = 67;

export function buildDhcpHostFlows(host: string): DesiredFlow[] {
  return [flow(TABLE_EGRESS_CT, PRIORITY_DHCP_TO_CONTROLLER,
    [m('eth_type', ETH_TYPE_IPV4), m('ip_proto', IP_PROTO_UDP), m('udp_src', DHCP_CLIENT_PORT), m('udp_dst', DHCP_SERVER_PORT)],
    [applyActions([{ type: 'output', port: OFPP_CONTROLLER, maxLen: OFPCML_NO_BUFFER }])], hostCookie('dhcp', host))];
}
