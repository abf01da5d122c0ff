// The external side's flows: where a floating IP's NAT lands (DVR), provider classification (flat, VLAN), neighbors, and cookies that explain them.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { explainCookie } from '../../projections/pipeline/cookie.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { OFPVID_PRESENT, providerMetadata } from '../../projections/pipeline/stages/external.ts';
import { natZoneOf, NAT_ZONE_FIRST } from '../../projections/topology/external.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, neighborObserved, providerNetworkCreated, servicePort, subnet,
} from './support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from './support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const EXT_V = 'ffffffff-0000-4000-8000-00000000000f';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const VM1 = '11111111-0000-4000-8000-000000000001';
const VM3 = '33333333-0000-4000-8000-000000000003';
const FIP = 'f1000000-0000-4000-8000-000000000001';
const FIP3 = 'f3000000-0000-4000-8000-000000000003';
const PHYS_OFPORT = 7;

function world(extra: TopologyEvent[] = []) {
  const events: TopologyEvent[] = [
    networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'), providerNetworkCreated(EXT_V, 'vlanphys', 100),
    subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public', vlanphys: 'ex-vlan' }), mappedHost('hv2', '192.0.2.2', { public: 'ex-public' }),
    mappedHost('hv3', '192.0.2.3', {}),
    ...['hv1', 'hv2', 'hv3'].flatMap((h) => [switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', PHYS_OFPORT)]), switchPort('hv1', 'ex-vlan', 8),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort('ra000000-0000-4000-8000-00000000000a', NET, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: 'ra000000-0000-4000-8000-00000000000a', subnetId: 'sa' } },
    servicePort('rg000000-0000-4000-8000-00000000000e', EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
    gatewaySet(ROUTER, EXT, 'rg000000-0000-4000-8000-00000000000e', '172.16.0.2', 'se'),
    servicePort(VM1, NET, '02:00:00:00:00:11', '10.0.0.11', 'sa', 'compute:nova'), portBound(VM1, 'hv1'), switchPort('hv1', `tap${VM1.slice(0, 11)}`, 1),
    servicePort(VM3, NET, '02:00:00:00:00:33', '10.0.0.33', 'sa', 'compute:nova'), portBound(VM3, 'hv3'), switchPort('hv3', `tap${VM3.slice(0, 11)}`, 1),
    servicePort('fp100000-0000-4000-8000-000000000001', EXT, '02:fe:00:00:00:01', '172.16.0.11', 'se', 'network:floatingip'),
    floatingIpCreated(FIP, EXT, 'se', '172.16.0.11', 'fp100000-0000-4000-8000-000000000001'),
    floatingIpAssociated(FIP, VM1, '10.0.0.11', ROUTER),
    servicePort('fp300000-0000-4000-8000-000000000003', EXT, '02:fe:00:00:00:03', '172.16.0.13', 'se', 'network:floatingip'),
    floatingIpCreated(FIP3, EXT, 'se', '172.16.0.13', 'fp300000-0000-4000-8000-000000000003'),
    floatingIpAssociated(FIP3, VM3, '10.0.0.33', ROUTER),
    ...extra,
  ];
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

/** The table's flows besides its miss flow (priority 0). */
const inTable = (flows: Map<string, DesiredFlow>, table: number) => [...flows.values()].filter((f) => f.tableId === table && f.priority > 0);
const field = (f: DesiredFlow, name: string): { value?: unknown } | undefined => f.match.find((o) => o.field === name) as { value?: unknown } | undefined;

describe('external flows', () => {
  it("a floating IP's NAT lands on its VM's host when that host maps the physical network (DVR), and nowhere else", () => {
    const v = world();
    const hv1 = desiredFlows(v, 'hv1');
    const names = (f: DesiredFlow) => { const e = explainCookie(f.cookie, v); return e.owner === 'esdn' ? e.resources.map((r) => r.id) : []; };
    const fipFlows = [...hv1.values()].filter((f) => names(f).includes(FIP));
    // ARP answer, ct to DNAT, new/est/rel DNAT, to inside; egress ct, new/est/rel SNAT, on-link and default out
    expect(fipFlows.map((f) => f.tableId).sort((a, b) => a - b)).toEqual([30, 30, 31, 31, 31, 32, 64, 65, 65, 65, 66, 66]);
    const explained = explainCookie(fipFlows[0].cookie, v);
    expect(explained.owner === 'esdn' && explained.resources).toEqual([{ kind: 'floating_ip', id: FIP, stream: `floatingip-${FIP}` }]);
    // hv2 maps the network but holds no VM of the floating IP; hv3 holds VM3 but maps nothing: no DVR NAT for FIP3
    expect(inTable(desiredFlows(v, 'hv2'), 31)).toHaveLength(0);
    expect(inTable(desiredFlows(v, 'hv3'), 31)).toHaveLength(0);
    expect(natZoneOf(v, ROUTER)).toBe(NAT_ZONE_FIRST);
    expect(field(inTable(hv1, 31)[0], 'ct_zone')?.value).toBe(NAT_ZONE_FIRST);
  });

  it('classifies the flat network untagged and the VLAN network by its tag (popped), each into its own metadata', () => {
    const hv1 = desiredFlows(world(), 'hv1');
    const classify = inTable(hv1, 0).filter((f) => field(f, 'vlan_vid') !== undefined);
    const flat = classify.find((f) => field(f, 'in_port')?.value === PHYS_OFPORT);
    const vlan = classify.find((f) => field(f, 'in_port')?.value === 8);
    expect(field(flat!, 'vlan_vid')?.value).toBe(0);
    expect(flat!.instructions).toContainEqual({ type: 'write_metadata', metadata: providerMetadata(EXT), mask: 0xffff_ffff_ffff_ffffn });
    expect(field(vlan!, 'vlan_vid')?.value).toBe(OFPVID_PRESENT | 100);
    expect(JSON.stringify(vlan!.instructions, (_k, x) => (typeof x === 'bigint' ? String(x) : x))).toContain('pop_vlan');
    expect(providerMetadata(EXT) >> 32n).toBe(1n);
    // hv3 maps no physical network: nothing external
    expect(inTable(desiredFlows(world(), 'hv3'), 30)).toHaveLength(0);
  });

  it('a neighbor observed on one host is reached from every host of the physical network, and its flow names the observation', () => {
    const v = world([neighborObserved('hv2', EXT, '172.16.0.100', '02:00:00:00:EE:01')]);
    for (const h of ['hv1', 'hv2']) {
      const n = inTable(desiredFlows(v, h), 67).filter((f) => f.priority === 100);
      expect(n).toHaveLength(1);
      const e = explainCookie(n[0].cookie, v);
      expect(e.owner === 'esdn' && e.resources).toEqual([{ kind: 'neighbor', id: `${EXT} 172.16.0.100 02:00:00:00:ee:01`, stream: 'switch-hv2' }]);
    }
    expect(inTable(desiredFlows(v, 'hv3'), 67)).toHaveLength(0);
  });

  it('a router with a gateway sends what no route matched to table 64, below every route', () => {
    const hv1 = desiredFlows(world(), 'hv1');
    const defaults = inTable(hv1, 62).filter((f) => f.instructions.some((i) => i.type === 'goto_table' && i.tableId === 64));
    expect(defaults).toHaveLength(1);
    expect(Math.min(...inTable(hv1, 62).filter((f) => f.priority > 0).map((f) => f.priority))).toBe(defaults[0].priority);
    const cleared = world([{ type: 'RouterGatewayCleared', data: { id: ROUTER, portId: 'rg000000-0000-4000-8000-00000000000e' } }]);
    expect(inTable(desiredFlows(cleared, 'hv1'), 62).filter((f) => f.instructions.some((i) => i.type === 'goto_table' && i.tableId === 64))).toHaveLength(0);
  });

  it('disassociating removes the NAT flows', () => {
    const v = world([{ type: 'FloatingIpDisassociated', data: { id: FIP } }]);
    expect(inTable(desiredFlows(v, 'hv1'), 31)).toHaveLength(0);
  });
});
