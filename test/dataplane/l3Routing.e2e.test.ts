// Proof with real OVS and real packets: distributed east-west routing between two subnets of one router, done on the sending host.
//
// Three simulated hypervisors. net1 (10.1.0.0/24) has A1 on host A and C1 on host C; net2
// (10.2.0.0/24) has B1 on host B. One router joins both subnets; its ports are bound nowhere. A1 and
// B1 ping and talk TCP across the subnets: the router's gateway answers ARP on the local switch, the
// TTL drops by one, MACs are rewritten, and the underlay shows A<->B only, never a packet for host C.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';
import { capture } from './support/capture.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';
import { replaceFlows } from '../support/replaceFlows.ts';

const NET1 = '0e100000-0000-4000-8000-0000000000f1';
const NET2 = '0e200000-0000-4000-8000-0000000000f2';
const SUB1 = '5b100000-0000-4000-8000-0000000000f1';
const SUB2 = '5b200000-0000-4000-8000-0000000000f2';
const VNI1 = 8001;
const VNI2 = 8002;
const ROUTER = 'f0000000-0000-4000-8000-0000000000aa';
const RPORT1 = { id: 'f1000000-0000-4000-8000-0000000000a1', mac: '02:00:00:00:f1:01', ip: '10.1.0.1' };
const RPORT2 = { id: 'f2000000-0000-4000-8000-0000000000a2', mac: '02:00:00:00:f2:01', ip: '10.2.0.1' };
const HOSTS = {
  A: { name: 'hv1', tunnelIp: '192.168.50.1' }, B: { name: 'hv2', tunnelIp: '192.168.50.2' }, C: { name: 'hv3', tunnelIp: '192.168.50.3' },
} as const;
type HostKey = keyof typeof HOSTS;
interface VmDef { name: string; host: HostKey; id: string; mac: string; ip: string; net: string; subnet: string; gw: string }
const VMS: VmDef[] = [
  { name: 'A1', host: 'A', id: 'a1000001-0000-4000-8000-0000000000f1', mac: '02:00:00:00:a1:01', ip: '10.1.0.11', net: NET1, subnet: SUB1, gw: RPORT1.ip },
  { name: 'C1', host: 'C', id: 'c1000001-0000-4000-8000-0000000000f1', mac: '02:00:00:00:c1:01', ip: '10.1.0.31', net: NET1, subnet: SUB1, gw: RPORT1.ip },
  { name: 'B1', host: 'B', id: 'b1000001-0000-4000-8000-0000000000f2', mac: '02:00:00:00:b1:01', ip: '10.2.0.21', net: NET2, subnet: SUB2, gw: RPORT2.ip },
];
const TCP_PORT = 5001;

function port(id: string, networkId: string, mac: string, ip: string, subnetId: string, deviceOwner = 'compute:nova'): TopologyEvent {
  const e = portCreated({ id, networkId, mac, ips: [ip] });
  if (e.type !== 'PortCreated') throw new Error('fixture');
  return { ...e, data: { ...e.data, deviceOwner, fixedIps: [{ subnetId, ipAddress: ip }] } };
}

describeWithOvs('distributed routing from projected flows (3 hosts, 2 subnets, 1 router)', () => {
  let tb: OvsTestbed;
  const hosts = {} as Record<HostKey, OvsHost>;
  const vms: Record<string, Vm> = {};
  const proj = new FlowProjection();
  const children: ChildProcess[] = [];
  const def = (name: string) => VMS.find((v) => v.name === name)!;

  async function feed(events: TopologyEvent[]): Promise<void> {
    for (const e of events) proj.apply(e);
    for (const key of Object.keys(HOSTS) as HostKey[]) await replaceFlows(hosts[key], proj.desired(HOSTS[key].name).values());
  }

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    let dpid = 0xf1n;
    for (const key of Object.keys(HOSTS) as HostKey[]) hosts[key] = await tb.addHost({ name: key, datapathId: dpid++, tunnelIp: HOSTS[key].tunnelIp });
    const events: TopologyEvent[] = [
      networkCreated(NET1, VNI1), networkCreated(NET2, VNI2),
      { type: 'SubnetCreated', data: { id: SUB1, networkId: NET1, ipVersion: 4, cidr: '10.1.0.0/24', gatewayIp: RPORT1.ip } },
      { type: 'SubnetCreated', data: { id: SUB2, networkId: NET2, ipVersion: 4, cidr: '10.2.0.0/24', gatewayIp: RPORT2.ip } },
    ];
    for (const key of Object.keys(HOSTS) as HostKey[]) {
      events.push(hostRegistered(HOSTS[key].name, HOSTS[key].tunnelIp), switchPort(HOSTS[key].name, 'vxlan0', await hosts[key].ofportOf('vxlan0')));
    }
    for (const v of VMS) {
      const iface = interfaceName(v.id, {});
      vms[v.name] = await hosts[v.host].addVm({ name: v.name, iface, mac: v.mac, ip: `${v.ip}/24`, routes: [['ip', 'route', 'add', 'default', 'via', v.gw]] });
      events.push(port(v.id, v.net, v.mac, v.ip, v.subnet), portBound(v.id, HOSTS[v.host].name),
        switchPort(HOSTS[v.host].name, iface, await hosts[v.host].ofportOf(iface)));
    }
    events.push(
      { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
      port(RPORT1.id, NET1, RPORT1.mac, RPORT1.ip, SUB1, 'network:router_interface'),
      { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORT1.id, subnetId: SUB1 } },
      port(RPORT2.id, NET2, RPORT2.mac, RPORT2.ip, SUB2, 'network:router_interface'),
      { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORT2.id, subnetId: SUB2 } },
    );
    await feed(events);
  });

  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill('SIGTERM');
    await tb?.teardown();
  });

  it('answers ARP for the gateway on the local switch with the router port\'s MAC', async () => {
    const r = await vms.A1.exec(['arping', '-c', '1', '-w', '2', '-I', vms.A1.dev, RPORT1.ip], { allowFailure: true });
    expect(r.stdout).toMatch(new RegExp(`\\[${RPORT1.mac}\\]`, 'i'));
  });

  it('routes ping across subnets and hosts with the TTL decremented once, and the underlay shows no packet for the third host', async () => {
    const toC = await capture(tb.underlayNs, 'ulC', `udp port 4789 and dst host ${HOSTS.C.tunnelIp}`, async () => {
      const p = await vms.A1.exec(['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', def('B1').ip], { allowFailure: true });
      expect(p.code).toBe(0);
      // Linux starts at TTL 64: one router hop on the way back
      expect(p.stdout).toMatch(/ttl=63/);
    });
    // (net1's own broadcast and IPv6 multicast still flood to C, which has a port in net1: only routed traffic counts)
    const routedToC = toC.filter((l, i) => /ICMP echo/.test(l) || /ICMP echo/.test(toC[i + 1] ?? '') && /vni/.test(l));
    expect(routedToC).toEqual([]);
    // positive control: the same capture sees traffic that is for C
    const control = await capture(tb.underlayNs, 'ulC', `udp port 4789 and dst host ${HOSTS.C.tunnelIp}`, () => vms.A1.ping(def('C1').ip, { count: 1 }));
    expect(control.some((l) => /ICMP echo/.test(l))).toBe(true);
    // and the packets did travel A<->B directly, A->B in the destination network's VNI
    const ab = await capture(tb.underlayNs, 'ul0', `udp port 4789 and src host ${HOSTS.A.tunnelIp} and dst host ${HOSTS.B.tunnelIp}`,
      () => vms.A1.exec(['ping', '-n', '-c', '2', '-i', '0.2', '-W', '1', def('B1').ip], { allowFailure: true }));
    expect(ab.some((l) => l.includes(`vni ${VNI2}`))).toBe(true);
  });

  it('rewrites MACs: B1 sees the packet from its own gateway MAC, A1 sees replies from its gateway MAC', async () => {
    const atB = await capture(vms.B1.ns, vms.B1.dev, `icmp and src host ${def('A1').ip}`, () => vms.A1.ping(def('B1').ip, { count: 1 }));
    expect(atB.some((l) => l.includes(`${RPORT2.mac} > ${def('B1').mac}`))).toBe(true);
    const atA = await capture(vms.A1.ns, vms.A1.dev, `icmp and src host ${def('B1').ip}`, () => vms.A1.ping(def('B1').ip, { count: 1 }));
    expect(atA.some((l) => l.includes(`${RPORT1.mac} > ${def('A1').mac}`))).toBe(true);
  });

  it('carries TCP across the subnets (and from the other host of net1 too)', async () => {
    const srv = spawn('ip', ['netns', 'exec', vms.B1.ns, 'nc', '-lk', String(TCP_PORT)], { stdio: 'ignore' });
    children.push(srv);
    await new Promise((r) => setTimeout(r, 300));
    for (const from of ['A1', 'C1']) {
      const r = await vms[from].exec(['nc', '-z', '-w', '3', def('B1').ip, String(TCP_PORT)], { allowFailure: true });
      expect(r.code).toBe(0);
    }
  });

  it('composes with security groups: routed traffic meets the destination port\'s ingress rules (tcp/5001 only)', async () => {
    const b1 = def('B1');
    const created = port(b1.id, b1.net, b1.mac, b1.ip, b1.subnet);
    if (created.type !== 'PortCreated') throw new Error('fixture');
    await feed([
      { type: 'SecurityGroupRuleCreated', data: { id: 'web-in', securityGroupId: 'web', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp',
        portRangeMin: TCP_PORT, portRangeMax: TCP_PORT, remoteIpPrefix: '10.1.0.0/24', remoteGroupId: null } },
      { type: 'SecurityGroupRuleCreated', data: { id: 'web-out', securityGroupId: 'web', direction: 'egress', ethertype: 'IPv4', protocol: null,
        portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null } },
      { type: 'PortUpdated', data: { id: b1.id, changes: { securityGroups: ['web'] } } },
    ]);
    try {
      expect((await vms.A1.ping(b1.ip, { count: 2, timeoutS: 1 })).received).toBe(0);
      expect((await vms.A1.exec(['nc', '-z', '-w', '3', b1.ip, String(TCP_PORT)], { allowFailure: true })).code).toBe(0);
      expect((await vms.A1.exec(['nc', '-z', '-w', '2', b1.ip, String(TCP_PORT + 1)], { allowFailure: true })).code).not.toBe(0);
    } finally {
      // open the group again for the next test ([] would mean "secured, no rules": drop all, as in Neutron)
      await feed([{ type: 'SecurityGroupRuleCreated', data: { id: 'web-all', securityGroupId: 'web', direction: 'ingress', ethertype: 'IPv4',
        protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null } }]);
    }
  });

  it('stops routing when the interface leaves the router', async () => {
    await feed([{ type: 'RouterInterfaceRemoved', data: { id: ROUTER, portId: RPORT2.id, subnetId: SUB2 } }]);
    expect((await vms.A1.ping(def('B1').ip, { count: 2, timeoutS: 1 })).received).toBe(0);
    await feed([{ type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORT2.id, subnetId: SUB2 } }]);
    expect((await vms.A1.ping(def('B1').ip, { count: 2, timeoutS: 1 })).received).toBeGreaterThan(0);
  });
});
