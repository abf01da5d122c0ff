// host-setup against a real ovs-vsctl: the lines build br-int and vxlan0 as DESIGN.md says, and running them twice changes nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostSetupCommands, PACKET_IN_BURST_LIMIT, PACKET_IN_RATE_LIMIT } from '../../src/cli/hostSetup.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost } from '../support/ovsTestbed.ts';

describeWithOvs('esdn host-setup on a real Open vSwitch', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let setup: string[][];

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'S', datapathId: 0xb1n, tunnelIp: '192.168.51.1', noBrInt: true });
    const r = hostSetupCommands({
      datapathId: '00000000000000b1', tunnelIp: '192.168.51.1', controller: `unix:${join(host.dir, 'esdn-of.sock')}`, datapathType: 'netdev',
    });
    if (!r.ok) throw new Error(r.error.message);
    setup = r.argv;
    for (const argv of setup) await host.vsctl(...argv.slice(1));
  });

  afterAll(async () => {
    await tb?.teardown();
  });

  const get = async (...args: string[]) => (await host.vsctl('get', ...args)).trim();

  it('creates br-int for OpenFlow 1.3 only, fail_mode=secure, with the datapath id and the controller', async () => {
    expect(await get('bridge', 'br-int', 'protocols')).toBe('[OpenFlow13]');
    expect(await get('bridge', 'br-int', 'fail_mode')).toBe('secure');
    expect(await get('bridge', 'br-int', 'datapath_id')).toBe('"00000000000000b1"');
    expect((await host.vsctl('get-controller', 'br-int')).trim()).toBe(`unix:${join(host.dir, 'esdn-of.sock')}`);
    // packet-ins are capped in the switch
    expect((await host.vsctl('get', 'controller', 'br-int', 'controller_rate_limit')).trim()).toBe(String(PACKET_IN_RATE_LIMIT));
    expect((await host.vsctl('get', 'controller', 'br-int', 'controller_burst_limit')).trim()).toBe(String(PACKET_IN_BURST_LIMIT));
  });

  it('adds one flow-based VXLAN port vxlan0 with the local tunnel IP, visible to OpenFlow', async () => {
    expect(await get('interface', 'vxlan0', 'type')).toBe('vxlan');
    const options = await get('interface', 'vxlan0', 'options');
    expect(options).toContain('key=flow');
    expect(options).toContain('remote_ip=flow');
    expect(options).toContain('local_ip="192.168.51.1"');
    expect(await host.ofctl('show', 'br-int')).toMatch(/\(vxlan0\)/);
  });

  it('is idempotent: running the same lines again succeeds and leaves one bridge with one tunnel port', async () => {
    for (const argv of setup) await host.vsctl(...argv.slice(1));
    expect((await host.vsctl('list-ports', 'br-int')).trim().split('\n')).toEqual(['vxlan0']);
    expect((await host.vsctl('list-br')).trim().split('\n').filter((b) => b === 'br-int')).toHaveLength(1);
  });
});
