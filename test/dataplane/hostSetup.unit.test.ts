// host-setup lines: the DESIGN.md settings for br-int and vxlan0, shell-safe, and typed errors for bad input.
import { describe, expect, it } from 'vitest';
import { controllerTargets, hostSetupCommands } from '../../src/cli/hostSetup.ts';

const OK = { datapathId: '00000000000000A1', tunnelIp: '192.0.2.11', controller: 'tcp:192.0.2.1:6653' };

describe('hostSetupCommands', () => {
  it('prints br-int with OpenFlow13, secure fail mode, the datapath id, the controller and one flow-based vxlan0', () => {
    const r = hostSetupCommands({ ...OK, lanes: 0 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lines).toEqual([
      'ovs-vsctl --may-exist add-br br-int -- set bridge br-int protocols=OpenFlow13 fail_mode=secure other_config:datapath-id=00000000000000a1',
      'ovs-vsctl set-controller br-int tcp:192.0.2.1:6653',
      'ovs-vsctl set controller br-int controller_rate_limit=1000 controller_burst_limit=250',
      'ovs-vsctl --may-exist add-port br-int vxlan0 -- set interface vxlan0 type=vxlan options:remote_ip=flow options:key=flow options:local_ip=192.0.2.11',
    ]);
  });

  it('lanes (default 7 for tcp:): one transaction creates the main row and a row per next port, each with the packet-in limits', () => {
    const r = hostSetupCommands(OK);
    if (!r.ok) throw new Error(r.error.message);
    const limits = 'controller_rate_limit=1000 controller_burst_limit=250';
    expect(r.lines[1]).toBe(`ovs-vsctl -- --id=@c0 create controller 'target="tcp:192.0.2.1:6653"' ${limits}`
      + ` -- --id=@c1 create controller 'target="tcp:192.0.2.1:6654"' ${limits}`
      + ` -- --id=@c2 create controller 'target="tcp:192.0.2.1:6655"' ${limits}`
      + ` -- --id=@c3 create controller 'target="tcp:192.0.2.1:6656"' ${limits}`
      + ` -- --id=@c4 create controller 'target="tcp:192.0.2.1:6657"' ${limits}`
      + ` -- --id=@c5 create controller 'target="tcp:192.0.2.1:6658"' ${limits}`
      + ` -- --id=@c6 create controller 'target="tcp:192.0.2.1:6659"' ${limits}`
      + ` -- --id=@c7 create controller 'target="tcp:192.0.2.1:6660"' ${limits}`
      + ' -- set bridge br-int controller=@c0,@c1,@c2,@c3,@c4,@c5,@c6,@c7');
    expect(r.lines[2]).toContain('add-port br-int vxlan0');
    expect(r.argv[1]).toContain('target="tcp:192.0.2.1:6654"');
  });

  it('lane targets keep the scheme and host: ssl, IPv6, no port (6653)', () => {
    expect(controllerTargets('ssl:192.0.2.1:7000', 2)).toEqual(['ssl:192.0.2.1:7000', 'ssl:192.0.2.1:7001', 'ssl:192.0.2.1:7002']);
    expect(controllerTargets('tcp:[2001:db8::1]:6653', 1)).toEqual(['tcp:[2001:db8::1]:6653', 'tcp:[2001:db8::1]:6654']);
    expect(controllerTargets('tcp:ctl.example.org', 1)).toEqual(['tcp:ctl.example.org', 'tcp:ctl.example.org:6654']);
    expect(controllerTargets('tcp:192.0.2.1:6653', 0)).toEqual(['tcp:192.0.2.1:6653']);
  });

  it('a unix: target gets no lanes by default, and asking for some is an error', () => {
    const r = hostSetupCommands({ ...OK, controller: 'unix:/run/esdn/of.sock' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.lines[1]).toBe('ovs-vsctl set-controller br-int unix:/run/esdn/of.sock');
    const bad = hostSetupCommands({ ...OK, controller: 'unix:/run/esdn/of.sock', lanes: 2 });
    expect(bad.ok ? undefined : bad.error.code).toBe('bad_lanes');
  });

  it('adds the ports of bridge mappings, another tunnel port name and the netdev datapath when asked', () => {
    const r = hostSetupCommands({ ...OK, lanes: 0, tunnelInterface: 'tun0', bridgeMappings: { public: 'ex-public' }, datapathType: 'netdev' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.lines[0]).toContain('datapath_type=netdev');
    expect(r.lines[3]).toContain('add-port br-int tun0 -- set interface tun0 type=vxlan');
    expect(r.lines[4]).toBe('ovs-vsctl --may-exist add-port br-int ex-public');
    expect(r.argv[4]).toEqual(['ovs-vsctl', '--may-exist', 'add-port', 'br-int', 'ex-public']);
  });

  it('accepts IPv6 endpoints and unix controller sockets', () => {
    expect(hostSetupCommands({ ...OK, tunnelIp: '2001:db8::11', controller: 'unix:/run/esdn/of.sock' }).ok).toBe(true);
    expect(hostSetupCommands({ ...OK, controller: 'tcp:[2001:db8::1]:6653' }).ok).toBe(true);
  });

  it.each([
    [{ datapathId: 'a1' }, 'bad_datapath_id'],
    [{ datapathId: '00000000000000zz' }, 'bad_datapath_id'],
    [{ tunnelIp: '300.0.0.1' }, 'bad_tunnel_ip'],
    [{ tunnelIp: 'host; rm -rf /' }, 'bad_tunnel_ip'],
    [{ controller: '192.0.2.1:6653' }, 'bad_controller'],
    [{ controller: 'tcp:a b:1' }, 'bad_controller'],
    [{ bridge: 'br-int; reboot' }, 'bad_name'],
    [{ bridgeMappings: { public: 'a-name-that-is-too-long' } }, 'bad_name'],
    [{ lanes: -1 }, 'bad_lanes'],
    [{ lanes: 17 }, 'bad_lanes'],
    [{ lanes: 1.5 }, 'bad_lanes'],
    [{ controller: 'tcp:192.0.2.1:65535', lanes: 1 }, 'bad_lanes'],
  ])('refuses %o with a typed error (%s), never throws', (patch, code) => {
    const r = hostSetupCommands({ ...OK, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});
