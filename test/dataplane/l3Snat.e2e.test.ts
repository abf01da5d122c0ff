// Proof with real OVS and real packets: SNAT through the gateway host esdn schedules, and failover when that host's switch dies.
//
// Three hypervisors run as esdn's switches (esdn serve as a process, SQLite log). hv1 and hv2 map the
// physical network `public` to their br-int port `ex-public`, a veth into the external segment of the
// e2e harness (test/e2e/externalSegment.ts) where 172.16.0.100 is the outside world, running a TCP
// server that answers with the address it sees. The VM lives on hv3, which maps no physical network, and has no floating IP: its
// TCP connection goes over the tunnel to the gateway host and leaves with the router's gateway address.
// A second VM on hv3 has a floating IP: its NAT is centralized on the gateway host too (reachable from
// outside, and leaving with the floating IP). Then the gateway host's ovs-vswitchd is killed: after
// --gateway-failover-after (2 s here) esdn records a RouterGatewayHostScheduled to the other host, reason
// host_unavailable, announces the gateway address from there, and new connections work again both ways.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { killPid } from '../support/ovsCleanup.ts';
import { waitFor } from '../support/ovsExec.ts';
import { addExternalSegment, type ExternalSegment } from '../e2e/externalSegment.ts';
import { E2eBed, type VmRef } from '../e2e/harness.ts';

const FAILOVER_SECONDS = '2';
const PHYSNET = 'public';
const PHYS_PORT = 'ex-public';
const EXT_CIDR = '172.16.0.0/24';
const EXT_GATEWAY = '172.16.0.1';
/** The outside world: an address on the external segment's bridge, with a TCP server on it. */
const OUTSIDE_IP = '172.16.0.100';
const OUTSIDE_PREFIX = 24;
const OUTSIDE_MAC = '02:00:00:00:ee:01';
/** Test-bed name of the external segment's own switch host. */
const SEGMENT = 'X';
const TCP_PORT = 5000;
/** Per attempt; the first SYN may be dropped while esdn learns the outside's MAC (ARP from the controller). */
const CONNECT_TIMEOUT_S = 3;
const VM_IP = '10.0.0.31';
const FIP_VM_IP = '10.0.0.32';

interface ScheduledEvent { data: { id: string; host: string | null; previousHost?: string; reason: string } }

describeWithOvs('SNAT e2e: a VM without floating IP reaches the outside through the scheduled gateway host, and again after failover (3 hosts, real OVS)', () => {
  let bed: E2eBed;
  let vm: VmRef;
  let routerId = '';
  let gatewayIp = '';
  let server: ChildProcess | undefined;
  let fipVm: VmRef;
  let fipVmServer: ChildProcess | undefined;
  let floatingIp = '';
  let segment: ExternalSegment;
  let gatewayMac = '';
  const savedEnv = process.env.ESDN_GATEWAY_FAILOVER_AFTER;
  const keyOf: Record<string, string> = { hv1: 'A', hv2: 'B' };

  const decisions = async (): Promise<ScheduledEvent[]> =>
    (await bed.api<{ events: ScheduledEvent[] }>('GET', '/v1/audit/events?type=RouterGatewayHostScheduled')).events.filter((e) => e.data.id === routerId);
  const waitDecisions = (n: number, timeoutMs = 30_000) => waitFor(`${n} gateway scheduling decisions`, async () => {
    const d = await decisions();
    return d.length >= n ? d : undefined;
  }, { timeoutMs, intervalMs: 100 });

  /** The source address the outside saw for one TCP connection from the VM, or undefined when it failed. */
  const connect = async (exec: (argv: string[], opts: { allowFailure: boolean }) => Promise<{ stdout: string }>, to: string): Promise<string | undefined> => {
    const r = await exec(['timeout', String(CONNECT_TIMEOUT_S + 2), 'socat', '-u', `TCP:${to}:${TCP_PORT},connect-timeout=${CONNECT_TIMEOUT_S}`, 'STDOUT'],
      { allowFailure: true });
    const seen = r.stdout.trim();
    return seen === '' ? undefined : seen;
  };
  const seenFromOutside = () => connect((argv, o) => vm.vm.exec(argv, o), OUTSIDE_IP);
  const waitSeen = (what: string) => waitFor(what, seenFromOutside, { timeoutMs: 45_000, intervalMs: 500 });
  /** The outside connects to the floating IP (the VM answers with the address it sees); the VM connects out (the outside answers). */
  const fipBothWays = async (what: string) => {
    expect(await waitFor(`${what}: outside -> floating IP`, () => connect((argv, o) => segment.exec(argv, o), floatingIp), { timeoutMs: 45_000, intervalMs: 500 }))
      .toBe(OUTSIDE_IP);
    expect(await waitFor(`${what}: VM with floating IP -> outside`, () => connect((argv, o) => fipVm.vm.exec(argv, o), OUTSIDE_IP), { timeoutMs: 45_000, intervalMs: 500 }))
      .toBe(floatingIp);
  };

  beforeAll(async () => {
    process.env.ESDN_GATEWAY_FAILOVER_AFTER = FAILOVER_SECONDS;
    const mapped = { [PHYSNET]: PHYS_PORT };
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1', bridgeMappings: mapped },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2', bridgeMappings: mapped },
      { key: 'C', host: 'hv3', tunnelIp: '192.168.50.3' },
    ]);
    segment = await addExternalSegment(bed.tb, { name: SEGMENT, hosts: [bed.ovs('A'), bed.ovs('B')], iface: PHYS_PORT });
    await segment.addAddress({ ip: `${OUTSIDE_IP}/${OUTSIDE_PREFIX}`, mac: OUTSIDE_MAC });
    // answers every connection with the peer address it sees (socat sets SOCAT_PEERADDR for SYSTEM)
    server = spawn('ip', ['netns', 'exec', segment.ns, 'socat', `TCP-LISTEN:${TCP_PORT},fork,reuseaddr`, 'SYSTEM:echo $SOCAT_PEERADDR'], { stdio: 'ignore' });
    const ext = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': PHYSNET },
    });
    await bed.api('POST', '/v2.0/subnets', { subnet: { network_id: ext.network.id, cidr: EXT_CIDR, gateway_ip: EXT_GATEWAY, ip_version: 4, enable_dhcp: false } });
    const net = await bed.createNetwork('project-a', 'private', '10.0.0.0/24');
    const router = await bed.api<{ router: { id: string } }>('POST', '/v2.0/routers', {
      router: { name: 'r1', project_id: 'project-a', external_gateway_info: { network_id: ext.network.id } },
    });
    routerId = router.router.id;
    await bed.api('PUT', `/v2.0/routers/${routerId}/add_router_interface`, { subnet_id: net.subnetId });
    const shown = await bed.api<{ router: { external_gateway_info: { external_fixed_ips: { ip_address: string }[] } } }>('GET', `/v2.0/routers/${routerId}`);
    gatewayIp = shown.router.external_gateway_info.external_fixed_ips[0].ip_address;
    const gwPorts = await bed.api<{ ports: { mac_address: string }[] }>('GET', `/v2.0/ports?device_owner=network:router_gateway&device_id=${routerId}`);
    gatewayMac = gwPorts.ports[0].mac_address;
    vm = await bed.addVm('C', net, { name: 'C1', mac: '02:00:00:00:c1:01', ip: VM_IP });
    await vm.vm.exec(['ip', 'route', 'add', 'default', 'via', '10.0.0.1']);
    // a second VM on hv3, with a floating IP: hv3 maps no physical network, so its NAT is centralized
    fipVm = await bed.addVm('C', net, { name: 'C2', mac: '02:00:00:00:c2:01', ip: FIP_VM_IP, portSecurity: false });
    await fipVm.vm.exec(['ip', 'route', 'add', 'default', 'via', '10.0.0.1']);
    fipVmServer = spawn('ip', ['netns', 'exec', fipVm.vm.ns, 'socat', `TCP-LISTEN:${TCP_PORT},fork,reuseaddr`, 'SYSTEM:echo $SOCAT_PEERADDR'], { stdio: 'ignore' });
    const fip = await bed.api<{ floatingip: { id: string; floating_ip_address: string } }>('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: ext.network.id, port_id: fipVm.portId, project_id: 'project-a' },
    });
    floatingIp = fip.floatingip.floating_ip_address;
    await bed.waitStatus(vm.portId, 'ACTIVE', 30_000);
    await bed.waitStatus(fipVm.portId, 'ACTIVE', 30_000);
  }, 240_000);

  afterAll(async () => {
    if (server?.pid !== undefined) await killPid(server.pid);
    if (fipVmServer?.pid !== undefined) await killPid(fipVmServer.pid);
    await bed?.teardown();
    if (savedEnv === undefined) delete process.env.ESDN_GATEWAY_FAILOVER_AFTER;
    else process.env.ESDN_GATEWAY_FAILOVER_AFTER = savedEnv;
  }, 60_000);

  it("the outside sees the router's gateway address, not the VM's", async () => {
    const [first] = await waitDecisions(1);
    expect(first.data).toMatchObject({ reason: 'gateway_set' });
    expect(['hv1', 'hv2']).toContain(first.data.host);
    expect(await waitSeen('a TCP connection from the VM to the outside')).toBe(gatewayIp);
    // the SNAT flow on the gateway host explains itself back to the router, the scheduling decision included
    const host = first.data.host!;
    const snat = (await bed.desiredFlows(keyOf[host])).find((f) => f.flow.includes(`nat(src=${gatewayIp})`));
    expect(snat).toBeDefined();
    const why = await bed.api<{ stage: string; resources: { id: string; events: { type: string }[] }[] }>(
      'GET', `/v1/audit/explain/${host}?cookie=${snat!.cookie}`);
    expect(why.stage).toBe('snat');
    const router = why.resources.find((r) => r.id === routerId);
    expect(router?.events.map((e) => e.type)).toEqual(expect.arrayContaining(['RouterGatewaySet', 'RouterGatewayHostScheduled']));
  }, 120_000);

  it('a floating IP of a VM on a host without the physical network is NATed on the gateway host, both ways', async () => {
    await fipBothWays('centralized floating IP');
  }, 120_000);

  it("after the gateway host's ovs-vswitchd dies, esdn moves the gateway and new connections leave from the other host", async () => {
    const from = (await decisions()).at(-1)!.data.host!;
    const to = from === 'hv1' ? 'hv2' : 'hv1';
    const ovs = bed.ovs(keyOf[from]);
    await killPid(Number.parseInt(readFileSync(join(ovs.dir, 'ovs-vswitchd.pid'), 'utf8'), 10));
    const moved = (await waitDecisions(2))[1];
    expect(moved.data).toMatchObject({ host: to, previousHost: from, reason: 'host_unavailable' });
    // before any new connection: the new gateway host announced the gateway address (gratuitous ARP),
    // so the external learning switch already sends the gateway MAC to its port
    const extSwitch = bed.tb.host(SEGMENT);
    const newPort = (await extSwitch.vsctl('get', 'interface', segment.hostPort(bed.ovs(keyOf[to])), 'ofport')).trim();
    await waitFor('the gateway MAC learned on the new host\'s port', async () => {
      const fdb = await extSwitch.appctl('fdb/show', 'br-ext');
      return fdb.split('\n').some((l) => l.trim().split(/\s+/)[0] === newPort && l.includes(gatewayMac)) ? true : undefined;
    }, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await waitSeen('a TCP connection after failover')).toBe(gatewayIp);
    await fipBothWays('centralized floating IP after failover');
  }, 120_000);
});
