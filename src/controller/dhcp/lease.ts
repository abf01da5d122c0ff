// What esdn tells a VM over DHCP: its port's fixed IPv4 address and its subnet's gateway, DNS, routes and MTU, read from the topology view.
import type { TopologyView } from '../../../projections/topology/view.ts';
import { formatIp, parseCidr } from '../../domain/ip/address.ts';
import type { ClasslessRoute } from './options.ts';

/** Neutron's default dhcp_lease_duration (seconds). */
export const LEASE_SECONDS = 86_400;
/** MTU of a VXLAN network over a 1500-byte underlay (Neutron's default for vxlan: 1500 - 50). */
export const DEFAULT_OVERLAY_MTU = 1450;
const IPV4_BITS = 32;

export interface Lease {
  portId: string;
  mac: string;
  ip: string;
  subnetMask: string;
  prefixLength: number;
  gateway: string | null;
  dnsServers: string[];
  /** host routes, then the default route via the gateway (RFC 3442: clients ignore option 3 when 121 is present) */
  routes: ClasslessRoute[];
  mtu: number;
  leaseSeconds: number;
  /** the address the answers come from (DHCP server identifier) */
  serverId: string;
}

function maskText(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (IPV4_BITS - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (m >>> s) & 0xff).join('.');
}

/** The port behind OpenFlow port `ofport` on `host`'s switch, if it is bound there. */
export function portAt(view: TopologyView, host: string, ofport: number): string | undefined {
  const sw = view.switches.get(host);
  if (!sw) return undefined;
  for (const pid of view.portsByHost.get(host) ?? []) {
    const p = view.ports.get(pid);
    if (p && sw.ports.get(p.iface) === ofport) return pid;
  }
  return undefined;
}

/** The lease of a port: its first IPv4 fixed IP on a subnet with DHCP enabled; undefined when it has none. */
export function leaseOf(view: TopologyView, portId: string): Lease | undefined {
  const port = view.ports.get(portId);
  if (!port) return undefined;
  for (const f of port.fixedIps) {
    const subnet = view.subnets.get(f.subnetId);
    if (!subnet || subnet.ipVersion !== 4 || subnet.enableDhcp === false) continue;
    const cidr = parseCidr(subnet.cidr);
    if (!cidr || cidr.version !== 4) continue;
    const gateway = subnet.gatewayIp ?? null;
    const routes: ClasslessRoute[] = (subnet.hostRoutes ?? []).map((r) => ({ destination: r.destination, nexthop: r.nexthop }));
    if (gateway !== null) routes.push({ destination: '0.0.0.0/0', nexthop: gateway });
    const mtu = view.networks.get(port.networkId)?.mtu ?? DEFAULT_OVERLAY_MTU;
    return {
      portId, mac: port.macAddress, ip: f.ipAddress, subnetMask: maskText(cidr.prefixLength), prefixLength: cidr.prefixLength,
      gateway, dnsServers: [...(subnet.dnsNameservers ?? [])], routes, mtu, leaseSeconds: LEASE_SECONDS,
      // without a gateway: the subnet's first host address, which Neutron also leaves to infrastructure
      serverId: gateway ?? formatIp({ version: 4, value: cidr.network + 1n }),
    };
  }
  return undefined;
}
