// Proof with real OVS and real packets: floating IPs (DVR 1:1 NAT on the VM's host) from an external namespace on a flat and a VLAN provider network.
//
// esdn runs as a real process and gets everything through its HTTP API. Hosts A and B map the
// physical network "public" to their port ex-public, which reaches a Linux bridge in the external
// namespace (172.16.0.100 untagged, 172.16.1.100 on VLAN 100). A floating IP on A1 answers ping and
// TCP from outside; A1's own traffic arrives outside from the floating IP; disassociated, it is
// unreachable; reassociated to B1 (another host), B1 answers. The VLAN network's traffic is tagged.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { E2eBed, pingStats, tapName, type NetworkRef, type VmRef } from '../e2e/harness.ts';
import { addExternalSegment, type ExternalAddress, type ExternalSegment } from '../e2e/externalSegment.ts';
import { capture } from './support/capture.ts';

const PHYSNET = 'public';
const PHYS_IFACE = 'ex-public';
const VLAN = 100;
const TCP_PORT = 5001;
const ANSWER_PORT = 5003;
/** nc's connect timeout (s). */
const NC_WAIT_S = '3';

describeWithOvs('esdn e2e: floating IPs on a flat and a VLAN provider network (DVR, 2 hosts, external namespace)', () => {
  let bed: E2eBed;
  let ext: ExternalSegment;
  let outside: ExternalAddress;
  let outsideV: ExternalAddress;
  let flatNet: { id: string };
  let vlanNet: { id: string };
  const vms: Record<string, VmRef> = {};
  const children: ChildProcess[] = [];
  let fipId = '';
  let fipAddress = '';
  let net: NetworkRef;

  async function externalNetwork(name: string, cidr: string, gateway: string, vlan?: number): Promise<{ id: string }> {
    const n = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: {
        name, 'router:external': true, 'provider:physical_network': PHYSNET,
        'provider:network_type': vlan === undefined ? 'flat' : 'vlan', ...(vlan === undefined ? {} : { 'provider:segmentation_id': vlan }),
      },
    });
    await bed.api('POST', '/v2.0/subnets', { subnet: { network_id: n.network.id, cidr, gateway_ip: gateway, ip_version: 4, enable_dhcp: false } });
    return n.network;
  }

  async function routerFor(externalId: string, subnetId: string): Promise<string> {
    const r = await bed.api<{ router: { id: string } }>('POST', '/v2.0/routers', { router: { name: 'r', project_id: 'project-a', external_gateway_info: { network_id: externalId } } });
    await bed.api('PUT', `/v2.0/routers/${r.router.id}/add_router_interface`, { subnet_id: subnetId });
    return r.router.id;
  }

  async function vm(key: string, net: NetworkRef, name: string, mac: string, ip: string, gw: string): Promise<VmRef> {
    const v = await bed.addVm(key, net, { name, mac, ip, portSecurity: false });
    await v.vm.exec(['ip', 'route', 'add', 'default', 'via', gw]);
    return v;
  }

  const fipStatus = async (id: string) => (await bed.api<{ floatingip: { status: string } }>('GET', `/v2.0/floatingips/${id}`)).floatingip.status;
  const waitFip = (id: string, status: string) =>
    waitFor(`floating IP ${status}`, async () => ((await fipStatus(id)) === status ? true : undefined), { timeoutMs: 20_000, intervalMs: 50 });
  /** `count` probes from outside, each given its full second (pingStats). */
  const pingFromOutside = (to: string, count = 3) => pingStats(ext, to, count);
  const received = (out: string) => Number(/(\d+) received/.exec(out)?.[1] ?? 0);

  /** A TCP server in a VM that answers every connection with the VM's name. */
  function answerer(v: VmRef, name: string): void {
    children.push(spawn('ip', ['netns', 'exec', v.vm.ns, 'sh', '-c', `while true; do echo ${name} | nc -l -q 1 ${ANSWER_PORT}; done`], { stdio: 'ignore', detached: true }));
  }
  const askOutside = async (to: string) => (await ext.exec(['nc', '-w', NC_WAIT_S, to, String(ANSWER_PORT)], { allowFailure: true, input: '' })).stdout.trim();

  beforeAll(async () => {
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1', bridgeMappings: { [PHYSNET]: PHYS_IFACE } },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2', bridgeMappings: { [PHYSNET]: PHYS_IFACE } },
    ]);
    ext = await addExternalSegment(bed.tb, { name: 'X', hosts: [bed.ovs('A'), bed.ovs('B')], iface: PHYS_IFACE });
    outside = await ext.addAddress({ ip: '172.16.0.100/24', mac: '02:00:00:00:ee:01' });
    outsideV = await ext.addAddress({ ip: '172.16.1.100/24', mac: '02:00:00:00:ee:02', vlan: VLAN });
    flatNet = await externalNetwork('public', '172.16.0.0/24', '172.16.0.1');
    vlanNet = await externalNetwork('public-vlan', '172.16.1.0/24', '172.16.1.1', VLAN);
    net = await bed.createNetwork('project-a', 'net', '10.0.0.0/24');
    const net2 = await bed.createNetwork('project-a', 'net2', '10.1.0.0/24');
    await routerFor(flatNet.id, net.subnetId);
    await routerFor(vlanNet.id, net2.subnetId);
    vms.A1 = await vm('A', net, 'A1', '02:00:00:00:01:01', '10.0.0.11', '10.0.0.1');
    vms.B1 = await vm('B', net, 'B1', '02:00:00:00:02:01', '10.0.0.21', '10.0.0.1');
    vms.A2 = await vm('A', net2, 'A2', '02:00:00:00:01:02', '10.1.0.12', '10.1.0.1');
    for (const v of Object.values(vms)) await bed.waitStatus(v.portId, 'ACTIVE');
    answerer(vms.A1, 'A1');
    answerer(vms.B1, 'B1');
    const fip = await bed.api<{ floatingip: { id: string; floating_ip_address: string; status: string } }>('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: flatNet.id, port_id: vms.A1.portId, project_id: 'project-a' },
    });
    fipId = fip.floatingip.id;
    fipAddress = fip.floatingip.floating_ip_address;
  }, 180_000);

  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
    await bed?.teardown();
  }, 60_000);

  it('goes ACTIVE once its NAT flows are confirmed on the VM host, and ping and TCP from outside reach the VM', async () => {
    await waitFip(fipId, 'ACTIVE');
    // the first packets may wait for neighbor learning (ARP to the controller): a few tries are allowed
    await waitFor('ping to the floating IP', async () => ((await pingFromOutside(fipAddress, 1)).received === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    expect((await pingFromOutside(fipAddress)).received).toBe(3);
    expect(await askOutside(fipAddress)).toBe('A1');
    // the outside address was learned from its ARP at its own MAC, and the flow says which observation taught it
    const neighbor = (await bed.desiredFlows('A')).find((f) => f.flow.includes('table=67') && f.flow.includes('reg5=0xac100064'));
    expect(neighbor?.flow).toContain(`set_field:${outside.mac}->eth_dst`);
    expect(neighbor?.resources).toEqual([expect.objectContaining({ kind: 'neighbor', id: `${flatNet.id} ${outside.ip} ${outside.mac}` })]);
    const ok = await ext.exec(['nc', '-z', '-w', NC_WAIT_S, fipAddress, String(ANSWER_PORT)], { allowFailure: true });
    expect(ok.code).toBe(0);
    // nothing listens on TCP_PORT: no connection
    const refused = await ext.exec(['nc', '-z', '-w', NC_WAIT_S, fipAddress, String(TCP_PORT)], { allowFailure: true });
    expect(refused.code).not.toBe(0);
  }, 60_000);

  it("the VM's outbound traffic arrives outside with the floating IP as source", async () => {
    const lines = await capture(ext.ns, ext.hostPort(bed.ovs('A')), 'icmp', async () => {
      expect((await pingStats(vms.A1.vm, outside.ip, 3)).received).toBe(3);
    });
    const requests = lines.filter((l) => l.includes('echo request'));
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const l of requests) expect(l).toContain(`${fipAddress} > ${outside.ip}`);
    expect(lines.join('\n')).not.toContain('10.0.0.11');
  }, 30_000);

  it('disassociated, the floating IP goes DOWN and is unreachable; reassociated to a VM on another host, that VM answers', async () => {
    await bed.api('PUT', `/v2.0/floatingips/${fipId}`, { floatingip: { port_id: null } });
    await waitFip(fipId, 'DOWN');
    expect((await pingFromOutside(fipAddress, 2)).received).toBe(0);
    expect(await askOutside(fipAddress)).toBe('');
    await bed.api('PUT', `/v2.0/floatingips/${fipId}`, { floatingip: { port_id: vms.B1.portId } });
    await waitFip(fipId, 'ACTIVE');
    try {
      await waitFor('ping to the moved floating IP', async () => ((await pingFromOutside(fipAddress, 1)).received === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    } catch (e) {
      console.log('DEBUG fdb', await bed.tb.host('X').appctl('fdb/show', 'br-ext'));
      console.log('DEBUG B', (await bed.ovs('B').dumpFlows('br-int')).split('\n').filter((l) => /table=(0|3\d|6[4-7]),/.test(l)).join('\n'));
      console.log('DEBUG neigh', (await ext.exec(['ip', 'neigh'])).stdout);
      console.log('DEBUG', bed.postMortem());
      throw e;
    }
    expect(await askOutside(fipAddress)).toBe('B1');
  }, 60_000);

  it("ingress security groups still apply behind a floating IP: an icmp rule lets ping in, TCP stays out until a rule for its port", async () => {
    const sg = await bed.api<{ security_group: { id: string } }>('POST', '/v2.0/security-groups', { security_group: { name: 'icmp-in', project_id: 'project-a' } });
    await bed.api('POST', '/v2.0/security-group-rules', {
      // remote_ip_prefix 0.0.0.0/0 as clients usually send it: the restart test below checks its flow reads back as sent
      security_group_rule: { security_group_id: sg.security_group.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', remote_ip_prefix: '0.0.0.0/0' },
    });
    const port = await bed.api<{ port: { id: string } }>('POST', '/v2.0/ports', {
      port: { network_id: net.id, project_id: 'project-a', mac_address: '02:00:00:00:01:03', fixed_ips: [{ subnet_id: net.subnetId, ip_address: '10.0.0.13' }],
        'binding:host_id': 'hv1', security_groups: [sg.security_group.id] },
    });
    const a3 = await bed.ovs('A').addVm({ name: 'A3', iface: tapName(port.port.id), mac: '02:00:00:00:01:03', ip: '10.0.0.13/24', routes: [['ip', 'route', 'add', 'default', 'via', '10.0.0.1']] });
    await bed.waitStatus(port.port.id, 'ACTIVE');
    answerer({ vm: a3, portId: port.port.id, hostKey: 'A', mac: '02:00:00:00:01:03', ip: '10.0.0.13' }, 'A3');
    const fip = await bed.api<{ floatingip: { id: string; floating_ip_address: string } }>('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: flatNet.id, port_id: port.port.id, project_id: 'project-a' },
    });
    await waitFip(fip.floatingip.id, 'ACTIVE');
    const to = fip.floatingip.floating_ip_address;
    await waitFor('ping through the floating IP and the icmp rule', async () => ((await pingFromOutside(to, 1)).received === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    expect(await askOutside(to)).toBe('');
    // a rule for the port opens it: the server was there all along, the group kept it out
    await bed.api('POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: sg.security_group.id, direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: ANSWER_PORT, port_range_max: ANSWER_PORT },
    });
    await waitFor('TCP through the floating IP and the new rule', async () => ((await askOutside(to)) === 'A3' ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
  }, 60_000);

  it('a floating IP on a VLAN provider network: esdn asks for an unknown neighbor, ping works both ways, the wire carries the VLAN tag', async () => {
    const fip = await bed.api<{ floatingip: { id: string; floating_ip_address: string } }>('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: vlanNet.id, port_id: vms.A2.portId, project_id: 'project-a' },
    });
    await waitFip(fip.floatingip.id, 'ACTIVE');
    const to = fip.floatingip.floating_ip_address;
    const wireA = ext.hostPort(bed.ovs('A'));
    // outbound first: the outside address is nobody's known neighbor yet, so the miss makes esdn ask for it (tagged, from the floating IP)
    const arps = await capture(ext.ns, wireA, 'arp or (vlan and arp)', () =>
      waitFor('ping from the VM on the VLAN network', async () =>
        (received((await vms.A2.vm.exec(['ping', '-n', '-c', '1', '-W', '1', outsideV.ip], { allowFailure: true })).stdout) === 1 ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 200 }));
    const asks = arps.filter((l) => l.includes(`Request who-has ${outsideV.ip} tell ${to}`));
    expect(asks.length).toBeGreaterThanOrEqual(1);
    for (const l of asks) expect(l).toContain(`vlan ${VLAN}`);
    await waitFor('ping to the VLAN floating IP', async () => ((await pingFromOutside(to, 1)).received === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
    const lines = await capture(ext.ns, wireA, 'vlan and icmp', async () => {
      expect((await pingFromOutside(to)).received).toBe(3);
    });
    const replies = lines.filter((l) => l.includes('echo reply'));
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const l of replies) expect(l).toContain(`vlan ${VLAN}`);
    // and nothing of it crossed untagged
    const untagged = await capture(ext.ns, wireA, `not vlan and host ${to}`, () => pingFromOutside(to, 2));
    expect(untagged).toEqual([]);
    expect(outsideV.dev).toBe(`ext${VLAN}`);
  }, 60_000);

  it('a restarted esdn finds every external flow in place (nothing re-sent), and floating IPs keep forwarding', async () => {
    const syncs = await bed.restartEsdn();
    for (const s of syncs) {
      expect(s.deletes, JSON.stringify(s.changed)).toBe(0);
      // every flow reads back from OVS as sent, so a resync replaces nothing (a /0 prefix match or a
      // conjunction-only flow used to be replaced on every resync)
      expect(s.changed, JSON.stringify(s.changed)).toEqual([]);
    }
    expect(await askOutside(fipAddress)).toBe('B1');
  }, 60_000);

  it("the floating IP goes DOWN when its host's switch disconnects, and ACTIVE again when it is back", async () => {
    await bed.cutRelay('B');
    await waitFip(fipId, 'DOWN');
    await bed.connect('B');
    await waitFip(fipId, 'ACTIVE');
    await waitFor('TCP through the floating IP again', async () => ((await askOutside(fipAddress)) === 'B1' ? true : undefined), { timeoutMs: 10_000, intervalMs: 200 });
  }, 60_000);
});
