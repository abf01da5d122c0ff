// host-setup lines: the DESIGN.md settings for br-int and vxlan0, shell-safe, and typed errors for bad input.
import { describe, expect, it } from 'vitest';
import { hostSetupCommands } from '../../src/cli/hostSetup.ts';

const OK = { datapathId: '00000000000000A1', tunnelIp: '192.0.2.11', controller: 'tcp:192.0.2.1:6653' };

describe('hostSetupCommands', () => {
  it('prints br-int with OpenFlow13, secure fail mode, the datapath id, the controller and one flow-based vxlan0', () => {
    const r = hostSetupCommands(OK);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.lines).toEqual([
      'ovs-vsctl --may-exist add-br br-int -- set bridge br-int protocols=OpenFlow13 fail_mode=secure other_config:datapath-id=00000000000000a1',
      'ovs-vsctl set-controller br-int tcp:192.0.2.1:6653',
      'ovs-vsctl set controller br-int controller_rate_limit=1000 controller_burst_limit=250',
      'ovs-vsctl --may-exist add-port br-int vxlan0 -- set interface vxlan0 type=vxlan options:remote_ip=flow options:key=flow options:local_ip=192.0.2.11',
    ]);
  });

  it('adds the ports of bridge mappings, another tunnel port name and the netdev datapath when asked', () => {
    const r = hostSetupCommands({ ...OK, tunnelInterface: 'tun0', bridgeMappings: { public: 'ex-public' }, datapathType: 'netdev' });
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
  ])('refuses %o with a typed error (%s), never throws', (patch, code) => {
    const r = hostSetupCommands({ ...OK, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});
