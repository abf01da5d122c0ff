// Network and subnet events name only the gateway units that read them (external network and subnets, legs' networks and subnets), and incremental flows still equal a full recompute (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatewayTouches, gatewayUnit, gatewayUnitFlows } from '../../projections/flows/gatewayUnit.ts';
import { tunnelInterfaceOf } from '../../projections/topology/queries.ts';
import { gatewaysOf } from '../../projections/topology/gateways.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { gatewaySet, servicePort, subnet } from './support/externalFixtures.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import { bigints, foldCheckingTouch } from './support/touchCheck.ts';
import {
  AT, EXT, EXT2, historyArb as historyOf, HOSTS, LEG_PORTS as RPORTS, NET_A, NET_B, networkAndSubnetEvents, pick, TENANT_A, TENANT_B,
  tenantAndExternalNetworks, threeHosts, VM_A, VM_B, vmEvents, vmMoves, w,
} from './support/networkHistory.ts';
import { networkCreated } from './support/topologyFixtures.ts';

/** a tenant network no router is on */
const NET_C = 'cccccccc-0000-4000-8000-00000000000c';
const R1 = 'r1111111-0000-4000-8000-000000000001';
const R2 = 'r2222222-0000-4000-8000-000000000002';
const GW: Record<string, string> = { [R1]: 'rg100000-0000-4000-8000-00000000000e', [R2]: 'rg200000-0000-4000-8000-00000000000f' };
const VMS = [VM_A, VM_B, { id: '33333333-0000-4000-8000-000000000003', net: NET_C, subnet: 'sc', ip: '10.2.0.33', mac: '02:00:00:00:00:33', host: 'hv3' }];

const NETS = tenantAndExternalNetworks([TENANT_A, TENANT_B, { id: NET_C, vni: 203, subnet: 'sc', cidr: '10.2.0.0/24', gatewayIp: '10.2.0.1' }], '172.17.0.1');

/** R1: leg on sa, gateway on EXT/se; R2: leg on sb, gateway on EXT2/se2; NET_C has a VM and no router. */
const SETUP: TopologyEvent[] = [
  ...Object.values(NETS.networks), ...Object.values(NETS.subnets),
  ...threeHosts(),
  { type: 'RouterCreated', data: { id: R1, adminStateUp: true, routes: [] } },
  { type: 'RouterCreated', data: { id: R2, adminStateUp: true, routes: [] } },
  servicePort(RPORTS.a, NET_A, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
  servicePort(RPORTS.b, NET_B, '02:00:00:00:ff:0b', '10.1.0.1', 'sb', 'network:router_interface'),
  { type: 'RouterInterfaceAdded', data: { id: R1, portId: RPORTS.a, subnetId: 'sa' } },
  { type: 'RouterInterfaceAdded', data: { id: R2, portId: RPORTS.b, subnetId: 'sb' } },
  servicePort(GW[R1], EXT, '02:00:00:00:fe:01', '172.16.0.2', 'se', 'network:router_gateway'),
  servicePort(GW[R2], EXT2, '02:00:00:00:fe:02', '172.17.0.2', 'se2', 'network:router_gateway'),
  gatewaySet(R1, EXT, GW[R1], '172.16.0.2', 'se'), gatewaySet(R2, EXT2, GW[R2], '172.17.0.2', 'se2'),
  { type: 'RouterGatewayHostScheduled', data: { id: R1, host: 'hv1', reason: 'gateway_set', physicalNetwork: 'public', at: AT } },
  { type: 'RouterGatewayHostScheduled', data: { id: R2, host: 'hv2', reason: 'gateway_set', physicalNetwork: 'public', at: AT } },
  ...vmEvents(VMS),
];

const eventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  ...networkAndSubnetEvents(NETS),
  w(2, fc.tuple(pick(Object.keys(NETS.subnets)), pick(['172.16.0.1', '172.17.0.1', '10.0.0.254', null])).map(([id, gatewayIp]): TopologyEvent =>
    ({ type: 'SubnetUpdated', data: { id, changes: { gatewayIp } } }))),
  // a subnet id created again on another network (an external subnet moves under or away from a gateway)
  w(1, fc.tuple(pick(['se', 'se2', 'sa']), pick([EXT, EXT2, NET_C])).map(([id, net]) => subnet(id, net, id === 'se2' ? '172.17.0.0/24' : '172.16.0.0/24', null))),
  // gateways move between external networks and go away, so the network index changes under the events
  w(1, pick([R1, R2]).map((r) => gatewaySet(r, EXT, GW[r], r === R1 ? '172.16.0.2' : '172.16.0.3', 'se'))),
  w(1, pick([R1, R2]).map((r) => gatewaySet(r, EXT2, GW[r], r === R1 ? '172.17.0.3' : '172.17.0.2', 'se2'))),
  w(1, pick([R1, R2]).map((id): TopologyEvent => ({ type: 'RouterGatewayCleared', data: { id, portId: GW[id] } }))),
  w(1, fc.tuple(pick([R1, R2]), pick(HOSTS)).map(([id, host]): TopologyEvent =>
    ({ type: 'RouterGatewayHostScheduled', data: { id, host, reason: 'gateway_set', physicalNetwork: 'public', at: AT } }))),
  w(1, pick([...Object.values(GW), VMS[0].id]).map((id): TopologyEvent => ({ type: 'PortUpdated', data: { id, changes: { macAddress: '02:00:00:00:aa:aa' } } }))),
  vmMoves(VMS),
);

const historyArb = historyOf(SETUP, eventArb);

/** The touch before this change: every gateway unit on any network or subnet event, a pass over every gateway on port events. */
function oldGatewayTouches(view: TopologyView, ev: TopologyEvent): string[] {
  const all = [...gatewaysOf(view).gateways.keys()].map(gatewayUnit);
  switch (ev.type) {
    case 'NetworkCreated': case 'NetworkDeleted': case 'NetworkUpdated': case 'SubnetCreated': case 'SubnetUpdated': case 'SubnetDeleted':
      return all;
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted':
      return [...gatewaysOf(view).gateways.values()].filter((g) => g.portId === ev.data.id).map((g) => gatewayUnit(g.routerId));
    case 'SwitchPortObserved': case 'SwitchPortRemoved':
      return ev.data.name === tunnelInterfaceOf(view, ev.data.host) ? all : gatewayTouches(view, ev);
    default:
      return gatewayTouches(view, ev);
  }
}

/** A gateway unit's flows on every host, as one comparable string. */
const unitState = (view: TopologyView, unit: string): string =>
  JSON.stringify(HOSTS.map((h) => gatewayUnitFlows(view, unit.slice(2), h)), bigints);

/** Histories per run; each step computes every old unit's flows twice on three hosts. */
const PROPERTY_RUNS = 60;
/** A full recompute after every event is slow on a loaded shared machine. */
const PROPERTY_BUDGET_MS = 120_000;

describe('gateway units touched by network and subnet events', () => {
  it('name a subset of the old touch that holds every unit whose flows change', () => {
    let dropped = 0;
    let changedNamed = 0;
    fc.assert(fc.property(historyArb, (events) => {
      const v = emptyView();
      for (const ev of events) {
        foldCheckingTouch(v, ev, oldGatewayTouches, gatewayTouches, unitState, (_u, changed, named) => {
          if (changed) changedNamed += 1;
          else if (!named) dropped += 1;
        });
      }
    }), { numRuns: Number(process.env.ESDN_PROPERTY_RUNS ?? PROPERTY_RUNS) });
    // the histories both change gateway units through networks and subnets and leave some of the old touch out
    expect(changedNamed).toBeGreaterThan(50);
    expect(dropped).toBeGreaterThan(50);
  }, PROPERTY_BUDGET_MS);

  it('incremental flows equal a full recompute after every event', () => {
    fc.assert(fc.property(historyArb, (events) => {
      checkHistory(events, HOSTS);
    }), { numRuns: Number(process.env.ESDN_PROPERTY_RUNS ?? 40) });
  }, PROPERTY_BUDGET_MS);

  it('a tenant network or subnet no gateway reads names no gateway unit; the external and leg ones name their router only', () => {
    const v = emptyView();
    for (const e of SETUP) applyTopologyEvent(v, e);
    const sorted = (xs: string[]) => [...xs].sort();
    expect(gatewayTouches(v, networkCreated('dddddddd-0000-4000-8000-00000000000d', 204))).toEqual([]);
    expect(gatewayTouches(v, subnet('sd', 'dddddddd-0000-4000-8000-00000000000d', '10.3.0.0/24', '10.3.0.1'))).toEqual([]);
    expect(gatewayTouches(v, { type: 'NetworkUpdated', data: { id: NET_C, changes: { mtu: 1400 } } })).toEqual([]);
    expect(gatewayTouches(v, { type: 'SubnetDeleted', data: { id: 'sc', networkId: NET_C } })).toEqual([]);
    expect(gatewayTouches(v, { type: 'NetworkDeleted', data: { id: EXT } })).toEqual([gatewayUnit(R1)]);
    expect(gatewayTouches(v, { type: 'SubnetUpdated', data: { id: 'se2', changes: { gatewayIp: null } } })).toEqual([gatewayUnit(R2)]);
    expect(gatewayTouches(v, { type: 'SubnetUpdated', data: { id: 'sa', changes: { gatewayIp: null } } })).toEqual([gatewayUnit(R1)]);
    expect(gatewayTouches(v, { type: 'NetworkUpdated', data: { id: NET_B, changes: { mtu: 1400 } } })).toEqual([gatewayUnit(R2)]);
    // the re-created subnet moves from EXT (R1) to EXT2 (R2): both
    expect(sorted(gatewayTouches(v, subnet('se', EXT2, '172.16.0.0/24', null)))).toEqual(sorted([gatewayUnit(R1), gatewayUnit(R2)]));
    expect(gatewayTouches(v, { type: 'PortUpdated', data: { id: GW[R2], changes: { macAddress: '02:00:00:00:aa:aa' } } })).toEqual([gatewayUnit(R2)]);
    expect(gatewayTouches(v, { type: 'PortUpdated', data: { id: VMS[0].id, changes: { macAddress: '02:00:00:00:aa:aa' } } })).toEqual([]);
  });
});
