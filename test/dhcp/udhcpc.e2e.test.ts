// Proof with real OVS and a real DHCP client: busybox udhcpc in a VM namespace gets exactly its port's address, gateway, DNS, routes and MTU from esdn's responder.
//
// The switch's controller is an OpenFlowServer from our own library with only the DHCP responder
// attached (the flows are loaded with ovs-ofctl after the controller is set, since setting the first
// controller wipes flows). DHCP from the VM reaches it as a packet-in; the answer is a packet-out.
import { readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOpenFlowServer, type OpenFlowServer } from '../../openflow/server.ts';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import type { DhcpAnswer } from '../../src/controller/dhcp/answer.ts';
import { attachDhcpResponder } from '../../src/controller/dhcp/responder.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';
import { replaceFlows } from '../support/replaceFlows.ts';

const NET = '0e100000-0000-4000-8000-0000000000d1';
const SUBNET = '5b100000-0000-4000-8000-0000000000d1';
const VNI = 7001;
const MTU = 1400;
const PORT = { id: 'd1000001-0000-4000-8000-0000000000d1', mac: '02:00:00:00:0d:01', ip: '10.9.0.23' };
const OTHER = { id: 'd2000002-0000-4000-8000-0000000000d2', mac: '02:00:00:00:0d:02', ip: '10.9.0.24' };
const HOST = 'hv1';

describeWithOvs('DHCP answered by esdn: udhcpc in a VM gets its port\'s lease over packet-in/packet-out', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  const vms: Record<string, Vm> = {};
  let server: OpenFlowServer;
  const proj = new FlowProjection();
  const answers: (DhcpAnswer & { inPort: number | undefined })[] = [];
  let script = '';

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'A', datapathId: 0xd1n, tunnelIp: '192.168.50.1' });
    const sock = join(host.dir, 'esdn-of.sock');
    server = createOpenFlowServer({ listen: [{ unix: sock }], echoIntervalMs: 0 });
    server.on('switch', (sw) => { attachDhcpResponder(sw, { host: () => HOST, view: () => proj.view, onAnswer: (a) => answers.push(a) }); });
    await server.listen();
    await host.setController({ unixPath: sock });
    const network = networkCreated(NET, VNI);
    if (network.type !== 'NetworkCreated') throw new Error('fixture');
    const events: TopologyEvent[] = [
      { ...network, data: { ...network.data, mtu: MTU } },
      { type: 'SubnetCreated', data: { id: SUBNET, networkId: NET, ipVersion: 4, cidr: '10.9.0.0/24', gatewayIp: '10.9.0.1',
        enableDhcp: true, dnsNameservers: ['192.0.2.53', '192.0.2.54'], hostRoutes: [{ destination: '172.31.0.0/16', nexthop: '10.9.0.254' }] } },
      hostRegistered(HOST, '192.168.50.1'), switchPort(HOST, 'vxlan0', await host.ofportOf('vxlan0')),
    ];
    for (const [name, p] of [['D1', PORT], ['D2', OTHER]] as const) {
      const iface = interfaceName(p.id, {});
      vms[name] = await host.addVm({ name, iface, mac: p.mac, ip: `${p.ip}/24` });
      await vms[name].exec(['ip', 'addr', 'flush', 'dev', vms[name].dev]);
      const created = portCreated({ id: p.id, networkId: NET, mac: p.mac, ips: [p.ip] });
      if (created.type !== 'PortCreated') throw new Error('fixture');
      events.push({ ...created, data: { ...created.data, fixedIps: [{ subnetId: SUBNET, ipAddress: p.ip }], securityGroups: ['sg'] } },
        portBound(p.id, HOST), switchPort(HOST, iface, await host.ofportOf(iface)));
    }
    // the default group's rules: DHCP must work for a port behind conntrack too
    events.push({ type: 'SecurityGroupRuleCreated', data: { id: 'e', securityGroupId: 'sg', direction: 'egress', ethertype: 'IPv4',
      protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null } });
    for (const e of events) proj.apply(e);
    await waitFor('switch connected', async () => ((await host.vsctl('get', 'controller', 'br-int', 'is_connected')).includes('true') ? true : undefined));
    await replaceFlows(host, proj.desired(HOST).values());
    script = join(host.dir, 'udhcpc-script.sh');
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$ENVFILE"\nexit 0\n');
    chmodSync(script, 0o755);
  });

  afterAll(async () => {
    await server?.close();
    await tb?.teardown();
  });

  async function udhcpc(vm: string): Promise<Record<string, string>> {
    const envFile = join(host.dir, `lease-${vm}.env`);
    const r = await vms[vm].exec(['env', `ENVFILE=${envFile}`, 'busybox', 'udhcpc', '-i', vms[vm].dev, '-f', '-q', '-n', '-t', '4', '-T', '1',
      '-s', script, '-O', 'mtu', '-O', 'staticroutes'], { allowFailure: true });
    if (!existsSync(envFile)) throw new Error(`udhcpc got no lease: ${r.stdout} ${r.stderr}`);
    return Object.fromEntries(readFileSync(envFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }

  it('gives udhcpc exactly the port\'s fixed IP, mask, gateway, DNS, classless routes (121) and MTU (26)', async () => {
    const env = await udhcpc('D1');
    expect(env.ip).toBe(PORT.ip);
    expect(env.subnet).toBe('255.255.255.0');
    expect(env.router).toBe('10.9.0.1');
    expect(env.dns?.trim().split(/\s+/)).toEqual(['192.0.2.53', '192.0.2.54']);
    expect(env.mtu).toBe(String(MTU));
    expect(env.serverid).toBe('10.9.0.1');
    expect(env.lease).toBe('86400');
    expect(env.staticroutes?.trim().split(/\s+/)).toEqual(['172.31.0.0/16', '10.9.0.254', '0.0.0.0/0', '10.9.0.1']);
    // both legs went through the controller: an OFFER for the DISCOVER, an ACK for the REQUEST
    expect(answers.filter((a) => a.kind === 'reply').map((a) => (a.kind === 'reply' ? a.messageType : 0))).toEqual([2, 5]);
  });

  it('answers each port with its own address (the packet-in in_port names the port)', async () => {
    const env = await udhcpc('D2');
    expect(env.ip).toBe(OTHER.ip);
  });

  it('stays silent for a client MAC that is not the port\'s (and port security drops it before the controller anyway)', async () => {
    const before = answers.length;
    await vms.D2.exec(['ip', 'link', 'set', vms.D2.dev, 'address', '02:00:00:00:66:66']);
    try {
      const envFile = join(host.dir, 'lease-spoof.env');
      await vms.D2.exec(['env', `ENVFILE=${envFile}`, 'busybox', 'udhcpc', '-i', vms.D2.dev, '-f', '-q', '-n', '-t', '2', '-T', '1', '-s', script], { allowFailure: true });
      expect(existsSync(envFile)).toBe(false);
      expect(answers.slice(before).filter((a) => a.kind === 'reply')).toEqual([]);
    } finally {
      await vms.D2.exec(['ip', 'link', 'set', vms.D2.dev, 'address', OTHER.mac]);
    }
  });
});
