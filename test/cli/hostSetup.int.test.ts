// `esdn host-setup` as a real process: prints the ovs-vsctl lines, refuses bad options (exit 2), and --run builds br-int on a real OVS.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSetupCommands } from '../../src/cli/hostSetup.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost } from '../support/ovsTestbed.ts';
import { runEsdn } from './esdnProcess.ts';

const BASE = ['host-setup', '--datapath-id', '00000000000000a1', '--tunnel-ip', '192.0.2.11', '--controller', 'tcp:192.0.2.1:6653'];

describe('esdn host-setup (printing)', () => {
  it('prints exactly the lines of hostSetupCommands, bridge mappings included', async () => {
    const result = await runEsdn([...BASE, '--bridge-mapping', 'public:ex-public']);
    expect(result.code).toBe(0);
    const expected = hostSetupCommands({ datapathId: '00000000000000a1', tunnelIp: '192.0.2.11', controller: 'tcp:192.0.2.1:6653',
      bridgeMappings: { public: 'ex-public' } });
    if (!expected.ok) throw new Error(expected.error.message);
    expect(result.stdout.trim().split('\n')).toEqual(expected.lines);
  });

  it.each([
    [['--datapath-id', 'a1'], 'datapath id'],
    [['--tunnel-ip', 'not-an-ip'], 'tunnel IP'],
    [['--controller', 'http://x'], 'controller'],
    [['--bridge-mapping', 'public'], '--bridge-mapping'],
  ])('refuses %j with exit 2 and says why (%s)', async (override, named) => {
    const args = [...BASE];
    const at = args.indexOf(override[0]);
    if (at >= 0) args[at + 1] = override[1];
    else args.push(...override);
    const result = await runEsdn(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(named);
  });

  it('a missing required option is a usage error (exit 2)', async () => {
    const result = await runEsdn(['host-setup', '--tunnel-ip', '192.0.2.11']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--datapath-id');
  });
});

describeWithOvs('esdn host-setup --run on a real Open vSwitch', () => {
  let tb: OvsTestbed;
  let host: OvsHost;

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'C', datapathId: 0xc1n, tunnelIp: '192.168.52.1', noBrInt: true });
  });
  afterAll(async () => {
    await tb?.teardown();
  });

  it('builds br-int with the datapath id, secure fail mode, the controller and vxlan0; a second run changes nothing', async () => {
    const controller = `unix:${join(host.dir, 'esdn-of.sock')}`;
    const args = ['host-setup', '--datapath-id', '00000000000000c1', '--tunnel-ip', '192.168.52.1', '--controller', controller,
      '--datapath-type', 'netdev', '--run'];
    // ovs-vsctl finds this host's database through OVS_RUNDIR, as an operator's shell would on a real hypervisor.
    const env = { OVS_RUNDIR: host.dir, OVS_DBDIR: host.dir, OVS_LOGDIR: host.dir };
    const first = await runEsdn(args, env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect((await host.vsctl('get', 'bridge', 'br-int', 'datapath_id')).trim()).toBe('"00000000000000c1"');
    expect((await host.vsctl('get', 'bridge', 'br-int', 'fail_mode')).trim()).toBe('secure');
    expect((await host.vsctl('get-controller', 'br-int')).trim()).toBe(controller);
    expect((await host.vsctl('get', 'interface', 'vxlan0', 'type')).trim()).toBe('vxlan');
    const second = await runEsdn(args, env);
    expect(second.code).toBe(0);
    expect((await host.vsctl('list-ports', 'br-int')).trim().split('\n')).toEqual(['vxlan0']);
  });

  it('a failing ovs-vsctl line stops the run with exit 1 and names the line', async () => {
    const result = await runEsdn([...BASE, '--run'], { OVS_RUNDIR: join(host.dir, 'nowhere') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('failed: ovs-vsctl');
  });
});
