// The history the network and subnet property tests start from (three hosts, tenant networks with VMs, two external networks) and the random network and subnet events they add to it.
import fc from 'fast-check';
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { mappedHost, providerNetworkCreated, servicePort, subnet } from './externalFixtures.ts';
import { networkCreated, portBound, switchPort } from './topologyFixtures.ts';

export const HOSTS = ['hv1', 'hv2', 'hv3'];
export const NET_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const NET_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
export const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
export const EXT2 = 'ffffffff-0000-4000-8000-00000000000f';
/** the routers' legs on NET_A (subnet sa) and NET_B (subnet sb) */
export const LEG_PORTS = { a: 'ra000000-0000-4000-8000-00000000000a', b: 'rb000000-0000-4000-8000-00000000000b' };
export const AT = '2026-11-26T00:00:00Z';

export interface Vm { id: string; net: string; subnet: string; ip: string; mac: string; host: string }
/** VMs 0 and 1 of every history: one on NET_A at hv1, one on NET_B at hv2 */
export const VM_A: Vm = { id: '11111111-0000-4000-8000-000000000001', net: NET_A, subnet: 'sa', ip: '10.0.0.11', mac: '02:00:00:00:00:11', host: 'hv1' };
export const VM_B: Vm = { id: '22222222-0000-4000-8000-000000000002', net: NET_B, subnet: 'sb', ip: '10.1.0.22', mac: '02:00:00:00:00:22', host: 'hv2' };

export interface TenantNetwork { id: string; vni: number; subnet: string; cidr: string; gatewayIp: string }
export const TENANT_A: TenantNetwork = { id: NET_A, vni: 201, subnet: 'sa', cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1' };
export const TENANT_B: TenantNetwork = { id: NET_B, vni: 202, subnet: 'sb', cidr: '10.1.0.0/24', gatewayIp: '10.1.0.1' };

export interface Networks {
  /** each network as first created, so the random events can create it again */
  networks: Record<string, TopologyEvent>;
  /** each subnet as first created */
  subnets: Record<string, TopologyEvent>;
  subnetNetwork: Record<string, string>;
}

/** The tenant networks (in order), then EXT (flat, subnet se) and EXT2 (VLAN 100, subnet se2 with the given gateway). */
export function tenantAndExternalNetworks(tenants: readonly TenantNetwork[], se2GatewayIp: string | null): Networks {
  const networks: Record<string, TopologyEvent> = {};
  const subnets: Record<string, TopologyEvent> = {};
  const subnetNetwork: Record<string, string> = {};
  for (const t of tenants) networks[t.id] = networkCreated(t.id, t.vni);
  networks[EXT] = providerNetworkCreated(EXT, 'public');
  networks[EXT2] = providerNetworkCreated(EXT2, 'public', 100);
  for (const t of tenants) {
    subnets[t.subnet] = subnet(t.subnet, t.id, t.cidr, t.gatewayIp);
    subnetNetwork[t.subnet] = t.id;
  }
  subnets.se = subnet('se', EXT, '172.16.0.0/24', '172.16.0.1');
  subnets.se2 = subnet('se2', EXT2, '172.17.0.0/24', se2GatewayIp);
  Object.assign(subnetNetwork, { se: EXT, se2: EXT2 });
  return { networks, subnets, subnetNetwork };
}

/** hv1 and hv2 map physnet public to ex-public, hv3 maps nothing; each has its tunnel port and an ex-public port. */
export const threeHosts = (): TopologyEvent[] => [
  mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }), mappedHost('hv3', '192.0.2.3', {}),
  ...HOSTS.flatMap((h) => [switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', 7)]),
];

/** Each VM's port, bound to its host, its tap on OpenFlow port i + 1. */
export const vmEvents = (vms: readonly Vm[]): TopologyEvent[] =>
  vms.flatMap((v, i) => [servicePort(v.id, v.net, v.mac, v.ip, v.subnet, 'compute:nova'), portBound(v.id, v.host), switchPort(v.host, `tap${v.id.slice(0, 11)}`, i + 1)]);

export const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
export const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** Networks deleted, created again and updated (MTU); subnets deleted and created again. */
export const networkAndSubnetEvents = ({ networks, subnets, subnetNetwork }: Networks) => [
  w(2, pick(Object.keys(networks)).map((id): TopologyEvent => ({ type: 'NetworkDeleted', data: { id } }))),
  w(3, pick(Object.values(networks))),
  w(1, fc.tuple(pick(Object.keys(networks)), fc.integer({ min: 1280, max: 9000 })).map(([id, mtu]): TopologyEvent => ({ type: 'NetworkUpdated', data: { id, changes: { mtu } } }))),
  w(2, pick(Object.keys(subnets)).map((id): TopologyEvent => ({ type: 'SubnetDeleted', data: { id, networkId: subnetNetwork[id] } }))),
  w(3, pick(Object.values(subnets))),
];

/** A VM's port bound again, to any host. */
export const vmMoves = (vms: readonly Vm[]) => w(1, fc.tuple(pick(vms), pick(HOSTS)).map(([v, h]) => portBound(v.id, h)));

/** The setup, then 5 to 25 random events. */
export const historyArb = (setup: readonly TopologyEvent[], eventArb: fc.Arbitrary<TopologyEvent>) =>
  fc.array(eventArb, { minLength: 5, maxLength: 25 }).map((b) => [...setup, ...b]);
