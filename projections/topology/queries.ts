// Questions the pipeline stages ask of the topology view: OpenFlow port numbers, tunnel ports, who shares a network.
import type { NetworkView, PortView, TopologyView } from './view.ts';

/** The default name of the flow-based VXLAN port that `esdn host-setup` creates. */
export const DEFAULT_TUNNEL_INTERFACE = 'vxlan0';

/** The OpenFlow port number of a port's interface on its own switch, when the switch reported it. */
export function ofportOfPort(view: TopologyView, port: PortView): number | undefined {
  if (port.hostId === '') return undefined;
  return view.switches.get(port.hostId)?.ports.get(port.iface);
}

/** The name of the tunnel port on a host's br-int. */
export function tunnelInterfaceOf(view: TopologyView, host: string): string {
  const name = view.hosts.get(host)?.tunnelInterface;
  return name && name !== '' ? name : DEFAULT_TUNNEL_INTERFACE;
}

/** The OpenFlow port number of a host's tunnel port, when its switch reported it. */
export function tunnelOfport(view: TopologyView, host: string): number | undefined {
  return view.switches.get(host)?.ports.get(tunnelInterfaceOf(view, host));
}

/** The VXLAN endpoint of a registered host. */
export function tunnelIpOf(view: TopologyView, host: string): string | undefined {
  const ip = view.hosts.get(host)?.tunnelIp;
  return ip && ip !== '' ? ip : undefined;
}

/** Registered hosts with at least one port of the network bound to them, sorted by name. */
export function hostsOfNetwork(view: TopologyView, networkId: string): string[] {
  const m = view.networkHosts.get(networkId);
  if (!m) return [];
  return [...m.keys()].filter((h) => view.hosts.has(h)).sort();
}

/** Whether a registered host has a port of the network bound to it (then it carries the network's flows). */
export function hostInNetwork(view: TopologyView, networkId: string, host: string): boolean {
  return view.hosts.has(host) && (view.networkHosts.get(networkId)?.has(host) ?? false);
}

/** Networks with ports bound to a host (registered or not), sorted by id. */
export function networksOnHost(view: TopologyView, host: string): string[] {
  const ids = new Set<string>();
  for (const pid of view.portsByHost.get(host) ?? []) {
    const p = view.ports.get(pid);
    if (p) ids.add(p.networkId);
  }
  return [...ids].sort();
}

/** The overlay network of a port: present, and carried over VXLAN. */
export function overlayNetworkOf(view: TopologyView, port: PortView): (NetworkView & { vni: number }) | undefined {
  const n = view.networks.get(port.networkId);
  return n && n.vni !== null ? (n as NetworkView & { vni: number }) : undefined;
}
