// host-setup with lanes against a real ovs-vsctl: one Controller row per target, each with the packet-in limits, and a second run changes nothing.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostSetupCommands, PACKET_IN_BURST_LIMIT, PACKET_IN_RATE_LIMIT } from '../../src/cli/hostSetup.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost } from '../support/ovsTestbed.ts';

describeWithOvs('esdn host-setup --lanes on a real Open vSwitch', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let setup: string[][];

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'SL', datapathId: 0xb2n, noBrInt: true });
    // nothing listens there: the rows are what is checked, not a connection
    const r = hostSetupCommands({ datapathId: '00000000000000b2', tunnelIp: '192.168.51.2', controller: 'tcp:127.0.0.1:16653', datapathType: 'netdev', lanes: 3 });
    if (!r.ok) throw new Error(r.error.message);
    setup = r.argv;
    for (const argv of setup) await host.vsctl(...argv.slice(1));
  });

  afterAll(async () => {
    await tb?.teardown();
  });

  const rows = async () => {
    const out = await host.vsctl('--format=csv', '--data=bare', '--no-headings', '--columns=target,controller_rate_limit,controller_burst_limit', 'list', 'controller');
    return out.trim().split('\n').sort();
  };

  it('gives br-int the main target and three lanes on the next ports, every row with the packet-in limits', async () => {
    expect((await host.vsctl('get-controller', 'br-int')).trim().split('\n')).toEqual(
      ['tcp:127.0.0.1:16653', 'tcp:127.0.0.1:16654', 'tcp:127.0.0.1:16655', 'tcp:127.0.0.1:16656']);
    expect(await rows()).toEqual([16653, 16654, 16655, 16656].map((p) => `tcp:127.0.0.1:${p},${PACKET_IN_RATE_LIMIT},${PACKET_IN_BURST_LIMIT}`));
  });

  it('is idempotent: a second run leaves the same four rows (the old ones are collected)', async () => {
    const before = await rows();
    for (const argv of setup) await host.vsctl(...argv.slice(1));
    expect(await rows()).toEqual(before);
  });
});
