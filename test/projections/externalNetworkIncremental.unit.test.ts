// Incremental desired flows equal a full recompute after every event of histories that delete, re-create and update networks and subnets under associated floating IPs (fast-check): a network or subnet event touches only the floating IPs that read it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalTouches, floatingIpUnit } from '../../projections/flows/externalUnits.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { floatingIpAssociated, floatingIpCreated, gatewaySet, servicePort, subnet } from './support/externalFixtures.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import {
  AT, EXT, EXT2, historyArb as historyOf, HOSTS, LEG_PORTS, NET_A, NET_B, networkAndSubnetEvents, pick, TENANT_A, TENANT_B, tenantAndExternalNetworks,
  threeHosts, VM_A, VM_B, vmEvents, vmMoves, w,
} from './support/networkHistory.ts';

const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const RPORTS = { ...LEG_PORTS, gw: 'rg000000-0000-4000-8000-00000000000e' };
const VMS = [VM_A, VM_B, { id: '33333333-0000-4000-8000-000000000003', net: NET_A, subnet: 'sa', ip: '10.0.0.33', mac: '02:00:00:00:00:33', host: 'hv3' }];
/** floating IP i: on EXT/se (0, 1) or EXT2/se2 (2), associated with VM i */
const FIPS = [0, 1, 2].map((i) => ({
  id: `f${i}000000-0000-4000-8000-00000000000${i}`, port: `fp${i}00000-0000-4000-8000-00000000000${i}`,
  net: i === 2 ? EXT2 : EXT, subnet: i === 2 ? 'se2' : 'se', address: i === 2 ? '172.17.0.10' : `172.16.0.1${i}`,
}));

const NETS = tenantAndExternalNetworks([TENANT_A, TENANT_B], null);

const SETUP: TopologyEvent[] = [
  ...Object.values(NETS.networks), ...Object.values(NETS.subnets),
  ...threeHosts(),
  { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
  servicePort(RPORTS.a, NET_A, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
  servicePort(RPORTS.b, NET_B, '02:00:00:00:ff:0b', '10.1.0.1', 'sb', 'network:router_interface'),
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORTS.a, subnetId: 'sa' } },
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORTS.b, subnetId: 'sb' } },
  servicePort(RPORTS.gw, EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
  gatewaySet(ROUTER, EXT, RPORTS.gw, '172.16.0.2', 'se'),
  { type: 'RouterGatewayHostScheduled', data: { id: ROUTER, host: 'hv1', reason: 'gateway_set', physicalNetwork: 'public', at: AT } },
  ...vmEvents(VMS),
  ...FIPS.flatMap((f, i) => [
    servicePort(f.port, f.net, `02:fe:00:00:00:0${i}`, f.address, f.subnet, 'network:floatingip'),
    floatingIpCreated(f.id, f.net, f.subnet, f.address, f.port), floatingIpAssociated(f.id, VMS[i].id, VMS[i].ip, ROUTER),
  ]),
];

const eventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  ...networkAndSubnetEvents(NETS),
  w(1, fc.tuple(pick(['se', 'se2']), pick(['172.16.0.1', '172.17.0.1', null])).map(([id, gatewayIp]): TopologyEvent => ({ type: 'SubnetUpdated', data: { id, changes: { gatewayIp } } }))),
  // the same subnet id re-created on the other external network (a floating IP then finds its subnet on another network)
  w(1, pick(['se', 'se2']).map((id) => subnet(id, id === 'se' ? EXT2 : EXT, id === 'se' ? '172.16.0.0/24' : '172.17.0.0/24', null))),
  w(2, fc.tuple(pick(FIPS), pick(VMS)).map(([f, v]) => floatingIpAssociated(f.id, v.id, v.ip, ROUTER))),
  w(1, pick(FIPS).map((f): TopologyEvent => ({ type: 'FloatingIpDisassociated', data: { id: f.id } }))),
  vmMoves(VMS),
);

const historyArb = historyOf(SETUP, eventArb);

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
