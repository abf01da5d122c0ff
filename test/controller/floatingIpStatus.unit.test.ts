// Floating IP status from confirmed flows: ACTIVE only when every NAT flow is held on its NAT host, DOWN when the NAT left that host or every host.
import { describe, expect, it } from 'vitest';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { ActiveFloatingIps, floatingIpStatusChanges } from '../../src/controller/floatingIpStatus.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../projections/support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const VM = '11111111-0000-4000-8000-000000000001';
const FIP = 'f1000000-0000-4000-8000-000000000001';

function world(extra: TopologyEvent[] = []) {
  const v = emptyView();
  const events: TopologyEvent[] = [
    networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'), subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), mappedHost('hv2', '192.0.2.2', {}), switchPort('hv1', 'ex-public', 7),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort('ra000000-0000-4000-8000-00000000000a', NET, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: 'ra000000-0000-4000-8000-00000000000a', subnetId: 'sa' } },
    gatewaySet(ROUTER, EXT, 'rg000000-0000-4000-8000-00000000000e', '172.16.0.2', 'se'),
    servicePort(VM, NET, '02:00:00:00:00:11', '10.0.0.11', 'sa', 'compute:nova'), portBound(VM, 'hv1'),
    servicePort('fp100000-0000-4000-8000-000000000001', EXT, '02:fe:00:00:00:01', '172.16.0.11', 'se', 'network:floatingip'),
    floatingIpCreated(FIP, EXT, 'se', '172.16.0.11', 'fp100000-0000-4000-8000-000000000001'), floatingIpAssociated(FIP, VM, '10.0.0.11', ROUTER),
    ...extra,
  ];
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

describe('floating IP status', () => {
  it('is ACTIVE after a sync of its NAT host that holds every NAT flow, and not before', () => {
    const all = () => true;
    expect(floatingIpStatusChanges(world(), 'hv1', all, () => 'DOWN', new ActiveFloatingIps())).toEqual([{ id: FIP, status: 'ACTIVE' }]);
    expect(floatingIpStatusChanges(world(), 'hv1', (k) => !k.startsWith('31/'), () => 'DOWN', new ActiveFloatingIps())).toEqual([]);
    expect(floatingIpStatusChanges(world(), 'hv2', all, () => 'DOWN', new ActiveFloatingIps())).toEqual([]);
    // already ACTIVE (a restarted controller reading the log): no change, but now it knows the host
    const activeOn = new ActiveFloatingIps();
    expect(floatingIpStatusChanges(world(), 'hv1', all, () => 'ACTIVE', activeOn)).toEqual([]);
    expect(activeOn.get(FIP)).toBe('hv1');
  });

  it('goes DOWN when disassociated, or when its VM moves to another host', () => {
    const gone = world([{ type: 'FloatingIpDisassociated', data: { id: FIP } }]);
    expect(floatingIpStatusChanges(gone, 'hv2', () => true, () => 'ACTIVE', new ActiveFloatingIps())).toEqual([{ id: FIP, status: 'DOWN' }]);
    const moved = world([portBound(VM, 'hv2')]);
    expect(floatingIpStatusChanges(moved, 'hv1', () => true, () => 'ACTIVE', new ActiveFloatingIps([[FIP, 'hv1']]))).toEqual([{ id: FIP, status: 'DOWN' }]);
    // still on its host, but its NAT flows are gone (the router is down)
    const down = world([{ type: 'RouterUpdated', data: { id: ROUTER, changes: { adminStateUp: false } } }]);
    expect(floatingIpStatusChanges(down, 'hv1', () => true, () => 'ACTIVE', new ActiveFloatingIps([[FIP, 'hv1']]))).toEqual([{ id: FIP, status: 'DOWN' }]);
  });
});
