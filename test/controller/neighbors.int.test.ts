// Neighbor learning against a real OVS: projected flows on br-int, the neighbor handler on a real OpenFlow connection, an external namespace.
//
// No esdn process: a FlowProjection fed with fixture events gives the flows (ovs-ofctl replace-flows),
// and the handler records observations into a list instead of the log. An ARP from outside for the
// floating IP is answered by the switch and copied to the handler, which records the asker once;
// a VM behind the floating IP sending to an unknown outside address makes the switch send a
// packet-in from table 67, and the handler's ARP request (from the floating IP) is seen on the wire.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOpenFlowServer, type OpenFlowServer } from '../../openflow/server.ts';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import type { ExternalNeighborObserved } from '../../projections/topology/observations.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { attachNeighborHandler } from '../../src/controller/neighbors/handler.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';
import { addExternalSegment, type ExternalAddress, type ExternalSegment } from '../e2e/externalSegment.ts';
import { capture } from '../dataplane/support/capture.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../projections/support/topologyFixtures.ts';
import { pingStats } from '../support/pingStats.ts';
import { replaceFlows } from '../support/replaceFlows.ts';

const HOST = 'hv1';
const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const VM = '11111111-0000-4000-8000-000000000001';
const FIP = 'f1000000-0000-4000-8000-000000000001';
const FIP_IP = '172.16.0.11';

describeWithOvs('neighbor learning with a real switch (projected flows, handler on the OpenFlow connection)', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let vm: Vm;
  let ext: ExternalSegment;
  let outside: ExternalAddress;
  let server: OpenFlowServer;
  const proj = new FlowProjection();
  const recorded: ExternalNeighborObserved[] = [];

  const install = (): Promise<void> => replaceFlows(host, proj.desired(HOST).values());

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
    const sock = join(host.dir, 'esdn-of.sock');
    server = createOpenFlowServer({ listen: [{ unix: sock }], echoIntervalMs: 0 });
    server.on('switch', (sw) => {
      attachNeighborHandler(sw, {
        host: () => HOST, view: () => proj.view,
        record: async (e) => { recorded.push(e); proj.apply(e); await install(); },
      });
    });
    await server.listen();
    await host.setController({ unixPath: sock });
    ext = await addExternalSegment(tb, { name: 'X', hosts: [host], iface: 'ex-public' });
    outside = await ext.addAddress({ ip: '172.16.0.100/24', mac: '02:00:00:00:ee:01' });
    const iface = interfaceName(VM, {});
    vm = await host.addVm({ name: 'V1', iface, mac: '02:00:00:00:00:11', ip: '10.0.0.11/24', routes: [['ip', 'route', 'add', 'default', 'via', '10.0.0.1']] });
    const events: TopologyEvent[] = [
      networkCreated(NET, 201), providerNetworkCreated(EXT, 'public'), subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
      mappedHost(HOST, '192.168.50.1', { public: 'ex-public' }), switchPort(HOST, 'vxlan0', await host.ofportOf('vxlan0')),
      switchPort(HOST, 'ex-public', await host.ofportOf('ex-public')),
      { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
      servicePort('ra000000-0000-4000-8000-00000000000a', NET, '02:00:00:00:ff:0a', '10.0.0.1', 'sa', 'network:router_interface'),
      { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: 'ra000000-0000-4000-8000-00000000000a', subnetId: 'sa' } },
      servicePort('rg000000-0000-4000-8000-00000000000e', EXT, '02:00:00:00:ff:0e', '172.16.0.2', 'se', 'network:router_gateway'),
      gatewaySet(ROUTER, EXT, 'rg000000-0000-4000-8000-00000000000e', '172.16.0.2', 'se'),
      servicePort(VM, NET, '02:00:00:00:00:11', '10.0.0.11', 'sa', 'compute:nova'), portBound(VM, HOST), switchPort(HOST, iface, await host.ofportOf(iface)),
      servicePort('fp100000-0000-4000-8000-000000000001', EXT, '02:fe:00:00:00:01', FIP_IP, 'se', 'network:floatingip'),
      floatingIpCreated(FIP, EXT, 'se', FIP_IP, 'fp100000-0000-4000-8000-000000000001'), floatingIpAssociated(FIP, VM, '10.0.0.11', ROUTER),
    ];
    for (const e of events) proj.apply(e);
    await waitFor('switch connected', async () => ((await host.vsctl('get', 'controller', 'br-int', 'is_connected')).includes('true') ? true : undefined));
    await install();
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await tb?.teardown();
  });

  it('a VM sending to an unknown outside address makes esdn ask for it, from the floating IP; the answer is recorded once and traffic flows', async () => {
    const arps = await capture(ext.ns, ext.hostPort(host), 'arp', () =>
      waitFor('ping from the VM to outside', async () =>
        ((await vm.exec(['ping', '-n', '-c', '1', '-W', '1', outside.ip], { allowFailure: true })).code === 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 }));
    expect(arps.some((l) => l.includes(`Request who-has ${outside.ip} tell ${FIP_IP}`) && l.includes('02:fe:00:00:00:01'))).toBe(true);
    expect(recorded.filter((e) => e.data.ip === outside.ip)).toEqual([
      expect.objectContaining({ type: 'ExternalNeighborObserved', data: expect.objectContaining({ host: HOST, networkId: EXT, ip: outside.ip, mac: outside.mac }) }),
    ]);
  }, 30_000);

  it('an outside host asking for the floating IP is answered by the switch with the floating IP MAC, and a known neighbor is not recorded again', async () => {
    await ext.exec(['ip', 'neigh', 'flush', 'all']);
    const before = recorded.length;
    expect((await pingStats(ext, FIP_IP, 2)).received).toBe(2);
    expect((await ext.exec(['ip', 'neigh', 'show', FIP_IP])).stdout).toContain('02:fe:00:00:00:01');
    expect(recorded.length).toBe(before);
  }, 30_000);
});
