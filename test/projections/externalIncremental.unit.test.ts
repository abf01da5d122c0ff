// Incremental desired flows equal a full recompute after every event of external histories: provider networks, gateways, floating IPs, neighbors (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, neighborObserved, providerNetworkCreated, servicePort, subnet,
} from './support/externalFixtures.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import { networkCreated, portBound, switchPort, switchPortRemoved } from './support/topologyFixtures.ts';

const HOSTS = ['hv1', 'hv2', 'hv3'];
const NET_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const NET_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const EXT_V = 'ffffffff-0000-4000-8000-00000000000f';
const ROUTERS = ['r1111111-0000-4000-8000-000000000001', 'r2222222-0000-4000-8000-000000000002'];
const VMS = [
  { id: '11111111-0000-4000-8000-000000000001', net: NET_A, subnet: 'sa', ip: '10.0.0.11', mac: '02:00:00:00:00:11' },
  { id: '22222222-0000-4000-8000-000000000002', net: NET_B, subnet: 'sb', ip: '10.1.0.22', mac: '02:00:00:00:00:22' },
  { id: '33333333-0000-4000-8000-000000000003', net: NET_A, subnet: 'sa', ip: '10.0.0.33', mac: '02:00:00:00:00:33' },
];
const FIPS = ['f1000000-0000-4000-8000-000000000001', 'f2000000-0000-4000-8000-000000000002', 'f3000000-0000-4000-8000-000000000003'];
const FIP_PORTS = ['fp100000-0000-4000-8000-000000000001', 'fp200000-0000-4000-8000-000000000002', 'fp300000-0000-4000-8000-000000000003'];
const RPORTS = { a: 'ra000000-0000-4000-8000-00000000000a', b: 'rb000000-0000-4000-8000-00000000000b', gw: 'rg000000-0000-4000-8000-00000000000e' };
const PHYS = ['ex-public', 'ex-other'];
const MACS = ['02:ee:00:00:00:01', '02:ee:00:00:00:02'];
const EXT_IPS = ['172.16.0.1', '172.16.0.100', '172.16.0.11', '172.16.1.5'];

const SETUP: TopologyEvent[] = [
  networkCreated(NET_A, 201), networkCreated(NET_B, 202), providerNetworkCreated(EXT, 'public'), providerNetworkCreated(EXT_V, 'public', 100),
  subnet('sa', NET_A, '10.0.0.0/24', '10.0.0.1'), subnet('sb', NET_B, '10.1.0.0/24', '10.1.0.1'),
  subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'), subnet('sv', EXT_V, '172.16.1.0/24', null),
  mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }), mappedHost('hv3', '192.0.2.3', {}),
  ...HOSTS.flatMap((h) => [switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', 7)]),
  { type: 'RouterCreated', data: { id: ROUTERS[0], adminStateUp: true, routes: [] } },
  servicePort(RPORTS.a, NET_A, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
  servicePort(RPORTS.b, NET_B, '02:00:00:00:ff:0b', '10.1.0.1', 'sb', 'network:router_interface'),
  { type: 'RouterInterfaceAdded', data: { id: ROUTERS[0], portId: RPORTS.a, subnetId: 'sa' } },
  { type: 'RouterInterfaceAdded', data: { id: ROUTERS[0], portId: RPORTS.b, subnetId: 'sb' } },
  servicePort(RPORTS.gw, EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
  gatewaySet(ROUTERS[0], EXT, RPORTS.gw, '172.16.0.2', 'se'),
  ...VMS.flatMap((v, i) => [servicePort(v.id, v.net, v.mac, v.ip, v.subnet, 'compute:nova'), portBound(v.id, HOSTS[i]), switchPort(HOSTS[i], `tap${v.id.slice(0, 11)}`, i + 1)]),
  ...FIPS.map((id, i) => servicePort(FIP_PORTS[i], i === 2 ? EXT_V : EXT, `02:fe:00:00:00:0${i}`, i === 2 ? '172.16.1.10' : `172.16.0.1${i}`, i === 2 ? 'sv' : 'se', 'network:floatingip')),
];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const eventArb: fc.Arbitrary<TopologyEvent> = fc.oneof(
  w(3, fc.integer({ min: 0, max: 2 }).map((i) => floatingIpCreated(FIPS[i], i === 2 ? EXT_V : EXT, i === 2 ? 'sv' : 'se', i === 2 ? '172.16.1.10' : `172.16.0.1${i}`, FIP_PORTS[i]))),
  w(5, fc.tuple(pick(FIPS), pick(VMS), pick(ROUTERS)).map(([f, v, r]) => floatingIpAssociated(f, v.id, v.ip, r))),
  w(1, pick(FIPS).map((id): TopologyEvent => ({ type: 'FloatingIpDisassociated', data: { id } }))),
  w(1, pick(FIPS).map((id): TopologyEvent => ({ type: 'FloatingIpDeleted', data: { id } }))),
  w(3, fc.tuple(pick(HOSTS), pick([EXT, EXT_V]), pick(EXT_IPS), pick(MACS)).map(([h, n, ip, mac]) => neighborObserved(h, n, ip, mac))),
  w(1, fc.tuple(pick(HOSTS), pick<Record<string, string>>([{}, { public: 'ex-public' }, { public: 'ex-other' }])).map(([name, bridgeMappings]): TopologyEvent =>
    ({ type: 'HostUpdated', data: { name, changes: { bridgeMappings } } }))),
  w(2, fc.tuple(pick(HOSTS), pick(PHYS), fc.integer({ min: 6, max: 8 })).map(([h, n, o]) => switchPort(h, n, o))),
  w(1, fc.tuple(pick(HOSTS), pick(PHYS)).map(([h, n]) => switchPortRemoved(h, n))),
  w(1, pick(ROUTERS).map((r) => gatewaySet(r, EXT, RPORTS.gw, '172.16.0.2', 'se'))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterGatewayCleared', data: { id, portId: RPORTS.gw } }))),
  w(1, fc.tuple(pick(ROUTERS), pick([['a', 'sa'], ['b', 'sb']] as const)).map(([id, [p, s]]): TopologyEvent =>
    ({ type: 'RouterInterfaceAdded', data: { id, portId: RPORTS[p], subnetId: s } }))),
  w(1, fc.tuple(pick(ROUTERS), pick([['a', 'sa'], ['b', 'sb']] as const)).map(([id, [p, s]]): TopologyEvent =>
    ({ type: 'RouterInterfaceRemoved', data: { id, portId: RPORTS[p], subnetId: s } }))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } }))),
  w(1, fc.tuple(pick(ROUTERS), fc.boolean()).map(([id, adminStateUp]): TopologyEvent => ({ type: 'RouterUpdated', data: { id, changes: { adminStateUp } } }))),
  w(1, pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterDeleted', data: { id } }))),
  w(2, fc.tuple(pick(VMS), pick(HOSTS)).map(([v, h]) => portBound(v.id, h))),
  w(1, pick([...VMS.map((v) => v.id), ...FIP_PORTS, RPORTS.a]).map((id): TopologyEvent => ({ type: 'PortUpdated', data: { id, changes: { macAddress: '02:00:00:00:aa:aa' } } }))),
  w(1, pick([...VMS.map((v) => v.id), ...FIP_PORTS]).map((id): TopologyEvent => ({ type: 'PortDeleted', data: { id, networkId: NET_A } }))),
  w(1, pick(['se', 'sv', 'sa']).map((id): TopologyEvent => ({ type: 'SubnetDeleted', data: { id, networkId: EXT } }))),
  w(1, pick([EXT, EXT_V, NET_A]).map((id): TopologyEvent => ({ type: 'NetworkDeleted', data: { id } }))),
  w(1, pick(HOSTS).map((name): TopologyEvent => ({ type: 'HostDeregistered', data: { name } }))),
);

const historyArb = fc.tuple(fc.shuffledSubarray(SETUP, { minLength: SETUP.length - 4 }), fc.array(eventArb, { minLength: 10, maxLength: 40 }))
  .map(([a, b]) => [...a, ...b]);

/** A full recompute after every event is slow on a loaded shared machine (7 s alone, 25 s beside the whole unit tier). */
const PROPERTY_BUDGET_MS = 120_000;

describe('incremental desired flows, external side', () => {
  it('equal a full recompute after every event of floating IP / provider network / neighbor histories', () => {
    let fipFlows = 0;
    let neighborFlows = 0;
    fc.assert(fc.property(historyArb, (events) => {
      const proj = checkHistory(events, HOSTS);
      for (const h of HOSTS) {
        const flows = [...proj.desired(h).values()];
        fipFlows += flows.filter((f) => f.tableId === 31).length;
        neighborFlows += flows.filter((f) => f.tableId === 67 && f.priority === 100).length;
      }
    }), { numRuns: Number(process.env.ESDN_PROPERTY_RUNS ?? 100) });
    // the histories really exercise floating IP NAT and neighbor flows
    expect(fipFlows).toBeGreaterThan(50);
    expect(neighborFlows).toBeGreaterThan(50);
  }, PROPERTY_BUDGET_MS);
});
