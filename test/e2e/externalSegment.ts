// An external (provider) segment for e2e test beds: an "external" namespace with its own switch, reached by chosen hosts' physical-network ports.
//
//   const ext = await addExternalSegment(bed.tb, { name: 'X', hosts: [bed.ovs('A'), bed.ovs('B')], iface: 'ex-public' });
//   const flat = await ext.addAddress({ ip: '172.16.0.100/24', mac: '02:00:00:00:ee:01' });          // untagged
//   const v100 = await ext.addAddress({ ip: '172.16.1.100/24', mac: '02:00:00:00:ee:02', vlan: 100 }); // VLAN 100
//   await ext.exec(['ping', '-c1', '172.16.0.11']);
//
// The external side is one more test-bed host (its own ovs-vswitchd, never registered with esdn, no
// br-int): a learning switch `br-ext` (fail_mode standalone = NORMAL) whose ports are a veth to each
// chosen host's br-int (named `iface` there, as its bridge_mappings tell esdn; `xh<host>` here) and
// one internal port per address: untagged for flat, an access port (tag) for a VLAN. The kernels
// these tests run on may lack 8021q and bridge VLAN filtering; OVS tags in userspace, and
// tcpdump -e on `xh<host>` shows the tags on that host's wire. Torn down with the test bed.
import type { RunOptions, RunResult } from '../support/ovsExec.ts';
import { run } from '../support/ovsExec.ts';
import type { OvsHost, OvsTestbed } from '../support/ovsTestbed.ts';

export const EXTERNAL_BRIDGE = 'br-ext';
/** Datapath id of the external switch (it never talks to esdn; any unused value). */
const EXTERNAL_DPID = 0xeen;

export interface ExternalAddress {
  /** the internal port holding it */
  dev: string;
  ip: string;
  mac: string;
}

export interface ExternalSegment {
  ns: string;
  exec(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** the external switch's end of a host's physical-network port (capture there to see that host's wire) */
  hostPort(host: OvsHost): string;
  /** an address of the external side, untagged or on a VLAN */
  addAddress(spec: { ip: string; mac: string; vlan?: number }): Promise<ExternalAddress>;
}

export async function addExternalSegment(tb: OvsTestbed, spec: { name: string; hosts: readonly OvsHost[]; iface: string }): Promise<ExternalSegment> {
  const sw = await tb.addHost({ name: spec.name, datapathId: EXTERNAL_DPID, noBrInt: true });
  const exec: ExternalSegment['exec'] = (argv, opts = {}) => sw.exec(argv, opts);
  await sw.vsctl('add-br', EXTERNAL_BRIDGE, '--', 'set', 'bridge', EXTERNAL_BRIDGE, 'datapath_type=netdev', 'fail_mode=standalone');
  const hostPort = (h: OvsHost) => `xh${h.spec.name}`;
  for (const h of spec.hosts) {
    const peer = hostPort(h);
    await run(['ip', '-n', h.ns, 'link', 'add', spec.iface, 'type', 'veth', 'peer', 'name', peer, 'netns', sw.ns]);
    // veth partial checksums break TCP after OVS's AF_PACKET path (TESTBED.md gotcha 1)
    await h.exec(['ethtool', '-K', spec.iface, 'tx', 'off']);
    await exec(['ethtool', '-K', peer, 'tx', 'off']);
    // the kernels of both namespaces see these veths' frames too: they must not answer ARP for their own
    // addresses with the veth's MAC (TESTBED.md gotcha 3), or neighbors are learned at the wrong MAC
    await run(['ip', '-n', h.ns, 'link', 'set', spec.iface, 'arp', 'off', 'up']);
    await exec(['ip', 'link', 'set', peer, 'arp', 'off', 'up']);
    await sw.vsctl('add-port', EXTERNAL_BRIDGE, peer);
    await h.vsctl('add-port', 'br-int', spec.iface);
  }
  let flatUsed = false;
  return {
    ns: sw.ns, exec, hostPort,
    async addAddress(a) {
      if (a.vlan === undefined && flatUsed) throw new Error('one untagged address per segment');
      flatUsed ||= a.vlan === undefined;
      const dev = a.vlan === undefined ? 'ext0' : `ext${a.vlan}`;
      await sw.vsctl('add-port', EXTERNAL_BRIDGE, dev, ...(a.vlan === undefined ? [] : [`tag=${a.vlan}`]), '--', 'set', 'interface', dev, 'type=internal');
      await exec(['ip', 'link', 'set', dev, 'address', a.mac]);
      await exec(['ip', 'addr', 'add', a.ip, 'dev', dev]);
      await exec(['ip', 'link', 'set', dev, 'up']);
      return { dev, ip: a.ip.split('/')[0], mac: a.mac };
    },
  };
}
