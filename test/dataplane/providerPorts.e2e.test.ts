// Proof with real OVS and real packets: VMs bound directly on provider networks (flat and VLAN), the physical network as underlay.
//
// esdn runs as a real process and gets everything through its HTTP API. Hosts A and B map the
// physical network "public" to their port ex-public, which reaches a learning switch in the external
// namespace (./e2e/externalSegment.ts): 172.16.0.100 untagged (flat), 172.16.1.100 on VLAN 101.
// VMs: FA on the flat network (A); VA (A) and VB (B) on VLAN 101; V2 (B) and V2A (A) on VLAN 102 with
// the same CIDR as VLAN 101, so only L2 isolation keeps them apart. Every VM has port security and the default
// security group. A fourth network lives on a physical network no host maps: its port stays DOWN.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { E2eBed, pingStats, type NetworkRef, type VmRef } from '../e2e/harness.ts';
import { addExternalSegment, type ExternalAddress, type ExternalSegment } from '../e2e/externalSegment.ts';
import { capture } from './support/capture.ts';

const PHYSNET = 'public';
const PHYS_IFACE = 'ex-public';

describeWithOvs('esdn e2e: VMs directly on flat and VLAN provider networks (2 hosts, external namespace)', () => {
  let bed: E2eBed;
  let ext: ExternalSegment;
  let outsideFlat: ExternalAddress;
  let outside101: ExternalAddress;
  let flat: NetworkRef;
  let v101: NetworkRef;
  let v102: NetworkRef;
  const vms: Record<string, VmRef> = {};

  async function providerNetwork(name: string, cidr: string, type: 'flat' | 'vlan', vlan?: number, physnet = PHYSNET): Promise<NetworkRef> {
    const n = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name, project_id: 'project-a', 'provider:physical_network': physnet, 'provider:network_type': type, ...(vlan === undefined ? {} : { 'provider:segmentation_id': vlan }) },
    });
    const s = await bed.api<{ subnet: { id: string } }>('POST', '/v2.0/subnets', {
      subnet: { network_id: n.network.id, project_id: 'project-a', cidr, ip_version: 4, gateway_ip: null },
    });
    return { id: n.network.id, projectId: 'project-a', subnetId: s.subnet.id };
  }

  /** How many of `count` probes were answered, each given its full second (pingStats). */
  const ping = async (v: VmRef, to: string, count = 3, extra: string[] = []) => (await pingStats(v.vm, to, count, { extra })).received;
  /** The first packets may wait for the far side's ARP: a few tries. */
  const reaches = (v: VmRef, to: string) =>
    waitFor(`${v.vm.spec.name} -> ${to}`, async () => ((await ping(v, to, 1)) === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });

  beforeAll(async () => {
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1', bridgeMappings: { [PHYSNET]: PHYS_IFACE } },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2', bridgeMappings: { [PHYSNET]: PHYS_IFACE } },
    ]);
    ext = await addExternalSegment(bed.tb, { name: 'X', hosts: [bed.ovs('A'), bed.ovs('B')], iface: PHYS_IFACE });
    outsideFlat = await ext.addAddress({ ip: '172.16.0.100/24', mac: '02:00:00:00:ee:01' });
    outside101 = await ext.addAddress({ ip: '172.16.1.100/24', mac: '02:00:00:00:ee:02', vlan: 101 });
    flat = await providerNetwork('flat', '172.16.0.0/24', 'flat');
    v101 = await providerNetwork('vlan101', '172.16.1.0/24', 'vlan', 101);
    v102 = await providerNetwork('vlan102', '172.16.1.0/24', 'vlan', 102);
    vms.FA = await bed.addVm('A', flat, { name: 'FA', mac: '02:00:00:00:0f:01', ip: '172.16.0.11' });
    vms.VA = await bed.addVm('A', v101, { name: 'VA', mac: '02:00:00:00:0a:01', ip: '172.16.1.11' });
    vms.VB = await bed.addVm('B', v101, { name: 'VB', mac: '02:00:00:00:0b:01', ip: '172.16.1.21' });
    vms.V2 = await bed.addVm('B', v102, { name: 'V2', mac: '02:00:00:00:02:02', ip: '172.16.1.22' });
    vms.V2A = await bed.addVm('A', v102, { name: 'V2A', mac: '02:00:00:00:02:0a', ip: '172.16.1.32' });
    for (const v of Object.values(vms)) await bed.waitStatus(v.portId, 'ACTIVE');
  }, 180_000);

  afterAll(async () => {
    await bed?.teardown();
  }, 60_000);

  it('a VM on the flat network pings an address on the physical network, untagged', async () => {
    await reaches(vms.FA, outsideFlat.ip);
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('A')), 'icmp or (vlan and icmp)', async () => {
      expect(await ping(vms.FA, outsideFlat.ip)).toBe(3);
    });
    const requests = lines.filter((l) => l.includes(`${vms.FA.ip} > ${outsideFlat.ip}: ICMP echo request`));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l).not.toContain('vlan');
    // the VM's own MAC on the wire: no NAT, no router, the physical network is its network
    for (const l of requests) expect(l).toContain(vms.FA.mac);
  }, 60_000);

  it('a VM on VLAN 101 pings an address of VLAN 101 on the physical network; the wire carries the tag both ways', async () => {
    await reaches(vms.VA, outside101.ip);
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('A')), 'icmp or (vlan and icmp)', async () => {
      expect(await ping(vms.VA, outside101.ip)).toBe(3);
    });
    const icmp = lines.filter((l) => l.includes('ICMP echo'));
    expect(icmp.filter((l) => l.includes('echo request')).length).toBeGreaterThanOrEqual(3);
    expect(icmp.filter((l) => l.includes('echo reply')).length).toBeGreaterThanOrEqual(3);
    for (const l of icmp) expect(l).toContain('vlan 101');
  }, 60_000);

  it('ofproto/trace: a tagged frame from the physical port to VA is popped and delivered to its tap only', async () => {
    const ofport = (await bed.ovs('A').vsctl('get', 'interface', PHYS_IFACE, 'ofport')).trim();
    const trace = await bed.ovs('A').appctl('ofproto/trace', 'br-int',
      `in_port=${ofport},dl_vlan=101,dl_src=${outside101.mac},dl_dst=${vms.VA.mac},arp,arp_op=2,arp_spa=${outside101.ip},arp_tpa=${vms.VA.ip},arp_sha=${outside101.mac},arp_tha=${vms.VA.mac}`);
    expect(trace).toContain('pop_vlan');
    expect(trace).toMatch(/Datapath actions: .*pop_vlan/);
    expect(trace).not.toMatch(/Datapath actions: .*set\(tunnel/);
  }, 30_000);

  it('two VMs of VLAN 101 on two hosts ping each other over the physical network (tagged, not VXLAN)', async () => {
    await reaches(vms.VB, vms.VA.ip);
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('B')), 'icmp or (vlan and icmp) or udp port 4789', async () => {
      expect(await ping(vms.VB, vms.VA.ip)).toBe(3);
    });
    const icmp = lines.filter((l) => l.includes('ICMP echo'));
    expect(icmp.filter((l) => l.includes(`${vms.VB.ip} > ${vms.VA.ip}: ICMP echo request`)).length).toBeGreaterThanOrEqual(3);
    for (const l of icmp) expect(l).toContain('vlan 101');
    expect(lines.join('\n')).not.toContain('4789');
    // ARP from both VMs crosses the physical network (to the outside address, unknown to the ARP responder) and
    // reaches the other host's table 30: the outside answer is learned (positive control), the VMs are not
    // external neighbors (no table 67 flow for 172.16.1.11 / .21)
    for (const v of [vms.VA, vms.VB]) await v.vm.exec(['arping', '-c', '1', '-w', '1', '-I', 'eth0', outside101.ip], { allowFailure: true });
    const flows = await waitFor('outside address learned', async () => {
      const f = await bed.desiredFlows('A');
      return f.some((x) => x.flow.includes('table=67') && x.flow.includes('reg5=0xac100164')) ? f : undefined;
    }, { timeoutMs: 10_000, intervalMs: 200 });
    await new Promise((r) => setTimeout(r, 500));
    const neighbors = [...flows, ...(await bed.desiredFlows('A'))].filter((f) => f.flow.includes('table=67') && /reg5=0xac10010b|reg5=0xac100115/.test(f.flow));
    expect(neighbors).toEqual([]);
  }, 60_000);

  it('ARP for a VM of the network is answered on the local switch: no ARP about it crosses the physical network', async () => {
    await vms.VB.vm.exec(['ip', 'neigh', 'flush', 'dev', 'eth0']);
    let reply = '';
    const wire = await capture(ext.ns, ext.hostPort(bed.ovs('B')), 'arp or (vlan and arp)', async () => {
      reply = (await vms.VB.vm.exec(['arping', '-c', '1', '-w', '2', '-I', 'eth0', vms.VA.ip], { allowFailure: true })).stdout;
    });
    expect(reply).toMatch(new RegExp(`reply from ${vms.VA.ip.replace(/\./g, '\\.')} \\[${vms.VA.mac}\\]`, 'i'));
    expect(wire.filter((l) => l.includes(`who-has ${vms.VA.ip} `) || l.includes(`${vms.VA.ip} is-at`))).toEqual([]);
  }, 30_000);

  it('a VM on VLAN 102 (same CIDR) reaches its own network across hosts but neither VA nor VLAN 101 outside; its frames leave tagged 102 only', async () => {
    await reaches(vms.V2, vms.V2A.ip);
    expect(await ping(vms.V2, vms.V2A.ip)).toBe(3);
    expect(await ping(vms.V2, vms.VA.ip, 3)).toBe(0);
    expect(await ping(vms.V2, outside101.ip, 2)).toBe(0);
    expect(await ping(vms.VA, vms.V2.ip, 2)).toBe(0);
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('B')), 'arp or (vlan and arp)', async () => {
      await ping(vms.V2, '172.16.1.99', 1);
    });
    const asks = lines.filter((l) => l.includes('who-has 172.16.1.99'));
    expect(asks.length).toBeGreaterThanOrEqual(1);
    for (const l of asks) expect(l).toContain('vlan 102');
  }, 60_000);

  it('security groups as on tenant networks: the default group keeps the physical network out, a rule lets it in', async () => {
    const pingFromOutside = async (to: string, count = 2) => (await pingStats(ext, to, count, { extra: ['-I', outside101.dev] })).received;
    // VB (same group) reached VA above; the outside is no member: nothing new gets in
    expect(await pingFromOutside(vms.VA.ip)).toBe(0);
    const port = await bed.api<{ port: { security_groups: string[] } }>('GET', `/v2.0/ports/${vms.VA.portId}`);
    await bed.api('POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: port.port.security_groups[0], direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', remote_ip_prefix: '172.16.1.100/32' },
    });
    await waitFor('ping from outside through the new rule', async () => ((await pingFromOutside(vms.VA.ip, 1)) === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
  }, 60_000);

  it('anti-spoofing: a VM sending from an address or MAC that is not its own gets nothing through', async () => {
    await reaches(vms.VA, outside101.ip);
    const wire = ext.hostPort(bed.ovs('A'));
    await vms.VA.vm.exec(['ip', 'addr', 'add', '172.16.1.99/24', 'dev', 'eth0']);
    try {
      const lines = await capture(ext.ns, wire, 'vlan', async () => {
        expect(await ping(vms.VA, outside101.ip, 3, ['-I', '172.16.1.99'])).toBe(0);
      });
      // neither the spoofed packets nor an ARP claiming the address left the host
      expect(lines.filter((l) => l.includes('172.16.1.99 >') || l.includes('tell 172.16.1.99') || l.includes('172.16.1.99 is-at'))).toEqual([]);
    } finally {
      await vms.VA.vm.exec(['ip', 'addr', 'del', '172.16.1.99/24', 'dev', 'eth0']);
    }
    await vms.VA.vm.exec(['ip', 'link', 'set', 'eth0', 'address', '02:00:00:00:0a:99']);
    try {
      const lines = await capture(ext.ns, wire, 'vlan', async () => {
        expect(await ping(vms.VA, outside101.ip, 3)).toBe(0);
      });
      expect(lines.filter((l) => l.includes('02:00:00:00:0a:99'))).toEqual([]);
    } finally {
      await vms.VA.vm.exec(['ip', 'link', 'set', 'eth0', 'address', vms.VA.mac]);
    }
    await reaches(vms.VA, outside101.ip);
  }, 60_000);

  it('DHCP on a provider network is answered by esdn: the VM gets its fixed IP, nothing of it reaches the physical network', async () => {
    const lease = `/tmp/esdn-p-dhcp-${process.pid}.leases`;
    const pidFile = `/tmp/esdn-p-dhcp-${process.pid}.pid`;
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('A')), 'udp port 67 or (vlan and udp port 67)', async () => {
      await vms.FA.vm.exec(['timeout', '20', 'dhclient', '-4', '-1', '-sf', '/bin/true', '-lf', lease, '-pf', pidFile, 'eth0'], { allowFailure: true });
    });
    const pid = (await vms.FA.vm.exec(['cat', pidFile], { allowFailure: true })).stdout.trim();
    if (/^\d+$/.test(pid)) await vms.FA.vm.exec(['kill', pid], { allowFailure: true });
    const leases = (await vms.FA.vm.exec(['cat', lease], { allowFailure: true })).stdout;
    expect(leases).toContain(`fixed-address ${vms.FA.ip};`);
    expect(lines).toEqual([]);
  }, 60_000);

  it('a restarted esdn finds every flow of the provider ports in place (nothing re-sent), and they keep forwarding', async () => {
    const syncs = await bed.restartEsdn();
    for (const s of syncs) {
      expect(s.deletes, JSON.stringify(s.changed)).toBe(0);
      expect(s.changed, JSON.stringify(s.changed)).toEqual([]);
    }
    expect(await ping(vms.VB, vms.VA.ip)).toBe(3);
  }, 60_000);

  it('a port on a physical network no host maps stays DOWN (binding failed) and gets no flows', async () => {
    const nowhere = await providerNetwork('nowhere', '172.16.9.0/24', 'vlan', 109, 'nowhere');
    const v = await bed.addVm('A', nowhere, { name: 'N', mac: '02:00:00:00:09:09', ip: '172.16.9.11' });
    await bed.waitConverged('A');
    expect(await bed.portStatus(v.portId)).toBe('DOWN');
    const port = await bed.api<{ port: Record<string, unknown> }>('GET', `/v2.0/ports/${v.portId}`);
    expect(port.port['binding:vif_type']).toBe('binding_failed');
    const mine = (await bed.desiredFlows('A')).filter((f) => f.resources.some((r) => r.id === v.portId));
    expect(mine).toEqual([]);
  }, 60_000);
});
