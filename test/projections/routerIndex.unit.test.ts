// The router index (routers by subnet and by interface port, folded with the view) answers what the pass over every router's interfaces did, and host, tunnel and physical port events name only that host's gateway, floating IP and provider units (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { externalTouches, externalUnitFlows, floatingIpUnit } from '../../projections/flows/externalUnits.ts';
import { gatewayTouches, gatewayUnit, gatewayUnitFlows } from '../../projections/flows/gatewayUnit.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { routerIndexFor, routerTouches, routersOf, routersOnNetwork, routersTouching, routersWithPort, type RouterIndex } from '../../projections/topology/routers.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { scanExternalTouches, scanGatewayTouches, scanRouterTouches, scanRoutersOfNetwork, scanRoutersTouching } from '../support/scanRouterTouches.ts';
import { floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, neighborObserved, providerNetworkCreated, servicePort, subnet } from './support/externalFixtures.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import { bigints, foldCheckingTouch } from './support/touchCheck.ts';
import { networkCreated, portBound, switchPort, switchPortRemoved } from './support/topologyFixtures.ts';

const HOSTS = ['hv1', 'hv2', 'hv3'];
const NET_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const NET_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const NET_C = 'cccccccc-0000-4000-8000-00000000000c';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const EXT2 = 'ffffffff-0000-4000-8000-00000000000f';
const ROUTERS = ['r1111111-0000-4000-8000-000000000001', 'r2222222-0000-4000-8000-000000000002', 'r3333333-0000-4000-8000-000000000003'];
const [R1, R2, R3] = ROUTERS;
const GW: Record<string, string> = {
  [R1]: 'rg100000-0000-4000-8000-00000000000e', [R2]: 'rg200000-0000-4000-8000-00000000000f', [R3]: 'rg300000-0000-4000-8000-00000000000d',
};
const AT = '2026-11-26T00:00:00Z';

const NETWORKS: Record<string, TopologyEvent> = {
  [NET_A]: networkCreated(NET_A, 201), [NET_B]: networkCreated(NET_B, 202), [NET_C]: networkCreated(NET_C, 203),
  [EXT]: providerNetworkCreated(EXT, 'public'), [EXT2]: providerNetworkCreated(EXT2, 'public', 100),
};
const SUBNETS: Record<string, TopologyEvent> = {
  sa: subnet('sa', NET_A, '10.0.0.0/24', '10.0.0.1'), sa2: subnet('sa2', NET_A, '10.9.0.0/24', '10.9.0.1'),
  sb: subnet('sb', NET_B, '10.1.0.0/24', '10.1.0.1'), sc: subnet('sc', NET_C, '10.2.0.0/24', '10.2.0.1'),
  se: subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'), se2: subnet('se2', EXT2, '172.17.0.0/24', '172.17.0.1'),
};
const SUBNET_NETWORK: Record<string, string> = { sa: NET_A, sa2: NET_A, sb: NET_B, sc: NET_C, se: EXT, se2: EXT2 };
/** Interface ports: one per leg; 'shared' is on sa in the view but named with other subnets too (an index keyed by both must cope). */
const LEG_PORTS: Record<string, { port: string; net: string; subnet: string; mac: string; ip: string }> = {
  a: { port: 'ia000000-0000-4000-8000-00000000000a', net: NET_A, subnet: 'sa', mac: '02:00:00:00:ff:0a', ip: '10.0.0.1' },
  a2: { port: 'ia200000-0000-4000-8000-0000000000a2', net: NET_A, subnet: 'sa2', mac: '02:00:00:00:ff:a2', ip: '10.9.0.1' },
  b: { port: 'ib000000-0000-4000-8000-00000000000b', net: NET_B, subnet: 'sb', mac: '02:00:00:00:ff:0b', ip: '10.1.0.1' },
  c: { port: 'ic000000-0000-4000-8000-00000000000c', net: NET_C, subnet: 'sc', mac: '02:00:00:00:ff:0c', ip: '10.2.0.1' },
  shared: { port: 'is000000-0000-4000-8000-00000000000f', net: NET_A, subnet: 'sa', mac: '02:00:00:00:ff:0f', ip: '10.0.0.254' },
};
const INTERFACES = [
  ...Object.values(LEG_PORTS).map((l) => ({ portId: l.port, subnetId: l.subnet })),
  { portId: LEG_PORTS.shared.port, subnetId: 'sb' },
];
const VMS = [
  { id: '11111111-0000-4000-8000-000000000001', net: NET_A, subnet: 'sa', ip: '10.0.0.11', mac: '02:00:00:00:00:11', host: 'hv1' },
  { id: '22222222-0000-4000-8000-000000000002', net: NET_B, subnet: 'sb', ip: '10.1.0.22', mac: '02:00:00:00:00:22', host: 'hv2' },
  { id: '33333333-0000-4000-8000-000000000003', net: NET_C, subnet: 'sc', ip: '10.2.0.33', mac: '02:00:00:00:00:33', host: 'hv3' },
  { id: '44444444-0000-4000-8000-000000000004', net: NET_A, subnet: 'sa2', ip: '10.9.0.44', mac: '02:00:00:00:00:44', host: 'hv2' },
];
const FIPS = [
  { id: 'f1000000-0000-4000-8000-000000000001', port: 'fp100000-0000-4000-8000-000000000001', address: '172.16.0.50' },
  { id: 'f2000000-0000-4000-8000-000000000002', port: 'fp200000-0000-4000-8000-000000000002', address: '172.17.0.50' },
];
const MAPPINGS: Record<string, string>[] = [{ public: 'ex-public' }, {}, { public: 'ex2' }];
const HOST_PORTS = ['vxlan0', 'vx1', 'ex-public', 'ex2'];

const scheduled = (id: string, host: string): TopologyEvent =>
  ({ type: 'RouterGatewayHostScheduled', data: { id, host, reason: 'gateway_set', physicalNetwork: 'public', at: AT } });
const iface = (type: 'RouterInterfaceAdded' | 'RouterInterfaceRemoved', id: string, i: { portId: string; subnetId: string }): TopologyEvent =>
  ({ type, data: { id, portId: i.portId, subnetId: i.subnetId } });

/** R1: legs on sa and sb, gateway on EXT at hv1; R2: leg on sc, gateway on EXT2 at hv2; R3: leg on sa2, no gateway; VMs on every network. */
const SETUP: TopologyEvent[] = [
  ...Object.values(NETWORKS), ...Object.values(SUBNETS),
  mappedHost('hv1', '192.0.2.1', MAPPINGS[0]), mappedHost('hv2', '192.0.2.2', MAPPINGS[0]), mappedHost('hv3', '192.0.2.3', {}),
  ...HOSTS.flatMap((h) => [switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', 7)]),
  ...ROUTERS.map((id): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } })),
  ...Object.values(LEG_PORTS).map((l) => servicePort(l.port, l.net, l.mac, l.ip, l.subnet, 'network:router_interface')),
  iface('RouterInterfaceAdded', R1, INTERFACES[0]), iface('RouterInterfaceAdded', R1, INTERFACES[2]),
  iface('RouterInterfaceAdded', R2, INTERFACES[3]), iface('RouterInterfaceAdded', R3, INTERFACES[1]),
  servicePort(GW[R1], EXT, '02:00:00:00:fe:01', '172.16.0.2', 'se', 'network:router_gateway'),
  servicePort(GW[R2], EXT2, '02:00:00:00:fe:02', '172.17.0.2', 'se2', 'network:router_gateway'),
  gatewaySet(R1, EXT, GW[R1], '172.16.0.2', 'se'), gatewaySet(R2, EXT2, GW[R2], '172.17.0.2', 'se2'),
  scheduled(R1, 'hv1'), scheduled(R2, 'hv2'),
  ...VMS.flatMap((v, i) => [servicePort(v.id, v.net, v.mac, v.ip, v.subnet, 'compute:nova'), portBound(v.id, v.host), switchPort(v.host, `tap${v.id.slice(0, 11)}`, i + 1)]),
  // floating IPs: VM 1 on hv1 (maps the physical network: NAT there), VM 3 on hv3 (does not: NAT on R2's gateway host)
  servicePort(FIPS[0].port, EXT, '02:00:00:00:fa:01', FIPS[0].address, 'se', 'network:floatingip'),
  floatingIpCreated(FIPS[0].id, EXT, 'se', FIPS[0].address, FIPS[0].port), floatingIpAssociated(FIPS[0].id, VMS[0].id, VMS[0].ip, R1),
  servicePort(FIPS[1].port, EXT2, '02:00:00:00:fa:02', FIPS[1].address, 'se2', 'network:floatingip'),
  floatingIpCreated(FIPS[1].id, EXT2, 'se2', FIPS[1].address, FIPS[1].port), floatingIpAssociated(FIPS[1].id, VMS[2].id, VMS[2].ip, R2),
];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const hostEventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  fc.tuple(pick(HOSTS), pick(['192.0.2.1', '192.0.2.9', '192.0.2.3'])).map(([name, tunnelIp]): TopologyEvent => ({ type: 'HostUpdated', data: { name, changes: { tunnelIp } } })),
  fc.tuple(pick(HOSTS), pick(MAPPINGS)).map(([name, bridgeMappings]): TopologyEvent => ({ type: 'HostUpdated', data: { name, changes: { bridgeMappings } } })),
  fc.tuple(pick(HOSTS), pick(['vxlan0', 'vx1'])).map(([name, tunnelInterface]): TopologyEvent => ({ type: 'HostUpdated', data: { name, changes: { tunnelInterface } } })),
  pick(HOSTS).map((name): TopologyEvent => ({ type: 'HostDeregistered', data: { name } })),
  fc.tuple(pick(HOSTS), pick(MAPPINGS)).map(([h, m]) => mappedHost(h, `192.0.2.${HOSTS.indexOf(h) + 1}`, m)),
  fc.tuple(pick(HOSTS), pick(HOST_PORTS), fc.integer({ min: 7, max: 9 })).map(([h, name, ofport]) => switchPort(h, name, name.startsWith('v') ? ofport + 93 : ofport)),
  fc.tuple(pick(HOSTS), pick(HOST_PORTS)).map(([h, name]) => switchPortRemoved(h, name)),
);

const eventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  w(4, hostEventArb),
  w(3, fc.tuple(pick(ROUTERS), pick(INTERFACES)).map(([r, i]) => iface('RouterInterfaceAdded', r, i))),
  w(2, fc.tuple(pick(ROUTERS), pick(INTERFACES)).map(([r, i]) => iface('RouterInterfaceRemoved', r, i))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterDeleted', data: { id } }))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } }))),
  w(1, fc.tuple(pick(ROUTERS), fc.boolean()).map(([id, adminStateUp]): TopologyEvent => ({ type: 'RouterUpdated', data: { id, changes: { adminStateUp } } }))),
  // a subnet id created again on another network moves its routers with it; deleted, they are on no network
  w(1, fc.tuple(pick(['sa', 'sa2', 'sb', 'sc']), pick([NET_A, NET_B, NET_C])).map(([id, net]) => subnet(id, net, '10.5.0.0/24', '10.5.0.1'))),
  w(1, pick(Object.keys(SUBNETS)).map((id): TopologyEvent => ({ type: 'SubnetDeleted', data: { id, networkId: SUBNET_NETWORK[id] } }))),
  w(1, pick(Object.values(SUBNETS))),
  w(1, pick([NET_A, NET_B, NET_C]).map((id): TopologyEvent => ({ type: 'NetworkDeleted', data: { id } }))),
  w(1, pick([NET_A, NET_B, NET_C]).map((id) => NETWORKS[id])),
  w(1, pick(ROUTERS).map((r) => gatewaySet(r, EXT, GW[r], '172.16.0.5', 'se'))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterGatewayCleared', data: { id, portId: GW[id] } }))),
  w(2, fc.tuple(pick(ROUTERS), pick(HOSTS)).map(([id, host]) => scheduled(id, host))),
  w(2, fc.tuple(pick(VMS), pick(HOSTS)).map(([v, h]) => portBound(v.id, h))),
  w(1, fc.tuple(pick([...VMS.map((v) => v.id), ...Object.values(LEG_PORTS).map((l) => l.port)]), fc.boolean()).map(([id, adminStateUp]): TopologyEvent =>
    ({ type: 'PortUpdated', data: { id, changes: { adminStateUp } } }))),
  w(1, pick(Object.values(LEG_PORTS)).map((l): TopologyEvent => ({ type: 'PortDeleted', data: { id: l.port, networkId: l.net } }))),
  // learned neighbors on the provider networks: units on every host that maps them
  w(1, fc.tuple(pick(HOSTS), pick([EXT, EXT2]), pick(['172.16.0.1', '172.17.0.1', '172.16.0.77'])).map(([h, n, ip]) => neighborObserved(h, n, ip, '02:00:00:00:ee:01'))),
);

const historyArb = fc.array(eventArb, { minLength: 5, maxLength: 25 }).map((b) => [...SETUP, ...b]);

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** The index as it must be: built from the routers' interfaces now. */
function rebuilt(view: TopologyView): { bySubnet: string[]; byPort: string[] } {
  const bySubnet: string[] = [];
  const byPort: string[] = [];
  for (const r of routersOf(view).values()) {
    for (const i of r.interfaces) bySubnet.push(`${i.subnetId} ${r.id}`), byPort.push(`${i.portId} ${r.id}`);
  }
  return { bySubnet: [...new Set(bySubnet)].sort(), byPort: [...new Set(byPort)].sort() };
}

const flat = (m: RouterIndex['bySubnet']): string[] => [...m].flatMap(([k, set]) => [...set].map((r) => `${k} ${r}`)).sort();

/** Every question the indexed code answers, beside the scan's answer, on the view as it is. */
function expectSameAsScan(view: TopologyView, ev: TopologyEvent): void {
  // built from the routers once when absent (before the first router event), then kept by the fold
  const x = routerIndexFor(view);
  expect({ bySubnet: flat(x.bySubnet), byPort: flat(x.byPort) }).toEqual(rebuilt(view));
  for (const n of Object.keys(NETWORKS)) {
    expect(sorted(routersOnNetwork(view, n))).toEqual(scanRoutersOfNetwork(view, n));
    expect(sorted(routersTouching(view, new Set([n])))).toEqual(sorted(scanRoutersTouching(view, new Set([n]))));
  }
  for (const s of Object.keys(SUBNETS)) expect(sorted(routersTouching(view, new Set([NET_B]), s))).toEqual(sorted(scanRoutersTouching(view, new Set([NET_B]), s)));
  for (const l of Object.values(LEG_PORTS)) {
    expect(sorted(routersWithPort(view, l.port))).toEqual(sorted(scanRouterTouches(view, { type: 'PortDeleted', data: { id: l.port, networkId: l.net } }, new Set())));
  }
  for (const nets of [new Set<string>(), new Set([NET_A]), new Set([NET_B, NET_C])]) {
    expect(new Set(routerTouches(view, ev, nets))).toEqual(new Set(scanRouterTouches(view, ev, nets)));
  }
}

const HOST_EVENTS = new Set(['HostRegistered', 'HostUpdated', 'HostDeregistered', 'SwitchPortObserved', 'SwitchPortRemoved']);

/** A gateway or external unit's flows on every host, as one comparable string. */
const unitState = (view: TopologyView, unit: string): string =>
  JSON.stringify(HOSTS.map((h) => (unit.startsWith('g:') ? gatewayUnitFlows(view, unit.slice(2), h) : externalUnitFlows(view, unit, h))), bigints);

const PROPERTY_RUNS = 60;
/** A full recompute after every event is slow on a loaded shared machine. */
const PROPERTY_BUDGET_MS = 180_000;
const runs = (n: number) => ({ numRuns: Number(process.env.ESDN_PROPERTY_RUNS ?? n) });

describe('router index', () => {
  it('equals the routers rebuilt after every event, and answers as the pass over every router did', () => {
    fc.assert(fc.property(historyArb, (events) => {
      const v = emptyView();
      for (const ev of events) {
        expectSameAsScan(v, ev);
        applyTopologyEvent(v, ev);
        expectSameAsScan(v, ev);
      }
    }), runs(PROPERTY_RUNS));
  }, PROPERTY_BUDGET_MS);

  it('host, tunnel and physical port events name a subset of the old touch holding every gateway, floating IP and provider unit whose flows change', () => {
    const counts = { g: { changed: 0, dropped: 0 }, f: { changed: 0, dropped: 0 }, x: { changed: 0, dropped: 0 } };
    const oldTouch = (v: TopologyView, ev: TopologyEvent) => [...scanGatewayTouches(v, ev), ...scanExternalTouches(v, ev)];
    const newTouch = (v: TopologyView, ev: TopologyEvent) => [...gatewayTouches(v, ev), ...externalTouches(v, ev)];
    fc.assert(fc.property(historyArb, (events) => {
      const v = emptyView();
      for (const ev of events) {
        foldCheckingTouch(v, ev, oldTouch, newTouch, unitState, (u, changed, named) => {
          if (!HOST_EVENTS.has(ev.type)) return;
          const c = counts[u.startsWith('g:') ? 'g' : u.startsWith('f:') ? 'f' : 'x'];
          if (changed) c.changed += 1;
          else if (!named) c.dropped += 1;
        });
      }
    }), runs(PROPERTY_RUNS));
    // host and switch port events both change such units and leave some of the old touch out. Measured over 40 seeds
    // (60 histories each): floating IP units changed 16-33 times (mean 23.6, sd 4.6), so their bar is 7, 3.5 sd under
    // the mean (a bar of 10 fails about once in 450 runs, by a normal fit); every other count stays 4.5 sd or more above 10
    const atLeast = { g: { changed: 10, dropped: 10 }, f: { changed: 7, dropped: 10 }, x: { changed: 10, dropped: 10 } };
    for (const [kind, c] of Object.entries(counts) as [keyof typeof counts, { changed: number; dropped: number }][]) {
      expect(c.changed, `${kind} changed`).toBeGreaterThan(atLeast[kind].changed);
      expect(c.dropped, `${kind} dropped`).toBeGreaterThan(atLeast[kind].dropped);
    }
  }, PROPERTY_BUDGET_MS);

  it('incremental flows equal a full recompute after every event', () => {
    fc.assert(fc.property(historyArb, (events) => {
      checkHistory(events, HOSTS);
    }), runs(40));
  }, PROPERTY_BUDGET_MS);

  it('a host event names the gateways scheduled there and the routers on its networks only', () => {
    const v = emptyView();
    for (const e of SETUP) applyTopologyEvent(v, e);
    // hv1: R1's gateway host and a VM on NET_A (R1, R3); R2 (sc on hv3, gateway on hv2) is not there
    expect(sorted(gatewayTouches(v, { type: 'HostUpdated', data: { name: 'hv1', changes: { tunnelIp: '192.0.2.9' } } }))).toEqual([gatewayUnit(R1)]);
    expect(sorted(gatewayTouches(v, switchPortRemoved('hv3', 'vxlan0')))).toEqual([gatewayUnit(R2)]);
    // a mapped physical port: only where a gateway is scheduled
    expect(gatewayTouches(v, switchPortRemoved('hv3', 'ex-public'))).toEqual([]);
    expect(gatewayTouches(v, switchPortRemoved('hv2', 'ex-public'))).toEqual([gatewayUnit(R2)]);
    expect(gatewayTouches(v, switchPortRemoved('hv1', 'ex-public'))).toEqual([gatewayUnit(R1)]);
    expect(sorted(scanGatewayTouches(v, switchPortRemoved('hv1', 'ex-public')))).toEqual(sorted([gatewayUnit(R1), gatewayUnit(R2)]));
    // floating IPs: hv1 NATs VM 1's (DVR); hv2 is R2's gateway host, so it NATs VM 3's (hv3 does not map the network)
    const fipsOf = (ev: TopologyEvent) => externalTouches(v, ev).filter((u) => u.startsWith('f:'));
    expect(fipsOf({ type: 'HostUpdated', data: { name: 'hv1', changes: { bridgeMappings: {} } } })).toEqual([floatingIpUnit(FIPS[0].id)]);
    expect(fipsOf(switchPortRemoved('hv2', 'ex-public'))).toEqual([floatingIpUnit(FIPS[1].id)]);
    expect(fipsOf({ type: 'HostDeregistered', data: { name: 'hv3' } })).toEqual([floatingIpUnit(FIPS[1].id)]);
    // provider units: only those of the networks the host maps (hv3 maps none)
    expect(externalTouches(v, { type: 'HostUpdated', data: { name: 'hv3', changes: { tunnelIp: '192.0.2.9' } } }).filter((u) => u.startsWith('x:'))).toEqual([]);
    expect(sorted(externalTouches(v, { type: 'HostUpdated', data: { name: 'hv1', changes: { tunnelIp: '192.0.2.9' } } }).filter((u) => u.startsWith('x:'))))
      .toEqual(sorted([`x:${EXT}`, `x:${EXT2}`]));
  });
});
