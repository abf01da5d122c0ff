// The DHCP server logic, pure: a client's frame and its lease in, the reply frame (OFFER, ACK or NAK) or a reason to stay silent out.
import { buildUdpFrame, parseUdpFrame } from './frame.ts';
import type { Lease } from './lease.ts';
import { BOOTREPLY, BOOTREQUEST, FLAG_BROADCAST, decode, encode, type DhcpMessage } from './message.ts';
import {
  DHCPACK, DHCPDECLINE, DHCPDISCOVER, DHCPINFORM, DHCPNAK, DHCPOFFER, DHCPRELEASE, DHCPREQUEST, type DhcpOptions,
} from './options.ts';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** The source MAC of esdn's DHCP answers (locally administered, "e5d0" for esdn). */
export const DHCP_SERVER_MAC = '02:e5:d0:00:00:67';
const ZERO_IP = '0.0.0.0';
const BROADCAST_IP = '255.255.255.255';
/** T1 and T2 as fractions of the lease (RFC 2131 section 4.4.5). */
const RENEW_FRACTION = 0.5;
const REBIND_FRACTION = 0.875;

export type DhcpAnswer =
  | { kind: 'reply'; messageType: number; frame: Buffer; message: DhcpMessage }
  | { kind: 'silent'; reason: string };

const silent = (reason: string): DhcpAnswer => ({ kind: 'silent', reason });

function leaseOptions(lease: Lease, type: number): DhcpOptions {
  return {
    messageType: type, serverId: lease.serverId, leaseTime: lease.leaseSeconds,
    renewalTime: Math.floor(lease.leaseSeconds * RENEW_FRACTION), rebindingTime: Math.floor(lease.leaseSeconds * REBIND_FRACTION),
    subnetMask: lease.subnetMask, ...(lease.gateway === null ? {} : { routers: [lease.gateway] }),
    ...(lease.dnsServers.length > 0 ? { dnsServers: lease.dnsServers } : {}),
    mtu: lease.mtu, ...(lease.routes.length > 0 ? { classlessRoutes: lease.routes } : {}),
  };
}

function reply(req: DhcpMessage, lease: Lease, type: number, yiaddr: string, options: DhcpOptions): DhcpAnswer {
  const message: DhcpMessage = {
    op: BOOTREPLY, xid: req.xid, secs: 0, flags: req.flags, ciaddr: req.ciaddr, yiaddr, siaddr: ZERO_IP, giaddr: req.giaddr,
    chaddr: req.chaddr, options,
  };
  // RFC 2131 section 4.1: broadcast when asked to or when the client has no address yet to be reached at
  const broadcast = type === DHCPNAK || (req.flags & FLAG_BROADCAST) !== 0;
  const ipDst = broadcast ? BROADCAST_IP : req.ciaddr !== ZERO_IP ? req.ciaddr : yiaddr;
  const frame = buildUdpFrame({
    ethSrc: DHCP_SERVER_MAC, ethDst: lease.mac, ipSrc: lease.serverId, ipDst, srcPort: DHCP_SERVER_PORT, dstPort: DHCP_CLIENT_PORT,
    payload: encode(message),
  });
  return { kind: 'reply', messageType: type, frame, message };
}

/** Answers one frame a VM sent to the DHCP server port, for the port whose lease is given. */
export function answerDhcp(frameBytes: Buffer, lease: Lease | undefined): DhcpAnswer {
  const f = parseUdpFrame(frameBytes);
  if (!f.ok) return silent(`frame: ${f.error.kind} ${f.error.detail}`);
  if (f.value.dstPort !== DHCP_SERVER_PORT) return silent(`udp port ${f.value.dstPort}`);
  const d = decode(f.value.payload);
  if (!d.ok) return silent(`dhcp: ${d.error.kind} ${d.error.detail}`);
  const req = d.value;
  if (req.op !== BOOTREQUEST) return silent(`op ${req.op}`);
  if (!lease) return silent('no lease for this port');
  if (req.chaddr !== lease.mac) return silent(`chaddr ${req.chaddr} is not the port's ${lease.mac}`);
  const o = req.options;
  switch (o.messageType) {
    case DHCPDISCOVER:
      return reply(req, lease, DHCPOFFER, lease.ip, leaseOptions(lease, DHCPOFFER));
    case DHCPREQUEST: {
      // SELECTING names a server; one that is not us means the client took another offer
      if (o.serverId !== undefined && o.serverId !== lease.serverId) return silent(`request for server ${o.serverId}`);
      const wanted = o.requestedIp ?? (req.ciaddr !== ZERO_IP ? req.ciaddr : undefined);
      if (wanted !== undefined && wanted !== lease.ip) return reply(req, lease, DHCPNAK, ZERO_IP, { messageType: DHCPNAK, serverId: lease.serverId });
      return reply(req, lease, DHCPACK, lease.ip, leaseOptions(lease, DHCPACK));
    }
    case DHCPINFORM: {
      const { leaseTime: _l, renewalTime: _r, rebindingTime: _b, ...rest } = leaseOptions(lease, DHCPACK);
      return reply(req, lease, DHCPACK, ZERO_IP, rest);
    }
    case DHCPRELEASE: case DHCPDECLINE:
      return silent('release/decline: nothing to free, addresses come from the log');
    default:
      return silent(`message type ${String(o.messageType)}`);
  }
}
