// The cloud the floating IP benches fold: one tenant network behind one router, N VMs each with a floating IP, spread over H hosts that all map the external network.
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../../test/projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../../test/projections/support/topologyFixtures.ts';

export const NET = 'a0000000-0000-4000-8000-000000000000';
export const EXT = 'e0000000-0000-4000-8000-000000000000';
export const ROUTER = 'r0000000-0000-4000-8000-000000000000';
const LEG = 'ra000000-0000-4000-8000-000000000000';
export const ROUTER_INTERFACE = 'network:router_interface';
const PHYS_OFPORT = 7;
const TUNNEL_OFPORT = 100;
/** The tenant network's VNI; the benches number networks they add above it. */
export const VNI = 9000;
/** VM ofports start above the physical port's number */
const FIRST_VM_OFPORT = 10;

export const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
/** Ids of the cloud's things: kind 0xbb VMs, 0xef floating IP ports, 0xf1 floating IPs, 0xee the gateway port. */
export const uuid = (kind: number, i: number) => `${hex(kind, 2)}${hex(i, 6)}-0000-4000-8000-000000000000`;
const octets = (i: number) => `${(i >> 8) & 255}.${i & 255}`;
/** VM i's port (on host hv(i mod hosts)) */
export const vm = (i: number) => uuid(0xbb, i);
/** floating IP i, associated with VM i */
export const floatingIp = (i: number) => uuid(0xf1, i);

export interface CloudSize {
  hosts: number;
  fips: number;
  /** false: the router has no external gateway (its floating IPs still get DVR on their VMs' hosts) */
  gateway: boolean;
}

export function floatingIpCloud({ hosts, fips, gateway }: CloudSize): TopologyEvent[] {
  const ev: TopologyEvent[] = [
    networkCreated(NET, VNI), subnet('tenant', NET, '10.0.0.0/16', '10.0.0.1'),
    providerNetworkCreated(EXT, 'public'), subnet('ext', EXT, '172.16.0.0/12', '172.16.0.1'),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort(LEG, NET, '02:aa:00:00:00:01', '10.0.0.1', 'tenant', ROUTER_INTERFACE),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: LEG, subnetId: 'tenant' } },
    servicePort(uuid(0xee, 0), EXT, '02:ee:00:00:00:01', '172.16.0.2', 'ext', 'network:router_gateway'),
    ...(gateway ? [gatewaySet(ROUTER, EXT, uuid(0xee, 0), '172.16.0.2', 'ext')] : []),
  ];
  for (let h = 0; h < hosts; h++) {
    ev.push(mappedHost(`hv${h}`, `192.0.2.${h + 1}`, { public: 'ex-public' }), switchPort(`hv${h}`, 'ex-public', PHYS_OFPORT), switchPort(`hv${h}`, 'vxlan0', TUNNEL_OFPORT));
  }
  for (let i = 0; i < fips; i++) {
    const host = `hv${i % hosts}`;
    const fixed = `10.0.${octets(i + 10)}`;
    const address = `172.17.${octets(i)}`;
    ev.push(servicePort(vm(i), NET, `02:bb:00:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, fixed, 'tenant', 'compute:nova'),
      portBound(vm(i), host), switchPort(host, interfaceName(vm(i), {}), FIRST_VM_OFPORT + Math.floor(i / hosts)),
      servicePort(uuid(0xef, i), EXT, `02:ef:00:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, address, 'ext', 'network:floatingip'),
      floatingIpCreated(floatingIp(i), EXT, 'ext', address, uuid(0xef, i)),
      floatingIpAssociated(floatingIp(i), vm(i), fixed, ROUTER));
  }
  return ev;
}
