// Incremental desired flows equal a full recompute after every event of histories that delete, re-create and update networks and subnets under associated floating IPs (fast-check): a network or subnet event touches only the floating IPs that read it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalTouches, floatingIpUnit } from '../../projections/flows/externalUnits.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from './support/externalFixtures.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import { networkCreated, portBound, switchPort } from './support/topologyFixtures.ts';

const HOSTS = ['hv1', 'hv2', 'hv3'];
const NET_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const NET_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const EXT2 = 'ffffffff-0000-4000-8000-00000000000f';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const RPORTS = { a: 'ra000000-0000-4000-8000-00000000000a', b: 'rb000000-0000-4000-8000-00000000000b', gw: 'rg000000-0000-4000-8000-00000000000e' };
const AT = '2026-11-26T00:00:00Z';
const VMS = [
  { id: '11111111-0000-4000-8000-000000000001', net: NET_A, subnet: 'sa', ip: '10.0.0.11', mac: '02:00:00:00:00:11', host: 'hv1' },
  { id: '22222222-0000-4000-8000-000000000002', net: NET_B, subnet: 'sb', ip: '10.1.0.22', mac: '02:00:00:00:00:22', host: 'hv2' },
  { id: '33333333-0000-4000-8000-000000000003', net: NET_A, subnet: 'sa', ip: '10.0.0.33', mac: '02:00:00:00:00:33', host: 'hv3' },
];
/** floating IP i: on EXT/se (0, 1) or EXT2/se2 (2), associated with VM i */
const FIPS = [0, 1, 2].map((i) => ({
  id: `f${i}000000-0000-4000-8000-00000000000${i}`, port: `fp${i}00000-0000-4000-8000-00000000000${i}`,
  net: i === 2 ? EXT2 : EXT, subnet: i === 2 ? 'se2' : 'se', address: i === 2 ? '172.17.0.10' : `172.16.0.1${i}`,
}));

/** Each network and subnet as first created, so the random events can create them again. */
const NETWORKS: Record<string, TopologyEvent> = {
  [NET_A]: networkCreated(NET_A, 201), [NET_B]: networkCreated(NET_B, 202), [EXT]: providerNetworkCreated(EXT, 'public'), [EXT2]: providerNetworkCreated(EXT2, 'public', 100),
};
const SUBNETS: Record<string, TopologyEvent> = {
  sa: subnet('sa', NET_A, '10.0.0.0/24', '10.0.0.1'), sb: subnet('sb', NET_B, '10.1.0.0/24', '10.1.0.1'),
  se: subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'), se2: subnet('se2', EXT2, '172.17.0.0/24', null),
};
const SUBNET_NETWORK: Record<string, string> = { sa: NET_A, sb: NET_B, se: EXT, se2: EXT2 };

const SETUP: TopologyEvent[] = [
  ...Object.values(NETWORKS), ...Object.values(SUBNETS),
  mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }), mappedHost('hv3', '192.0.2.3', {}),
  ...HOSTS.flatMap((h) => [switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', 7)]),
  { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
  servicePort(RPORTS.a, NET_A, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
  servicePort(RPORTS.b, NET_B, '02:00:00:00:ff:0b', '10.1.0.1', 'sb', 'network:router_interface'),
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORTS.a, subnetId: 'sa' } },
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORTS.b, subnetId: 'sb' } },
  servicePort(RPORTS.gw, EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
  gatewaySet(ROUTER, EXT, RPORTS.gw, '172.16.0.2', 'se'),
  { type: 'RouterGatewayHostScheduled', data: { id: ROUTER, host: 'hv1', reason: 'gateway_set', physicalNetwork: 'public', at: AT } },
  ...VMS.flatMap((v, i) => [servicePort(v.id, v.net, v.mac, v.ip, v.subnet, 'compute:nova'), portBound(v.id, v.host), switchPort(v.host, `tap${v.id.slice(0, 11)}`, i + 1)]),
  ...FIPS.flatMap((f, i) => [
    servicePort(f.port, f.net, `02:fe:00:00:00:0${i}`, f.address, f.subnet, 'network:floatingip'),
    floatingIpCreated(f.id, f.net, f.subnet, f.address, f.port), floatingIpAssociated(f.id, VMS[i].id, VMS[i].ip, ROUTER),
  ]),
];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const eventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  w(2, pick(Object.keys(NETWORKS)).map((id): TopologyEvent => ({ type: 'NetworkDeleted', data: { id } }))),
  w(3, pick(Object.values(NETWORKS))),
  w(1, fc.tuple(pick(Object.keys(NETWORKS)), fc.integer({ min: 1280, max: 9000 })).map(([id, mtu]): TopologyEvent => ({ type: 'NetworkUpdated', data: { id, changes: { mtu } } }))),
  w(2, pick(Object.keys(SUBNETS)).map((id): TopologyEvent => ({ type: 'SubnetDeleted', data: { id, networkId: SUBNET_NETWORK[id] } }))),
  w(3, pick(Object.values(SUBNETS))),
  w(1, fc.tuple(pick(['se', 'se2']), pick(['172.16.0.1', '172.17.0.1', null])).map(([id, gatewayIp]): TopologyEvent => ({ type: 'SubnetUpdated', data: { id, changes: { gatewayIp } } }))),
  // the same subnet id re-created on the other external network (a floating IP then finds its subnet on another network)
  w(1, pick(['se', 'se2']).map((id) => subnet(id, id === 'se' ? EXT2 : EXT, id === 'se' ? '172.16.0.0/24' : '172.17.0.0/24', null))),
  w(2, fc.tuple(pick(FIPS), pick(VMS)).map(([f, v]) => floatingIpAssociated(f.id, v.id, v.ip, ROUTER))),
  w(1, pick(FIPS).map((f): TopologyEvent => ({ type: 'FloatingIpDisassociated', data: { id: f.id } }))),
  w(1, fc.tuple(pick(VMS), pick(HOSTS)).map(([v, h]) => portBound(v.id, h))),
);

const historyArb = fc.array(eventArb, { minLength: 5, maxLength: 25 }).map((b) => [...SETUP, ...b]);

/** A full recompute after every event is slow on a loaded shared machine. */
const PROPERTY_BUDGET_MS = 120_000;

describe('incremental desired flows, network and subnet events under floating IPs', () => {
  it('equal a full recompute after every event', () => {
    let fipFlows = 0;
    fc.assert(fc.property(historyArb, (events) => {
      const proj = checkHistory(events, HOSTS);
      for (const h of HOSTS) fipFlows += [...proj.desired(h).values()].filter((f) => f.tableId === 31).length;
    }), { numRuns: Number(process.env.ESDN_PROPERTY_RUNS ?? 40) });
    // the histories really keep floating IP NAT flows around
    expect(fipFlows).toBeGreaterThan(50);
  }, PROPERTY_BUDGET_MS);

  it('a tenant network or subnet event names only the floating IPs that read it, not every one', () => {
    const v = emptyView();
    for (const e of SETUP) applyTopologyEvent(v, e);
    const sorted = (xs: string[]) => [...xs].sort();
    // NET_B holds VM 1 only: floating IP 1; EXT2 holds floating IP 2 (and its VM is on NET_A)
    expect(sorted(externalTouches(v, { type: 'NetworkUpdated', data: { id: NET_B, changes: { mtu: 1400 } } }))).toEqual(sorted([`x:${NET_B}`, floatingIpUnit(FIPS[1].id)]));
    expect(sorted(externalTouches(v, { type: 'NetworkDeleted', data: { id: EXT2 } }))).toEqual(sorted([`x:${EXT2}`, floatingIpUnit(FIPS[2].id)]));
    expect(sorted(externalTouches(v, { type: 'SubnetUpdated', data: { id: 'se', changes: { gatewayIp: null } } }))).toEqual(sorted([floatingIpUnit(FIPS[0].id), floatingIpUnit(FIPS[1].id)]));
    expect(externalTouches(v, { type: 'SubnetDeleted', data: { id: 'sb', networkId: NET_B } })).toEqual([]);
  });
});
