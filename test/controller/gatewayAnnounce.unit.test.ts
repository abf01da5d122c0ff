// The gateway announcement waits for every flow the gateway host needs for the router (its gateway unit and the next hops of the router's ports), then goes out once.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { TABLE_NEXT_HOP } from '../../projections/pipeline/tables.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { GatewayAnnouncer } from '../../src/controller/gatewayScheduler/announce.ts';
import { gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet } from '../projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../projections/support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const LEG_PORT = 'ra000000-0000-4000-8000-00000000000a';
const GW_PORT = 'rg000000-0000-4000-8000-00000000000e';
const GW_MAC = '02:00:00:00:ff:0e';
const GW_IP = '172.16.0.2';
const VM = '33333333-0000-4000-8000-000000000003';
const ARP_ETHERTYPE = 0x0806;

/** hv1 maps `public` and carries the gateway; the VM is on hv2, which does not. */
function view() {
  const events: TopologyEvent[] = [
    networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'),
    subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', {}),
    switchPort('hv1', 'vxlan0', 100), switchPort('hv1', 'ex-public', 7), switchPort('hv2', 'vxlan0', 100),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort(LEG_PORT, NET, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: LEG_PORT, subnetId: 'sa' } },
    servicePort(GW_PORT, EXT, GW_MAC, GW_IP, 'se', 'network:router_gateway'),
    gatewaySet(ROUTER, EXT, GW_PORT, GW_IP, 'se'),
    servicePort(VM, NET, '02:00:00:00:00:33', '10.0.0.33', 'sa', 'compute:nova'), portBound(VM, 'hv2'), switchPort('hv2', `tap${VM.slice(0, 11)}`, 1),
    { type: 'RouterGatewayHostScheduled', data: { id: ROUTER, host: 'hv1', reason: 'gateway_set', physicalNetwork: 'public', at: '2026-11-26T00:00:00Z' } },
  ];
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

describe('gateway announcement', () => {
  it('waits until the next hops of the router ports are confirmed too, then sends one gratuitous ARP from the gateway MAC out the physical port', () => {
    const v = view();
    const sent: { host: string; frame: Buffer }[] = [];
    const announcer = new GatewayAnnouncer((host, frame) => sent.push({ host, frame }));
    const nextHops = [...desiredFlows(v, 'hv1').entries()].filter(([, f]) => f.tableId === TABLE_NEXT_HOP).map(([k]) => k);
    expect(nextHops.length).toBeGreaterThan(0);

    announcer.synced(v, 'hv1', (key) => !nextHops.includes(key));
    expect(sent).toEqual([]);

    announcer.synced(v, 'hv1', () => true);
    announcer.synced(v, 'hv1', () => true);
    expect(sent.map((s) => s.host)).toEqual(['hv1']);
    const frame = sent[0].frame;
    expect(frame.readUInt16BE(12)).toBe(ARP_ETHERTYPE);
    expect([...frame.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':')).toBe(GW_MAC);
  });

  it('announces nothing from a host that is not the gateway host', () => {
    const sent: string[] = [];
    new GatewayAnnouncer((host) => sent.push(host)).synced(view(), 'hv2', () => true);
    expect(sent).toEqual([]);
  });
});
