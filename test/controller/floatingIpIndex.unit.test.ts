// A host's sync checks only that host's floating IPs: the NAT-host index equals natHostOf over every floating IP, on random histories (and the gateway index's host -> routers inverse stays exact).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { natHostOf } from '../../projections/flows/externalUnits.ts';
import { externalOf } from '../../projections/topology/external.ts';
import { gatewaysOf } from '../../projections/topology/gateways.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { ActiveFloatingIps, floatingIpsNattedBy, floatingIpStatusChanges } from '../../src/controller/floatingIpStatus.ts';
import type { FloatingIpStatus } from '../../src/domain/floatingIp/state.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../projections/support/externalFixtures.ts';
import { networkCreated, portBound } from '../projections/support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTERS = ['r1000000-0000-4000-8000-000000000001', 'r2000000-0000-4000-8000-000000000002'];
/** hv1 and hv2 map the physical network (DVR there); hv3 does not (its VMs' floating IPs are NATed on the gateway host). */
const HOSTS = ['hv1', 'hv2', 'hv3'];
const VMS = 6;
const FIPS = 6;
const AT = '2026-11-26T00:00:00Z';
const vm = (i: number) => `1${i}000000-0000-4000-8000-00000000000${i}`;
const fip = (i: number) => `f${i}000000-0000-4000-8000-00000000000${i}`;
const fipPort = (i: number) => `fp${i}00000-0000-4000-8000-00000000000${i}`;

function base(): TopologyEvent[] {
  const ev: TopologyEvent[] = [
    networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'), subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }), mappedHost('hv3', '192.0.2.3', {}),
  ];
  for (const r of ROUTERS) ev.push({ type: 'RouterCreated', data: { id: r, adminStateUp: true, routes: [] } });
  for (let i = 0; i < VMS; i++) ev.push(servicePort(vm(i), NET, `02:00:00:00:00:1${i}`, `10.0.0.1${i}`, 'sa', 'compute:nova'));
  for (let i = 0; i < FIPS; i++) {
    ev.push(servicePort(fipPort(i), EXT, `02:fe:00:00:00:0${i}`, `172.16.0.1${i}`, 'se', 'network:floatingip'), floatingIpCreated(fip(i), EXT, 'se', `172.16.0.1${i}`, fipPort(i)));
  }
  return ev;
}

const arbEvent: fc.Arbitrary<TopologyEvent> = fc.oneof(
  fc.record({ v: fc.nat(VMS - 1), h: fc.nat(HOSTS.length - 1) }).map(({ v, h }) => portBound(vm(v), HOSTS[h])),
  fc.nat(VMS - 1).map((v): TopologyEvent => ({ type: 'PortUnboundFromHost', data: { id: vm(v), profile: {} } })),
  fc.nat(VMS - 1).map((v): TopologyEvent => ({ type: 'PortDeleted', data: { id: vm(v), networkId: NET } })),
  fc.record({ f: fc.nat(FIPS - 1), v: fc.nat(VMS - 1), r: fc.nat(ROUTERS.length - 1) }).map(({ f, v, r }) => floatingIpAssociated(fip(f), vm(v), `10.0.0.1${v}`, ROUTERS[r])),
  fc.nat(FIPS - 1).map((f): TopologyEvent => ({ type: 'FloatingIpDisassociated', data: { id: fip(f) } })),
  fc.nat(FIPS - 1).map((f): TopologyEvent => ({ type: 'FloatingIpDeleted', data: { id: fip(f) } })),
  fc.nat(FIPS - 1).map((f) => floatingIpCreated(fip(f), EXT, 'se', `172.16.0.1${f}`, fipPort(f))),
  fc.nat(ROUTERS.length - 1).map((r) => gatewaySet(ROUTERS[r], EXT, `rg${r}00000-0000-4000-8000-00000000000e`, `172.16.0.${2 + r}`, 'se')),
  fc.nat(ROUTERS.length - 1).map((r): TopologyEvent => ({ type: 'RouterGatewayCleared', data: { id: ROUTERS[r], portId: `rg${r}00000-0000-4000-8000-00000000000e` } })),
  fc.record({ r: fc.nat(ROUTERS.length - 1), h: fc.nat(HOSTS.length - 1) }).map(({ r, h }): TopologyEvent =>
    ({ type: 'RouterGatewayHostScheduled', data: { id: ROUTERS[r], host: HOSTS[h], reason: 'gateway_set', physicalNetwork: 'public', at: AT } })),
  fc.constantFrom('hv1', 'hv2', 'hv3').map((h): TopologyEvent => ({ type: 'HostDeregistered', data: { name: h } })),
);

function build(events: readonly TopologyEvent[]): TopologyView {
  const v = emptyView();
  for (const e of [...base(), ...events]) applyTopologyEvent(v, e);
  return v;
}

/** The old way: natHostOf over every floating IP of the cloud. */
function nattedByScan(v: TopologyView, host: string): string[] {
  return [...externalOf(v).floatingIps.values()].filter((f) => natHostOf(v, f) === host).map((f) => f.id).sort();
}

describe('floating IPs by NAT host', () => {
  it('the index finds exactly the floating IPs natHostOf gives each host (none of another host, none missed), on random histories', () => {
    fc.assert(fc.property(fc.array(arbEvent, { maxLength: 40 }), (events) => {
      const v = build(events);
      for (const h of [...HOSTS, 'hv9']) expect([...floatingIpsNattedBy(v, h)].sort()).toEqual(nattedByScan(v, h));
      // and the association index holds exactly the current associations (no stale entry left to grow)
      const x = externalOf(v);
      const byPort = [...x.floatingIpsByPort].flatMap(([p, ids]) => [...ids].map((id) => `${p} ${id}`)).sort();
      const byRouter = [...x.floatingIpsByRouter].flatMap(([r, ids]) => [...ids].map((id) => `${r} ${id}`)).sort();
      const assoc = [...x.floatingIps.values()].filter((f) => f.association !== null);
      expect(byPort).toEqual(assoc.map((f) => `${f.association?.portId} ${f.id}`).sort());
      expect(byRouter).toEqual(assoc.map((f) => `${f.association?.routerId} ${f.id}`).sort());
      // the gateway index's host -> routers inverse equals its router -> host map
      const g = gatewaysOf(v);
      expect([...g.routersByHost].flatMap(([h, rs]) => [...rs].map((r) => `${h} ${r}`)).sort())
        .toEqual([...g.hosts].filter(([, h]) => h !== null).map(([r, h]) => `${h} ${r}`).sort());
      expect([...g.decisionOf.keys()].sort()).toEqual([...g.hosts.keys()].sort());
    }), { numRuns: 1000 });
  });

  it('a sync of one host asks only about its own floating IPs (DVR on hv1, centralized via the gateway on hv2)', () => {
    const v = build([
      portBound(vm(0), 'hv1'), portBound(vm(1), 'hv2'), portBound(vm(2), 'hv3'),
      gatewaySet(ROUTERS[0], EXT, 'rg000000-0000-4000-8000-00000000000e', '172.16.0.2', 'se'),
      { type: 'RouterGatewayHostScheduled', data: { id: ROUTERS[0], host: 'hv2', reason: 'gateway_set', physicalNetwork: 'public', at: AT } },
      floatingIpAssociated(fip(0), vm(0), '10.0.0.10', ROUTERS[0]),
      floatingIpAssociated(fip(1), vm(1), '10.0.0.11', ROUTERS[0]),
      floatingIpAssociated(fip(2), vm(2), '10.0.0.12', ROUTERS[0]),
    ]);
    const asked = (host: string, active: ActiveFloatingIps): string[] => {
      const ids = new Set<string>();
      floatingIpStatusChanges(v, host, () => true, (id): FloatingIpStatus => { ids.add(id); return 'DOWN'; }, active);
      return [...ids].sort();
    };
    // past the first sync (no ACTIVE floating IP left unclaimed by a restart)
    const settled = () => Object.assign(new ActiveFloatingIps(), { unclaimed: new Set<string>() });
    expect(asked('hv1', settled())).toEqual([fip(0)]);
    expect(asked('hv2', settled())).toEqual([fip(1), fip(2)].sort());
    expect(asked('hv3', settled())).toEqual([]);
    // one that hv3 made ACTIVE earlier is rechecked there (it may have to go DOWN)
    expect(asked('hv3', Object.assign(new ActiveFloatingIps([[fip(0), 'hv3']]), { unclaimed: new Set<string>() }))).toEqual([fip(0)]);
  });

  it('forgets a deleted floating IP that a host had made ACTIVE', () => {
    const v = build([{ type: 'FloatingIpDeleted', data: { id: fip(0) } }]);
    const active = Object.assign(new ActiveFloatingIps([[fip(0), 'hv1']]), { unclaimed: new Set<string>() });
    expect(floatingIpStatusChanges(v, 'hv1', () => true, () => 'ACTIVE', active)).toEqual([]);
    expect(active.get(fip(0))).toBeUndefined();
    expect(active.onHost('hv1')).toEqual([]);
  });

  it('after a restart, the first sync finds ACTIVE floating IPs no host has claimed, and later syncs keep checking them until one does', () => {
    const v = build([portBound(vm(0), 'hv1'), floatingIpAssociated(fip(0), vm(0), '10.0.0.10', ROUTERS[0]),
      floatingIpAssociated(fip(1), vm(1), '10.0.0.11', ROUTERS[0])]); // vm(1) unbound: no NAT host
    const status: Record<string, FloatingIpStatus> = { [fip(0)]: 'ACTIVE', [fip(1)]: 'ACTIVE' };
    const active = new ActiveFloatingIps();
    // hv2 does no NAT: fip(1), ACTIVE with no NAT host, goes DOWN; fip(0) waits for hv1
    expect(floatingIpStatusChanges(v, 'hv2', () => true, (id) => status[id], active)).toEqual([{ id: fip(1), status: 'DOWN' }]);
    expect([...(active.unclaimed ?? [])].sort()).toEqual([fip(0), fip(1)].sort());
    status[fip(1)] = 'DOWN';
    // hv1's switch never reported the physical port, so fip(0)'s NAT cannot be there: DOWN
    expect(floatingIpStatusChanges(v, 'hv1', () => true, (id) => status[id], active)).toEqual([{ id: fip(0), status: 'DOWN' }]);
    status[fip(0)] = 'DOWN';
    expect(floatingIpStatusChanges(v, 'hv3', () => true, (id) => status[id], active)).toEqual([]);
    expect([...(active.unclaimed ?? [])]).toEqual([]);
  });
});
