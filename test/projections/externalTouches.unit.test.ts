// The external units a port or router event touches, and a host's external units, found through the floating IP indexes equal the old passes over every floating IP (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  externalTouches, externalUnitsOfHost, floatingIpUnit, hostMapsNetwork, natHostOf, providerUnit,
} from '../../projections/flows/externalUnits.ts';
import { externalOf } from '../../projections/topology/external.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { routersOf } from '../../projections/topology/routers.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from './support/externalFixtures.ts';
import { networkCreated, portBound } from './support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTERS = ['r1000000-0000-4000-8000-000000000001', 'r2000000-0000-4000-8000-000000000002', 'r3000000-0000-4000-8000-000000000003'];
const HOSTS = ['hv1', 'hv2', 'hv3'];
const AT = '2026-11-26T00:00:00Z';
const ROUTER_INTERFACE = 'network:router_interface';
/** ports 0-3 VMs, 4-6 router legs, 7-9 floating IP ports (any may end up in any role: the scan did not care either) */
const PORTS = 10;
const FIPS = 5;
const port = (i: number) => `p${i}000000-0000-4000-8000-00000000000${i}`;
const fip = (i: number) => `f${i}000000-0000-4000-8000-00000000000${i}`;
const OWNERS = ['compute:nova', ROUTER_INTERFACE, 'network:floatingip'];

function base(): TopologyEvent[] {
  return [
    networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'), subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }), mappedHost('hv3', '192.0.2.3', {}),
    ...ROUTERS.map((id): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } })),
  ];
}

/** Every port in its usual role to start with (the random events then move them around). */
function roles(): TopologyEvent[] {
  return [
    // every port in its usual role to start with: VMs bound, one leg per router, floating IPs on their own ports, associated
    ...[0, 1, 2, 3].flatMap((i) => [servicePort(port(i), NET, `02:00:00:00:00:1${i}`, `10.0.0.1${i}`, 'sa', 'compute:nova'), portBound(port(i), HOSTS[i % HOSTS.length])]),
    ...ROUTERS.flatMap((id, r): TopologyEvent[] => [
      servicePort(port(4 + r), NET, `02:00:00:00:00:1${4 + r}`, `10.0.0.1${4 + r}`, 'sa', ROUTER_INTERFACE),
      { type: 'RouterInterfaceAdded', data: { id, portId: port(4 + r), subnetId: 'sa' } },
    ]),
    ...[7, 8, 9].map((i) => servicePort(port(i), EXT, `02:00:00:00:00:1${i}`, `172.16.0.1${i}`, 'se', 'network:floatingip')),
    ...Array.from({ length: FIPS }, (_, f) => [floatingIpCreated(fip(f), EXT, 'se', `172.16.1.1${f}`, port(7 + (f % 3))),
      floatingIpAssociated(fip(f), port(f % 4), `10.0.0.1${f % 4}`, ROUTERS[f % ROUTERS.length])]).flat(),
  ];
}

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const portIdx = fc.nat(PORTS - 1);
const fipIdx = fc.nat(FIPS - 1);

const arbEvent: fc.Arbitrary<TopologyEvent> = fc.oneof(
  fc.record({ p: portIdx, o: pick(OWNERS) }).map(({ p, o }) => servicePort(port(p), o === 'network:floatingip' ? EXT : NET, `02:00:00:00:00:1${p}`,
    o === 'network:floatingip' ? `172.16.0.1${p}` : `10.0.0.1${p}`, o === 'network:floatingip' ? 'se' : 'sa', o)),
  fc.record({ p: portIdx, h: pick(HOSTS) }).map(({ p, h }) => portBound(port(p), h)),
  portIdx.map((p): TopologyEvent => ({ type: 'PortUnboundFromHost', data: { id: port(p), profile: {} } })),
  portIdx.map((p): TopologyEvent => ({ type: 'PortDeleted', data: { id: port(p), networkId: NET } })),
  fc.record({ p: portIdx, up: fc.boolean() }).map(({ p, up }): TopologyEvent => ({ type: 'PortUpdated', data: { id: port(p), changes: { adminStateUp: up } } })),
  fc.record({ r: pick(ROUTERS), p: portIdx }).map(({ r, p }): TopologyEvent => ({ type: 'RouterInterfaceAdded', data: { id: r, portId: port(p), subnetId: 'sa' } })),
  fc.record({ r: pick(ROUTERS), p: portIdx }).map(({ r, p }): TopologyEvent => ({ type: 'RouterInterfaceRemoved', data: { id: r, portId: port(p), subnetId: 'sa' } })),
  pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } })),
  pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterDeleted', data: { id } })),
  fc.record({ f: fipIdx, p: portIdx }).map(({ f, p }) => floatingIpCreated(fip(f), EXT, 'se', `172.16.1.1${f}`, port(p))),
  fc.record({ f: fipIdx, p: portIdx, r: pick(ROUTERS) }).map(({ f, p, r }) => floatingIpAssociated(fip(f), port(p), `10.0.0.1${p}`, r)),
  fipIdx.map((f): TopologyEvent => ({ type: 'FloatingIpDisassociated', data: { id: fip(f) } })),
  fipIdx.map((f): TopologyEvent => ({ type: 'FloatingIpDeleted', data: { id: fip(f) } })),
  pick(ROUTERS).map((r) => gatewaySet(r, EXT, 'rg000000-0000-4000-8000-00000000000e', '172.16.0.2', 'se')),
  pick(ROUTERS).map((id): TopologyEvent => ({ type: 'RouterGatewayCleared', data: { id, portId: 'rg000000-0000-4000-8000-00000000000e' } })),
  fc.record({ r: pick(ROUTERS), h: pick(HOSTS) }).map(({ r, h }): TopologyEvent =>
    ({ type: 'RouterGatewayHostScheduled', data: { id: r, host: h, reason: 'gateway_set', physicalNetwork: 'public', at: AT } })),
);

/** The pass over every floating IP that externalTouches made for port and router events before the indexes (copied from e2edb6f). */
function scanTouches(view: TopologyView, ev: TopologyEvent): string[] | undefined {
  const all = [...externalOf(view).floatingIps.values()];
  switch (ev.type) {
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost': {
      const portId = ev.data.id;
      const maybeLeg = view.ports.get(portId)?.deviceOwner === ROUTER_INTERFACE;
      return all.filter((f) => {
        const a = f.association;
        const viaRouter = maybeLeg && a ? routersOf(view).get(a.routerId)?.interfaces.some((i) => i.portId === portId) : false;
        return f.portId === portId || a?.portId === portId || viaRouter;
      }).map((f) => floatingIpUnit(f.id));
    }
    case 'RouterCreated': case 'RouterUpdated': case 'RouterInterfaceAdded': case 'RouterInterfaceRemoved': case 'RouterDeleted':
    case 'RouterGatewaySet': case 'RouterGatewayCleared': case 'RouterGatewayHostScheduled': {
      const fips = all.filter((f) => f.association?.routerId === ev.data.id).map((f) => floatingIpUnit(f.id));
      return ev.type === 'RouterGatewaySet' || ev.type === 'RouterGatewayCleared' ? [...fips, `r:${ev.data.id}`] : fips;
    }
    default:
      return undefined;
  }
}

/** A host's external units as found before the indexes: every network, every floating IP. */
function scanUnitsOfHost(view: TopologyView, host: string): string[] {
  const out: string[] = [];
  for (const id of view.networks.keys()) if (hostMapsNetwork(view, host, id)) out.push(providerUnit(id));
  for (const f of externalOf(view).floatingIps.values()) if (natHostOf(view, f) === host) out.push(floatingIpUnit(f.id));
  return out.sort();
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('external touches through the floating IP indexes', () => {
  it('a port or router event touches the same floating IPs as the pass over all of them, before and after folding; a host lists the same units', () => {
    fc.assert(fc.property(fc.array(arbEvent, { maxLength: 50 }), (events) => {
      const v = emptyView();
      for (const e of [...base(), ...roles()]) applyTopologyEvent(v, e);
      for (const e of events) {
        const check = () => {
          const old = scanTouches(v, e);
          if (old) expect(sorted(externalTouches(v, e))).toEqual(sorted(old));
        };
        check();
        applyTopologyEvent(v, e);
        check();
      }
      for (const h of [...HOSTS, 'hv9']) expect(externalUnitsOfHost(v, h).sort()).toEqual(scanUnitsOfHost(v, h));
      // the floating IP port index holds exactly the current floating IPs (no stale entry left to grow)
      const x = externalOf(v);
      const byOwnPort = [...x.floatingIpsByFloatingPort].flatMap(([p, ids]) => [...ids].map((id) => `${p} ${id}`)).sort();
      expect(byOwnPort).toEqual([...x.floatingIps.values()].map((f) => `${f.portId} ${f.id}`).sort());
    }), { numRuns: 500 });
  });

  it('a VM port event touches only the floating IPs associated with it or held by it, not another port\'s', () => {
    const v = emptyView();
    for (const e of [
      ...base(), servicePort(port(0), NET, '02:00:00:00:00:10', '10.0.0.10', 'sa', 'compute:nova'),
      servicePort(port(1), NET, '02:00:00:00:00:11', '10.0.0.11', 'sa', 'compute:nova'),
      floatingIpCreated(fip(0), EXT, 'se', '172.16.1.10', port(7)), floatingIpCreated(fip(1), EXT, 'se', '172.16.1.11', port(8)),
      floatingIpAssociated(fip(0), port(0), '10.0.0.10', ROUTERS[0]), floatingIpAssociated(fip(1), port(1), '10.0.0.11', ROUTERS[1]),
    ]) applyTopologyEvent(v, e);
    expect(externalTouches(v, portBound(port(0), 'hv1'))).toEqual([floatingIpUnit(fip(0))]);
    expect(externalTouches(v, { type: 'PortDeleted', data: { id: port(8), networkId: EXT } })).toEqual([floatingIpUnit(fip(1))]);
    expect(externalTouches(v, portBound(port(2), 'hv1'))).toEqual([]);
    expect(externalTouches(v, { type: 'RouterDeleted', data: { id: ROUTERS[1] } })).toEqual([floatingIpUnit(fip(1))]);
  });
});
