// Proves the OVS test bed: two hosts with real ovs-vswitchd and static flows carry VM pings over a VXLAN underlay.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from './ovsAvailability.ts';
import { createOpenFlowServer } from '../../openflow/server.ts';
import type { SwitchConnection } from '../../openflow/connection.ts';
import { run } from './ovsExec.ts';
import { namespacesWithPrefix, OWNER_FILE, TESTBED_BASE_DIR, TESTBED_FAMILY } from './ovsCleanup.ts';
import { OvsTestbed, type OvsHost, type Vm } from './ovsTestbed.ts';

/** VNI of the one test network. */
const VNI = 100;
const TUNNEL_OFPORT = 100;
const VM_OFPORT = 1;

interface Endpoint { mac: string; ip: string }

/** TESTBED.md section 2: port security in table 0, ARP responder in 10, tunnel ingress 20, L2 forwarding 60. */
function hostFlows(local: Endpoint, remote: Endpoint, remoteVtep: string): string[] {
  return [
    'table=0,priority=0 actions=drop',
    `table=0,priority=100,in_port=${VM_OFPORT},dl_src=${local.mac} actions=goto_table:10`,
    `table=0,priority=100,in_port=${TUNNEL_OFPORT},tun_id=${VNI} actions=goto_table:20`,
    `table=10,priority=100,arp,arp_op=1,arp_tpa=${remote.ip} actions=move:eth_src->eth_dst,set_field:${remote.mac}->eth_src,` +
      `set_field:2->arp_op,move:arp_sha->arp_tha,move:arp_spa->arp_tpa,set_field:${remote.mac}->arp_sha,set_field:${remote.ip}->arp_spa,IN_PORT`,
    'table=10,priority=10 actions=goto_table:60',
    'table=20,priority=0 actions=drop',
    `table=20,priority=50,dl_dst=${local.mac} actions=output:${VM_OFPORT}`,
    'table=60,priority=0 actions=drop',
    `table=60,priority=50,dl_dst=${local.mac} actions=output:${VM_OFPORT}`,
    `table=60,priority=50,dl_dst=${remote.mac} actions=set_field:${remoteVtep}->tun_dst,set_field:${VNI}->tun_id,output:${TUNNEL_OFPORT}`,
  ];
}

describeWithOvs('OVS test bed (two hosts, VXLAN underlay)', () => {
  let tb: OvsTestbed;
  let a: OvsHost;
  let b: OvsHost;
  let a1: Vm;
  let b1: Vm;
  const epA = { mac: '02:00:00:00:01:01', ip: '10.0.0.11' };
  const epB = { mac: '02:00:00:00:02:01', ip: '10.0.0.21' };

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    a = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
    b = await tb.addHost({ name: 'B', datapathId: 0xa2n, tunnelIp: '192.168.50.2' });
    a1 = await a.addVm({ name: 'A1', iface: 'tapA1', mac: epA.mac, ip: `${epA.ip}/24`, ofport: VM_OFPORT });
    b1 = await b.addVm({ name: 'B1', iface: 'tapB1', mac: epB.mac, ip: `${epB.ip}/24`, ofport: VM_OFPORT });
    await a.addFlows('br-int', hostFlows(epA, epB, '192.168.50.2'));
    await b.addFlows('br-int', hostFlows(epB, epA, '192.168.50.1'));
  });

  afterAll(async () => {
    const socatPid = tb ? Number(readFileSync(join(tb.runDir, 'hB', 'socat-br-int.pid'), 'utf8')) : 0;
    await tb?.teardown();
    expect(existsSync(`/proc/${socatPid}`)).toBe(false);
    expect(await namespacesWithPrefix(tb.prefix)).toEqual([]);
  });

  it('gives br-int the requested datapath id, OpenFlow 1.3 and secure fail mode', async () => {
    expect((await a.vsctl('get', 'bridge', 'br-int', 'datapath_id')).trim()).toBe('"00000000000000a1"');
    expect((await b.vsctl('get', 'bridge', 'br-int', 'protocols')).trim()).toBe('[OpenFlow13]');
    expect((await a.vsctl('get', 'bridge', 'br-int', 'fail_mode')).trim()).toBe('secure');
    expect(await a.ofportOf('vxlan0')).toBe(TUNNEL_OFPORT);
    expect(await b.ofportOf('tapB1')).toBe(VM_OFPORT);
  });

  it('pings between VMs on different hosts from the first packet, both ways', async () => {
    expect(await a1.ping(epB.ip)).toMatchObject({ sent: 3, received: 3 });
    expect(await b1.ping(epA.ip)).toMatchObject({ sent: 3, received: 3 });
  });

  it('counts the traffic on the tunnel flows and traces it through VXLAN', async () => {
    expect(await a.flowLines('br-int', 'table=60')).toEqual([
      'table=60, priority=0 actions=drop',
      `table=60, priority=50,dl_dst=${epA.mac} actions=output:${VM_OFPORT}`,
      `table=60, priority=50,dl_dst=${epB.mac} actions=set_field:192.168.50.2->tun_dst,set_field:0x64->tun_id,output:${TUNNEL_OFPORT}`,
    ]);
    const flows = await a.dumpFlows('br-int', 'table=60');
    expect(flows).toMatch(/n_packets=[1-9]\d*.*dl_dst=02:00:00:00:02:01/);
    const trace = await a.trace('br-int', `in_port=${VM_OFPORT},icmp,dl_src=${epA.mac},dl_dst=${epB.mac},nw_src=${epA.ip},nw_dst=${epB.ip},nw_ttl=64`);
    expect(trace).toContain('tunneling to 192.168.50.2 via br-phy');
    expect(trace).toMatch(/tnl_push\(.*vni=0x64/);
  });

  it('drops traffic from a spoofed source MAC (the flows, not luck, carry the pings)', async () => {
    await a1.exec(['ip', 'link', 'set', 'eth0', 'address', '02:00:00:00:01:99']);
    try {
      expect(await a1.ping(epB.ip, { count: 2, timeoutS: 1 })).toMatchObject({ sent: 2, received: 0 });
    } finally {
      await a1.exec(['ip', 'link', 'set', 'eth0', 'address', epA.mac]);
    }
  });

  it('keeps working after ovs-vswitchd restarts once flows are loaded again', async () => {
    await tb.restartVswitchd('A');
    expect(await a.dumpFlows('br-int')).not.toContain('actions=');
    await a.addFlows('br-int', hostFlows(epA, epB, '192.168.50.2'));
    expect(await a1.ping(epB.ip, { count: 2 })).toMatchObject({ sent: 2, received: 2 });
  });

  it('relays br-int to a controller on root-namespace TCP through socat, and teardown leaves no relay behind', async () => {
    const server = createOpenFlowServer({ listen: [{ tcp: { host: '127.0.0.1', port: 0 } }], echoIntervalMs: 0 });
    const [addr] = await server.listen();
    try {
      if (addr.kind !== 'tcp') throw new Error(addr.kind);
      const connected = new Promise<SwitchConnection>((resolve) => server.once('switch', resolve));
      await b.setController({ tcpPort: addr.port });
      const sw = await connected;
      expect(sw.datapathId).toBe(0xa2n);
      const body = await sw.multipart({ kind: 'port_desc' });
      if (body.kind !== 'port_desc') throw new Error(body.kind);
      expect(body.ports.map((p) => p.name)).toEqual(expect.arrayContaining(['tapB1', 'vxlan0']));
    } finally {
      await server.close();
    }
  });

  it('removes a stale run whose owner process is gone, and only that run', async () => {
    const stale = `${TESTBED_FAMILY}zz${process.pid % 100}`.slice(0, 7);
    mkdirSync(join(TESTBED_BASE_DIR, stale), { recursive: true });
    writeFileSync(join(TESTBED_BASE_DIR, stale, OWNER_FILE), '999999999');
    await run(['ip', 'netns', 'add', `${stale}hX`]);
    const other = await OvsTestbed.create();
    try {
      expect(await namespacesWithPrefix(stale)).toEqual([]);
      expect((await namespacesWithPrefix(tb.prefix)).sort()).toEqual([`${tb.prefix}hA`, `${tb.prefix}hB`, `${tb.prefix}u`, `${tb.prefix}vA1`, `${tb.prefix}vB1`].sort());
    } finally {
      await other.teardown();
    }
  });
});
