// Which ports a confirmed barrier makes ACTIVE: bound to the host, admin up, on an overlay network, interface seen on the switch.
import { describe, expect, it } from 'vitest';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { wiredPorts } from '../../src/controller/portStatus.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort, switchPortRemoved } from '../projections/support/topologyFixtures.ts';

const NET = '0e100000-0000-4000-8000-000000000001';
const VLAN_NET = '0e200000-0000-4000-8000-000000000002';
const P1 = 'a1000001-0000-4000-8000-000000000001';
const P2 = 'a2000002-0000-4000-8000-000000000002';
const P3 = 'a3000003-0000-4000-8000-000000000003';

function fold(events: TopologyEvent[]): FlowProjection {
  const p = new FlowProjection();
  for (const e of events) p.apply(e);
  return p;
}

const base: TopologyEvent[] = [
  hostRegistered('hv1', '192.168.50.1'), networkCreated(NET, 5001), networkCreated(VLAN_NET, null),
  portCreated({ id: P1, networkId: NET, mac: '02:00:00:00:01:01', ips: ['10.0.0.11'] }), portBound(P1, 'hv1'),
];

describe('wiredPorts', () => {
  it('a bound port is wired only once its interface was seen on the switch, with that ofport', () => {
    expect([...wiredPorts(fold(base).view, 'hv1')]).toEqual([]);
    const seen = fold([...base, switchPort('hv1', interfaceName(P1, {}), 7)]);
    expect([...wiredPorts(seen.view, 'hv1')]).toEqual([[P1, 7]]);
    // and every port with an ofport has its own flows in the desired table (the cookie names it)
    expect([...seen.desired('hv1').values()].some((f) => f.tableId === 0 && f.match.some((o) => o.field === 'in_port' && o.value === 7))).toBe(true);
  });

  it('not wired: interface gone, admin down, a network the overlay does not carry, another host, an unregistered host', () => {
    const iface = (id: string) => interfaceName(id, {});
    const gone = fold([...base, switchPort('hv1', iface(P1), 7), switchPortRemoved('hv1', iface(P1))]);
    expect(wiredPorts(gone.view, 'hv1').size).toBe(0);
    const others = fold([
      ...base, switchPort('hv1', iface(P1), 7),
      portCreated({ id: P2, networkId: NET, mac: '02:00:00:00:01:02', adminStateUp: false }), portBound(P2, 'hv1'), switchPort('hv1', iface(P2), 8),
      portCreated({ id: P3, networkId: VLAN_NET, mac: '02:00:00:00:01:03' }), portBound(P3, 'hv1'), switchPort('hv1', iface(P3), 9),
    ]);
    expect([...wiredPorts(others.view, 'hv1').keys()]).toEqual([P1]);
    expect(wiredPorts(others.view, 'hv2').size).toBe(0);
  });
});
