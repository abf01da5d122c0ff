// esdn as a real process drives two real switches: L2 same host and across hosts, isolation, local ARP, port security, port status, deletes, foreign flows.
//
// Everything goes through the HTTP API (hosts, networks, subnets, ports bound with binding:host_id);
// the switches get their flows only from esdn's OpenFlow controller through the test bed's relays.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { capture } from '../dataplane/support/capture.ts';
import { ESDN_BIN } from '../cli/esdnProcess.ts';
import { run } from '../support/ovsExec.ts';
import { E2eBed, pingStats, tapName, type NetworkRef, type VmRef } from './harness.ts';

const SPOOF_IP = '10.0.0.99';
const SPOOF_MAC = '02:00:00:00:66:66';
/** A flow someone added by hand: another cookie, so esdn must never touch it. */
const FOREIGN_FLOW = 'cookie=0x1234,table=0,priority=1,in_port=999,actions=drop';

describeWithOvs('esdn e2e: L2 overlay through the API and the OpenFlow controller (2 hosts, 2 projects with the same CIDR)', () => {
  let bed: E2eBed;
  let net1: NetworkRef;
  let net2: NetworkRef;
  const vms: Record<string, VmRef> = {};
  /** Two probes, each given its full second (pingStats); how many answers came. */
  const ping = async (from: string, to: string, extra: string[] = []) => (await pingStats(vms[from].vm, to, 2, { extra })).received;

  beforeAll(async () => {
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2' },
    ]);
    for (const k of ['A', 'B']) await bed.ovs(k).addFlows('br-int', [FOREIGN_FLOW]);
    net1 = await bed.createNetwork('project-a', 'net1');
    net2 = await bed.createNetwork('project-b', 'net2');
  }, 120_000);
  afterAll(() => bed?.teardown(), 60_000);

  it('a port is DOWN until its tap exists and its flows are confirmed, then ACTIVE', async () => {
    const specs = [
      ['A', net1, 'A1', '02:00:00:00:01:01', '10.0.0.11'], ['A', net1, 'A2', '02:00:00:00:01:02', '10.0.0.12'],
      ['B', net1, 'B1', '02:00:00:00:02:01', '10.0.0.21'], ['A', net2, 'A3', '02:00:00:00:01:03', '10.0.0.21'],
      ['B', net2, 'B2', '02:00:00:00:02:02', '10.0.0.11'],
    ] as const;
    for (const [key, net, name, mac, ip] of specs) {
      vms[name] = await bed.addVm(key, net, { name, mac, ip });
    }
    // a port whose tap does not exist yet stays DOWN
    const early = await bed.api<{ port: { id: string; status: string } }>('POST', '/v2.0/ports', {
      port: { network_id: net1.id, project_id: 'project-a', 'binding:host_id': 'hv1' },
    });
    expect(early.port.status).toBe('DOWN');
    for (const v of Object.values(vms)) await bed.waitStatus(v.portId, 'ACTIVE');
    await new Promise((r) => setTimeout(r, 500));
    expect(await bed.portStatus(early.port.id)).toBe('DOWN');
    await bed.api('DELETE', `/v2.0/ports/${early.port.id}`);
  }, 120_000);

  it('every switch holds exactly the desired flows; flows name the resource they came from', async () => {
    for (const k of ['A', 'B']) expect(await bed.waitConverged(k)).toBeGreaterThan(0);
    const flows = await bed.desiredFlows('A');
    expect(flows.some((f) => f.resources.some((r) => r.kind === 'port' && r.id === vms.A1.portId))).toBe(true);
    // the same through the command line: `esdn flows hv1`, one ovs-ofctl line per flow with its provenance
    const cli = await run([ESDN_BIN, 'flows', 'hv1', '--url', bed.esdn!.apiUrl]);
    const lines = cli.stdout.split('\n').filter((l) => l.includes('actions='));
    expect(lines).toHaveLength(flows.length);
    expect(lines.some((l) => l.includes(`<- port ${vms.A1.portId}`))).toBe(true);
  });

  it('pings on one host and across hosts', async () => {
    expect(await ping('A1', vms.A2.ip)).toBeGreaterThan(0);
    expect(await ping('A1', vms.B1.ip)).toBeGreaterThan(0);
    expect(await ping('A3', vms.B2.ip)).toBeGreaterThan(0);
  });

  it('keeps two projects with the same CIDR apart', async () => {
    // net2 has no 10.0.0.12: A2 (net1) must not answer A3 (net2)
    expect(await ping('A3', vms.A2.ip)).toBe(0);
    // 10.0.0.21 is B1 in net1 and A3 in net2: A1 reaches B1's MAC, not A3's
    await ping('A1', vms.B1.ip);
    const neigh = (await vms.A1.vm.exec(['ip', 'neigh', 'show', vms.B1.ip])).stdout;
    expect(neigh).toContain(vms.B1.mac);
    const leak = await capture(vms.A3.vm.ns, 'eth0', 'icmp', () => ping('A1', vms.B1.ip));
    expect(leak).toEqual([]);
  });

  it('answers ARP on the local switch: nothing crosses the underlay for it', async () => {
    let reply = '';
    const underlay = await capture(bed.tb.underlayNs, 'ul0', 'udp port 4789', async () => {
      reply = (await vms.B1.vm.exec(['arping', '-c', '1', '-w', '2', '-I', 'eth0', vms.A1.ip], { allowFailure: true })).stdout;
    });
    expect(reply.toLowerCase()).toContain(vms.A1.mac);
    // tcpdump -e decodes the inner frame of each VXLAN packet: none of them may be ARP (IPv6 noise may cross)
    expect(underlay.filter((l) => /ARP/.test(l))).toEqual([]);
  });

  it('drops spoofed source IP, spoofed source MAC and forged ARP', async () => {
    const a1 = vms.A1.vm;
    await a1.exec(['ip', 'neigh', 'replace', vms.A2.ip, 'lladdr', vms.A2.mac, 'dev', 'eth0']);
    await a1.exec(['ip', 'addr', 'add', `${SPOOF_IP}/32`, 'dev', 'eth0']);
    try {
      expect(await capture(vms.A2.vm.ns, 'eth0', `icmp and src host ${SPOOF_IP}`, () => ping('A1', vms.A2.ip, ['-I', SPOOF_IP]))).toEqual([]);
      expect(await capture(vms.A2.vm.ns, 'eth0', `arp and host ${SPOOF_IP}`, () =>
        a1.exec(['arping', '-U', '-c', '2', '-w', '2', '-I', 'eth0', '-s', SPOOF_IP, SPOOF_IP], { allowFailure: true }))).toEqual([]);
      await a1.exec(['ip', 'link', 'set', 'eth0', 'address', SPOOF_MAC]);
      expect(await capture(vms.A2.vm.ns, 'eth0', `ether src ${SPOOF_MAC}`, () => ping('A1', vms.A2.ip))).toEqual([]);
    } finally {
      await a1.exec(['ip', 'link', 'set', 'eth0', 'address', vms.A1.mac]);
      await a1.exec(['ip', 'addr', 'del', `${SPOOF_IP}/32`, 'dev', 'eth0']);
    }
    expect(await ping('A1', vms.A2.ip)).toBeGreaterThan(0);
  });

  it("a deleted port's traffic stops and its flows are gone from every switch", async () => {
    const b1 = vms.B1;
    expect(await ping('A1', b1.ip)).toBeGreaterThan(0);
    await bed.api('DELETE', `/v2.0/ports/${b1.portId}`);
    for (const k of ['A', 'B']) await bed.waitConverged(k);
    for (const k of ['A', 'B']) {
      const dump = await bed.ovs(k).dumpFlows('br-int', '--no-stats');
      expect(dump.toLowerCase()).not.toContain(b1.mac);
      expect(dump).not.toContain(`arp_tpa=${b1.ip} `);
    }
    await vms.A1.vm.exec(['ip', 'neigh', 'flush', 'all']);
    const got = await pingStats(vms.A1.vm, b1.ip, 3);
    expect(got.received).toBe(0);
  });

  it('a port goes DOWN when its interface leaves the switch and ACTIVE again when it comes back', async () => {
    const a2 = vms.A2;
    await bed.ovs('A').vsctl('del-port', 'br-int', tapName(a2.portId));
    await bed.waitStatus(a2.portId, 'DOWN');
    await bed.waitConverged('A');
    expect(await ping('A1', a2.ip)).toBe(0);
    await bed.ovs('A').vsctl('add-port', 'br-int', tapName(a2.portId));
    await bed.waitStatus(a2.portId, 'ACTIVE');
    await bed.waitConverged('A');
    expect(await ping('A1', a2.ip)).toBeGreaterThan(0);
  });

  it('flows added by hand with another cookie survived every reconciliation', async () => {
    for (const k of ['A', 'B']) {
      const dump = await bed.ovs(k).dumpFlows('br-int', '--no-stats');
      expect(dump).toContain('cookie=0x1234');
      expect((await bed.installedEsdnFlows(k)).foreign).toBe(1);
    }
  });
});
