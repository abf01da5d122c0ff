// esdn as a real process answers DHCP: a VM behind a real switch gets its port's lease with udhcpc, everything set up through the API.
//
// The port is created like Nova does (bound with binding:host_id, default security group), so the
// switch holds the whole L3 pipeline as esdn's controller installs it; the DHCP exchange then goes
// VM -> br-int -> packet-in -> esdn -> packet-out -> VM.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { E2eBed, type VmRef } from '../e2e/harness.ts';

const PROJECT = 'project-dhcp';
const MTU = 1400;

describeWithOvs('esdn serve answers DHCP from the log (1 host, API only)', () => {
  let bed: E2eBed;
  let vm: VmRef;
  let script = '';

  beforeAll(async () => {
    bed = await E2eBed.create([{ key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' }]);
    const n = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', { network: { name: 'dhcp-net', project_id: PROJECT, mtu: MTU } });
    const s = await bed.api<{ subnet: { id: string } }>('POST', '/v2.0/subnets', { subnet: {
      network_id: n.network.id, project_id: PROJECT, cidr: '10.7.0.0/24', ip_version: 4, gateway_ip: '10.7.0.1',
      dns_nameservers: ['192.0.2.53'], host_routes: [{ destination: '172.30.0.0/16', nexthop: '10.7.0.254' }],
    } });
    vm = await bed.addVm('A', { id: n.network.id, projectId: PROJECT, subnetId: s.subnet.id }, { name: 'D1', mac: '02:00:00:00:7d:01', ip: '10.7.0.42' });
    await vm.vm.exec(['ip', 'addr', 'flush', 'dev', vm.vm.dev]);
    await bed.waitStatus(vm.portId, 'ACTIVE');
    await bed.waitConverged('A');
    script = join(bed.ovs('A').dir, 'udhcpc-script.sh');
    writeFileSync(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$ENVFILE"\nexit 0\n');
    chmodSync(script, 0o755);
  }, 120_000);
  afterAll(() => bed?.teardown(), 60_000);

  it('gives udhcpc the port\'s fixed IP, gateway, DNS, host routes and the network MTU', async () => {
    const envFile = join(bed.ovs('A').dir, 'lease.env');
    const r = await vm.vm.exec(['env', `ENVFILE=${envFile}`, 'busybox', 'udhcpc', '-i', vm.vm.dev, '-f', '-q', '-n', '-t', '5', '-T', '1',
      '-s', script, '-O', 'mtu', '-O', 'staticroutes'], { allowFailure: true });
    if (!existsSync(envFile)) throw new Error(`no lease: ${r.stdout} ${r.stderr}\n${bed.postMortem()}`);
    const env = Object.fromEntries(readFileSync(envFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env.ip).toBe('10.7.0.42');
    expect(env.router).toBe('10.7.0.1');
    expect(env.dns?.trim()).toBe('192.0.2.53');
    expect(env.mtu).toBe(String(MTU));
    expect(env.staticroutes?.trim().split(/\s+/)).toEqual(['172.30.0.0/16', '10.7.0.254', '0.0.0.0/0', '10.7.0.1']);
  });
});
