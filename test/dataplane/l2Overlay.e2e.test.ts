// Proof with real OVS and real packets: the desired flows computed from a scripted event history give the L2 overlay.
//
// Two simulated hypervisors (ovs-vswitchd each in its own namespace, VXLAN underlay), two networks
// of two projects with the same CIDR, VMs named by the tap contract. The flows come only from the
// projection (no controller yet) and are loaded with `ovs-ofctl replace-flows`.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';
import { pingStats } from '../support/pingStats.ts';
import { capture } from './support/capture.ts';
import { ofctlLine } from './support/ofctlText.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';
import { replaceFlows } from '../support/replaceFlows.ts';

const NET1 = '0e100000-0000-4000-8000-000000000001';
const NET2 = '0e200000-0000-4000-8000-000000000002';
const VNI1 = 5001;
const VNI2 = 5002;
const CIDR_BITS = 24;

interface VmDef { name: string; host: 'A' | 'B'; id: string; net: string; mac: string; ip: string; ofport?: number }
/** net1 (project a): A1, A2 on host A, B1 on host B. net2 (project b), same CIDR: A3 on A, B2 on B; A3 has B1's IP and B2 has A1's. */
const VMS: VmDef[] = [
  { name: 'A1', host: 'A', id: 'a1000001-0000-4000-8000-000000000001', net: NET1, mac: '02:00:00:00:01:01', ip: '10.0.0.11' },
  // port 70: flooding on host A needs two chained flows (ports 0-63 and 64-127), so the chain is proven too
  { name: 'A2', host: 'A', id: 'a2000002-0000-4000-8000-000000000002', net: NET1, mac: '02:00:00:00:01:02', ip: '10.0.0.12', ofport: 70 },
  { name: 'A3', host: 'A', id: 'a3000003-0000-4000-8000-000000000003', net: NET2, mac: '02:00:00:00:01:03', ip: '10.0.0.21' },
  { name: 'B1', host: 'B', id: 'b1000001-0000-4000-8000-000000000001', net: NET1, mac: '02:00:00:00:02:01', ip: '10.0.0.21' },
  { name: 'B2', host: 'B', id: 'b2000002-0000-4000-8000-000000000002', net: NET2, mac: '02:00:00:00:02:02', ip: '10.0.0.11' },
];
const HOSTS = { A: { name: 'hv1', tunnelIp: '192.168.50.1' }, B: { name: 'hv2', tunnelIp: '192.168.50.2' } } as const;
const SPOOF_MAC = '02:00:00:00:66:66';
const SPOOF_IP = '10.0.0.99';

describeWithOvs('L2 overlay from projected flows (2 hosts, 5 VMs, 2 networks with the same CIDR)', () => {
  let tb: OvsTestbed;
  const hosts: Record<'A' | 'B', OvsHost> = {} as Record<'A' | 'B', OvsHost>;
  const vms: Record<string, Vm> = {};
  const proj = new FlowProjection();
  const def = (name: string) => VMS.find((v) => v.name === name)!;

  async function feed(events: TopologyEvent[]): Promise<void> {
    for (const e of events) proj.apply(e);
    for (const key of ['A', 'B'] as const) await replaceFlows(hosts[key], proj.desired(HOSTS[key].name).values(), ofctlLine);
  }

  /** Two probes, each given its full second (pingStats); how many answers came. */
  const ping = async (from: string, to: string, extra: string[] = []) => (await pingStats(vms[from], to, 2, { extra })).received;

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    hosts.A = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: HOSTS.A.tunnelIp });
    hosts.B = await tb.addHost({ name: 'B', datapathId: 0xa2n, tunnelIp: HOSTS.B.tunnelIp });
    const events: TopologyEvent[] = [networkCreated(NET1, VNI1, 'proj-a'), networkCreated(NET2, VNI2, 'proj-b')];
    for (const key of ['A', 'B'] as const) {
      events.push(hostRegistered(HOSTS[key].name, HOSTS[key].tunnelIp));
      events.push(switchPort(HOSTS[key].name, 'vxlan0', await hosts[key].ofportOf('vxlan0')));
    }
    for (const v of VMS) {
      const iface = interfaceName(v.id, {});
      vms[v.name] = await hosts[v.host].addVm({ name: v.name, iface, mac: v.mac, ip: `${v.ip}/${CIDR_BITS}`, ofport: v.ofport });
      events.push(portCreated({ id: v.id, networkId: v.net, mac: v.mac, ips: [v.ip] }), portBound(v.id, HOSTS[v.host].name),
        switchPort(HOSTS[v.host].name, iface, await hosts[v.host].ofportOf(iface)));
    }
    await feed(events);
  });

  afterAll(async () => {
    await tb?.teardown();
  });

  it('loads only esdn-marked flows, none with NORMAL', async () => {
    const dump = await hosts.A.dumpFlows();
    const lines = dump.split('\n').filter((l) => l.includes('table='));
    expect(lines.length).toBeGreaterThan(20);
    for (const l of lines) expect(l).toMatch(/cookie=0xe5d0/);
    expect(dump).not.toMatch(/NORMAL/);
  });

  it('carries ping between VMs of one network on the same host', async () => {
    expect(await ping('A1', def('A2').ip)).toBeGreaterThan(0);
  });

  it('carries ping between VMs of one network on different hosts over VXLAN with the network VNI', async () => {
    const lines = await capture(tb.underlayNs, 'ul0', 'udp port 4789', () => ping('A1', def('B1').ip));
    // tcpdump prints the VXLAN header, then the inner frame on the next line
    const echo = `${def('A1').ip} > ${def('B1').ip}: ICMP echo request`;
    const vnis = lines.flatMap((l, i) => (lines[i + 1]?.includes(echo) ? [/vni (\d+)/.exec(l)?.[1]] : []));
    expect(vnis.length).toBeGreaterThan(0);
    expect(new Set(vnis)).toEqual(new Set([String(VNI1)]));
    const trace = await hosts.A.trace('br-int',
      `in_port=${await hosts.A.ofportOf(interfaceName(def('A1').id, {}))},icmp,dl_src=${def('A1').mac},dl_dst=${def('B1').mac},nw_src=${def('A1').ip},nw_dst=${def('B1').ip},nw_ttl=64`);
    expect(trace).toContain(`tunneling to ${HOSTS.B.tunnelIp}`);
  });

  it('floods broadcast to every port of the network on both hosts (through the chained flood flows) and to no other', async () => {
    const who = 'arp and arp[24:4] = 0x0a00004d'; // ARP asking for 10.0.0.77, an address nobody in the log has
    const seen: Record<string, string[]> = {};
    const listen = (name: string, inner: () => Promise<unknown>) => async () => { seen[name] = await capture(vms[name].ns, vms[name].dev, who, inner); };
    const send = () => vms.A1.exec(['arping', '-c', '2', '-w', '2', '-I', vms.A1.dev, '10.0.0.77'], { allowFailure: true });
    await listen('A2', listen('B1', listen('A3', listen('B2', send))))();
    expect(seen.A2.length).toBeGreaterThan(0);
    expect(seen.B1.length).toBeGreaterThan(0);
    expect(seen.A3).toEqual([]);
    expect(seen.B2).toEqual([]);
    const flood = (await hosts.A.dumpFlows('br-int', 'table=80')).split('\n').filter((l) => l.includes('resubmit(,80)'));
    expect(flood.length).toBeGreaterThan(0);
  });

  it('keeps the two projects apart although they share 10.0.0.0/24: each reaches only its own network', async () => {
    // A3 (net2) has B1's address; B2 (net2) has A1's. Inside net2, A3 -> 10.0.0.11 must reach B2, not A1.
    expect(await ping('A3', def('B2').ip)).toBeGreaterThan(0);
    const neigh = (await vms.A3.exec(['ip', 'neigh', 'show', def('B2').ip])).stdout;
    expect(neigh).toContain(def('B2').mac);
    expect(neigh).not.toContain(def('A1').mac);
    // 10.0.0.12 exists only in net1
    expect(await ping('A3', def('A2').ip)).toBe(0);
    // and nothing of net2 shows up on A1's wire
    const seen = await capture(vms.A1.ns, vms.A1.dev, 'not ip6', () => ping('A3', '10.0.0.250'));
    expect(seen).toEqual([]);
  });

  it('answers ARP on the local switch: arping gets the remote VM\'s MAC and no ARP crosses the underlay', async () => {
    await vms.B1.exec(['ip', 'neigh', 'flush', 'dev', vms.B1.dev]);
    let reply = '';
    const underlay = await capture(tb.underlayNs, 'ul0', 'udp port 4789', async () => {
      reply = (await vms.B1.exec(['arping', '-c', '1', '-w', '2', '-I', vms.B1.dev, def('A1').ip], { allowFailure: true })).stdout;
    });
    expect(reply).toMatch(new RegExp(`reply from ${def('A1').ip.replace(/\./g, '\\.')} \\[${def('A1').mac}\\]`, 'i'));
    // (net2 may still be flooding A3's earlier ARP for 10.0.0.250: only ARP about A1's address counts)
    expect(underlay.filter((l) => l.includes(`who-has ${def('A1').ip} `) || l.includes(`${def('A1').ip} is-at`))).toEqual([]);
    // positive control: the same capture does see overlay traffic
    const control = await capture(tb.underlayNs, 'ul0', 'udp port 4789', () => ping('B1', def('A1').ip));
    expect(control.some((l) => l.includes('ICMP'))).toBe(true);
  });

  it('drops a spoofed source IP, a spoofed source MAC and forged ARP from a secured port', async () => {
    const a1 = vms.A1;
    const a2 = def('A2');
    await a1.exec(['ip', 'neigh', 'replace', a2.ip, 'lladdr', a2.mac, 'dev', a1.dev]);
    await a1.exec(['ip', 'addr', 'add', `${SPOOF_IP}/32`, 'dev', a1.dev]);
    try {
      const ipSpoof = await capture(vms.A2.ns, vms.A2.dev, `icmp and src host ${SPOOF_IP}`, () => ping('A1', a2.ip, ['-I', SPOOF_IP]));
      expect(ipSpoof).toEqual([]);
      const garp = await capture(vms.A2.ns, vms.A2.dev, `arp and host ${SPOOF_IP}`, () =>
        a1.exec(['arping', '-U', '-c', '2', '-w', '2', '-I', a1.dev, '-s', SPOOF_IP, SPOOF_IP], { allowFailure: true }));
      expect(garp).toEqual([]);
      // forged ARP about another VM's address (B1's 10.0.0.21) from A1's own IP setup
      await a1.exec(['ip', 'addr', 'add', `${def('B1').ip}/32`, 'dev', a1.dev]);
      const forged = await capture(vms.A2.ns, vms.A2.dev, `arp and host ${def('B1').ip}`, () =>
        a1.exec(['arping', '-U', '-c', '2', '-w', '2', '-I', a1.dev, '-s', def('B1').ip, def('B1').ip], { allowFailure: true }));
      expect(forged).toEqual([]);
      await a1.exec(['ip', 'addr', 'del', `${def('B1').ip}/32`, 'dev', a1.dev]);
      await a1.exec(['ip', 'link', 'set', a1.dev, 'address', SPOOF_MAC]);
      const macSpoof = await capture(vms.A2.ns, vms.A2.dev, `ether src ${SPOOF_MAC}`, () => ping('A1', a2.ip));
      expect(macSpoof).toEqual([]);
    } finally {
      await a1.exec(['ip', 'link', 'set', a1.dev, 'address', def('A1').mac]);
    }
    // the port's own traffic still flows
    expect(await ping('A1', a2.ip)).toBeGreaterThan(0);
  });

  it('lets the same spoofed traffic through once port_security_enabled=false is in the log', async () => {
    await feed([{ type: 'PortUpdated', data: { id: def('A1').id, changes: { portSecurityEnabled: false } } }]);
    const a2 = def('A2');
    const got = await capture(vms.A2.ns, vms.A2.dev, `icmp and src host ${SPOOF_IP}`, () => ping('A1', a2.ip, ['-I', SPOOF_IP]));
    expect(got.length).toBeGreaterThan(0);
    const a1 = vms.A1;
    const garp = await capture(vms.A2.ns, vms.A2.dev, `arp and host ${SPOOF_IP}`, () =>
      a1.exec(['arping', '-U', '-c', '1', '-w', '1', '-I', a1.dev, '-s', SPOOF_IP, SPOOF_IP], { allowFailure: true }));
    expect(garp.length).toBeGreaterThan(0);
  });
});
