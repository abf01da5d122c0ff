// Next hops live in per-port units ('q:<port>'): a VM event changes only its own next hops, on the router's hosts and its gateway host.
import { describe, expect, it } from 'vitest';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import { nextHopUnit } from '../../projections/flows/nextHopUnit.ts';
import { routerUnit } from '../../projections/flows/routerUnit.ts';
import { gatewayUnit } from '../../projections/flows/gatewayUnit.ts';
import { unitFlows, unitsOfHost } from '../../projections/flows/units.ts';
import { explainCookie } from '../../projections/pipeline/cookie.ts';
import { flowKey } from '../../projections/pipeline/flow.ts';
import { TABLE_NEXT_HOP } from '../../projections/pipeline/tables.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet } from './support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from './support/topologyFixtures.ts';

const NET_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const NET_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const GW_PORT = 'rg000000-0000-4000-8000-00000000000e';
const VM1 = '11111111-0000-4000-8000-000000000001';
const VM2 = '22222222-0000-4000-8000-000000000002';
const NEW_VM = '99999999-0000-4000-8000-000000000009';
const TUNNEL_OFPORT = 100;
/** hv1 is the gateway host and holds no port of the router's networks; the VMs are on hv2 and hv3. */
const HOSTS = ['hv1', 'hv2', 'hv3'];

const scheduled: TopologyEvent = { type: 'RouterGatewayHostScheduled', data: { id: ROUTER, host: 'hv1', reason: 'gateway_set', physicalNetwork: 'public', at: '2026-11-26T00:00:00Z' } };

const SETUP: TopologyEvent[] = [
  networkCreated(NET_A, 201), networkCreated(NET_B, 202), providerNetworkCreated(EXT, 'public'),
  subnet('sa', NET_A, '10.0.0.0/24', '10.0.0.1'), subnet('sb', NET_B, '10.1.0.0/24', '10.1.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
  ...HOSTS.map((h, i) => mappedHost(h, `192.0.2.${i + 1}`, { public: 'ex-public' })),
  ...HOSTS.flatMap((h) => [switchPort(h, 'vxlan0', TUNNEL_OFPORT), switchPort(h, 'ex-public', 7)]),
  { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
  servicePort('ra000000-0000-4000-8000-00000000000a', NET_A, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
  servicePort('rb000000-0000-4000-8000-00000000000b', NET_B, '02:00:00:00:ff:0b', '10.1.0.1', 'sb', 'network:router_interface'),
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: 'ra000000-0000-4000-8000-00000000000a', subnetId: 'sa' } },
  { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: 'rb000000-0000-4000-8000-00000000000b', subnetId: 'sb' } },
  servicePort(GW_PORT, EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
  gatewaySet(ROUTER, EXT, GW_PORT, '172.16.0.2', 'se'), scheduled,
  servicePort(VM1, NET_A, '02:00:00:00:00:11', '10.0.0.11', 'sa', 'compute:nova'), portBound(VM1, 'hv2'), switchPort('hv2', `tap${VM1.slice(0, 11)}`, 1),
  servicePort(VM2, NET_B, '02:00:00:00:00:22', '10.1.0.22', 'sb', 'compute:nova'), portBound(VM2, 'hv3'), switchPort('hv3', `tap${VM2.slice(0, 11)}`, 1),
];

/** One more VM in NET_A on hv3 (already a host of the router): its three boot events. */
const NEW_VM_EVENTS: TopologyEvent[] = [
  servicePort(NEW_VM, NET_A, '02:00:00:00:00:99', '10.0.0.99', 'sa', 'compute:nova'), portBound(NEW_VM, 'hv3'), switchPort('hv3', `tap${NEW_VM.slice(0, 11)}`, 2),
];

function projection(): FlowProjection {
  const p = new FlowProjection();
  p.applyBatch(SETUP);
  return p;
}

describe('next hops in per-port units', () => {
  it('the router and gateway units hold no next hop; each VM port unit holds its own, on every host of the router and on the gateway host', () => {
    const { view } = projection();
    for (const h of HOSTS) {
      expect([...unitFlows(view, routerUnit(ROUTER), h).values()].filter((f) => f.tableId === TABLE_NEXT_HOP)).toEqual([]);
      expect([...unitFlows(view, gatewayUnit(ROUTER), h).values()].filter((f) => f.tableId === TABLE_NEXT_HOP)).toEqual([]);
      expect(unitsOfHost(view, h)).toContain(nextHopUnit(VM1));
      const own = [...unitFlows(view, nextHopUnit(VM1), h).values()];
      expect(own).toHaveLength(1);
      expect(own[0].tableId).toBe(TABLE_NEXT_HOP);
      // the cookie still names the router (explain), the match names the port's address (reg5)
      const x = explainCookie(own[0].cookie, view);
      expect(x.owner === 'esdn' ? x.resources.map((r) => r.stream) : x.owner).toEqual([`router-${ROUTER}`]);
    }
  });

  it('one more VM changes one next hop per host of the router (the bare gateway host included) and no other routing flow', () => {
    const p = projection();
    const changed = new Map<string, string[]>();
    for (const e of NEW_VM_EVENTS) {
      for (const [host, c] of p.apply(e)) {
        expect(c.deletes.size).toBe(0);
        for (const f of c.upserts.values()) if (f.tableId === TABLE_NEXT_HOP) changed.set(host, [...(changed.get(host) ?? []), flowKey(f)]);
      }
    }
    expect([...changed.keys()].sort()).toEqual(HOSTS);
    // exactly the new port's own next hop
    for (const h of HOSTS) expect(changed.get(h)).toEqual([...unitFlows(p.view, nextHopUnit(NEW_VM), h).keys()]);
  });

  it('a static route changes the router unit only; the admin state takes every next hop away', () => {
    const p = projection();
    const routes = p.apply({ type: 'RouterUpdated', data: { id: ROUTER, changes: { routes: [{ destination: '172.20.0.0/16', nexthop: '10.0.0.11' }] } } });
    for (const c of routes.values()) expect([...c.upserts.values()].filter((f) => f.tableId === TABLE_NEXT_HOP)).toEqual([]);
    expect(routes.size).toBeGreaterThan(0);
    p.apply({ type: 'RouterUpdated', data: { id: ROUTER, changes: { adminStateUp: false } } });
    for (const h of HOSTS) expect([...p.desired(h).values()].filter((f) => f.tableId === TABLE_NEXT_HOP && f.priority > 0)).toEqual([]);
  });
});
