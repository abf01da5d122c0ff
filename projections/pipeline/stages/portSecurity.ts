// Stage "port security" (table 10): a VM may send only from its own MAC and addresses, and ARP only about itself.
//
// Neutron semantics: fixed IPs plus allowed address pairs (an IP or a prefix, with the port's MAC or
// another), DHCP discovery from 0.0.0.0, IPv6 from the link-local address of its MAC and ND duplicate
// address detection from ::. Anything else from the port misses and is dropped by the table default.
// port_security_enabled=false lets everything from the port through.
import type { PortView } from '../../topology/view.ts';
import { addressMatch, ipMatch, linkLocalOf } from '../addresses.ts';
import { portCookie } from '../cookie.ts';
import {
  ETH_TYPE_ARP, ETH_TYPE_IPV4, ETH_TYPE_IPV6, IP_PROTO_ICMPV6, IP_PROTO_UDP, flow, gotoOnly, m, type DesiredFlow,
} from '../flow.ts';
import { TABLE_ARP_RESPONDER, TABLE_PORT_SECURITY } from '../tables.ts';
import type { KnownOxm } from '../../../openflow/messages/types.ts';

export const PRIORITY_ALLOW = 100;
/** Below every specific allow flow: the port without port security. */
export const PRIORITY_UNSECURED = 10;
/** Where allowed packets go next. */
export const PORT_SECURITY_PASS = TABLE_ARP_RESPONDER;
/** DHCP (RFC 2131): client and server UDP ports. */
export const DHCP_CLIENT_PORT = 68;
export const DHCP_SERVER_PORT = 67;
/** ICMPv6 neighbour solicitation (RFC 4861), sent from :: during duplicate address detection. */
export const ICMPV6_NEIGHBOR_SOLICIT = 135;

/** (MAC, address) pairs a port may send from: fixed IPs with its MAC, then allowed address pairs. */
function sourcePairs(port: PortView): { mac: string; ip: string }[] {
  const pairs = port.fixedIps.map((f) => ({ mac: port.macAddress, ip: f.ipAddress }));
  for (const ap of port.allowedAddressPairs) pairs.push({ mac: ap.macAddress === '' ? port.macAddress : ap.macAddress.toLowerCase(), ip: ap.ipAddress });
  return pairs;
}

/** cookie: the port's, made once per port (a bigint each time it is computed) */
function allow(cookie: bigint, match: KnownOxm[]): DesiredFlow {
  return flow(TABLE_PORT_SECURITY, PRIORITY_ALLOW, match, gotoOnly(PORT_SECURITY_PASS), cookie);
}

function pairFlows(cookie: bigint, inPort: KnownOxm, mac: string, ip: string): DesiredFlow[] {
  const a = ipMatch(ip);
  if (!a) return [];
  const src = m('eth_src', mac);
  if (a.version === 6) return [allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_IPV6), ...addressMatch('ipv6_src', a)])];
  return [
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_IPV4), ...addressMatch('ipv4_src', a)]),
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_ARP), m('arp_sha', mac), ...addressMatch('arp_spa', a)]),
  ];
}

export function buildPortSecurityFlows(port: PortView, ofport: number): DesiredFlow[] {
  const inPort = m('in_port', ofport);
  if (!port.portSecurityEnabled) {
    return [flow(TABLE_PORT_SECURITY, PRIORITY_UNSECURED, [inPort], gotoOnly(PORT_SECURITY_PASS), portCookie('port_security', port.id))];
  }
  const mac = port.macAddress;
  const src = m('eth_src', mac);
  const cookie = portCookie('port_security', port.id);
  const flows = sourcePairs(port).flatMap((p) => pairFlows(cookie, inPort, p.mac, p.ip));
  flows.push(
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_IPV4), m('ipv4_src', '0.0.0.0'), m('ip_proto', IP_PROTO_UDP),
      m('udp_src', DHCP_CLIENT_PORT), m('udp_dst', DHCP_SERVER_PORT)]),
    // ARP probes (RFC 5227) carry sender IP 0.0.0.0 but still the port's own MAC
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_ARP), m('arp_sha', mac), m('arp_spa', '0.0.0.0')]),
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_IPV6), m('ipv6_src', linkLocalOf(mac))]),
    allow(cookie, [inPort, src, m('eth_type', ETH_TYPE_IPV6), m('ip_proto', IP_PROTO_ICMPV6), m('ipv6_src', '::'),
      m('icmpv6_type', ICMPV6_NEIGHBOR_SOLICIT)]),
  );
  return flows;
}
