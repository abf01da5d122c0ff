// An external (provider) segment for e2e test beds: a Linux bridge in an "external" namespace, reached by chosen hosts' physical-network ports.
//
//   const ext = await addExternalSegment(bed.tb, { name: 'pub', hosts: [bed.ovs('A'), bed.ovs('B')], iface: 'ex-public' });
//   const flat = await ext.addAddress({ ip: '172.16.0.100/24', mac: '02:00:00:00:ee:01' });          // untagged
//   const v100 = await ext.addAddress({ ip: '172.16.1.100/24', mac: '02:00:00:00:ee:02', vlan: 100 }); // tagged 100
//   await ext.exec(['ping', '-c1', '172.16.0.11']);
//
// Each chosen host gets a veth named `iface` on its br-int (the name its bridge_mappings give esdn),
// whose peer joins the bridge `br-ext` in the namespace `<prefix>x<name>`. The bridge does no VLAN
// filtering: tagged frames pass as they are, so tcpdump -e on br-ext shows the tags. The test bed's
// teardown removes the namespace with the run's others.
import { run, type RunResult } from '../support/ovsExec.ts';
import type { OvsHost, OvsTestbed } from '../support/ovsTestbed.ts';

export const EXTERNAL_BRIDGE = 'br-ext';

export interface ExternalAddress {
  /** the device holding it: br-ext (flat) or br-ext.<vlan> */
  dev: string;
  ip: string;
  mac: string;
}

export interface ExternalSegment {
  ns: string;
  exec(argv: readonly string[], opts?: { allowFailure?: boolean; timeoutMs?: number }): Promise<RunResult>;
  /** an address of the external side, untagged or on a VLAN */
  addAddress(spec: { ip: string; mac: string; vlan?: number }): Promise<ExternalAddress>;
}

export async function addExternalSegment(tb: OvsTestbed, spec: { name: string; hosts: readonly OvsHost[]; iface: string }): Promise<ExternalSegment> {
  const ns = `${tb.prefix}x${spec.name}`;
  const exec: ExternalSegment['exec'] = (argv, opts = {}) => run(['ip', 'netns', 'exec', ns, ...argv], opts);
  await run(['ip', 'netns', 'add', ns]);
  await exec(['ip', 'link', 'set', 'lo', 'up']);
  await exec(['ip', 'link', 'add', EXTERNAL_BRIDGE, 'type', 'bridge']);
  await exec(['ip', 'link', 'set', EXTERNAL_BRIDGE, 'up']);
  for (const h of spec.hosts) {
    const peer = `xh${h.spec.name}`;
    await run(['ip', '-n', h.ns, 'link', 'add', spec.iface, 'type', 'veth', 'peer', 'name', peer, 'netns', ns]);
    // veth partial checksums break TCP after OVS's AF_PACKET path (TESTBED.md gotcha 1)
    await run(['ip', 'netns', 'exec', h.ns, 'ethtool', '-K', spec.iface, 'tx', 'off']);
    await run(['ip', '-n', h.ns, 'link', 'set', spec.iface, 'up']);
    await exec(['ethtool', '-K', peer, 'tx', 'off']);
    await exec(['ip', 'link', 'set', peer, 'master', EXTERNAL_BRIDGE, 'up']);
    await h.vsctl('add-port', 'br-int', spec.iface);
  }
  let flatUsed = false;
  return {
    ns, exec,
    async addAddress(a) {
      let dev: string = EXTERNAL_BRIDGE;
      if (a.vlan !== undefined) {
        dev = `${EXTERNAL_BRIDGE}.${a.vlan}`;
        await exec(['ip', 'link', 'add', 'link', EXTERNAL_BRIDGE, 'name', dev, 'type', 'vlan', 'id', String(a.vlan)]);
      } else if (flatUsed) {
        throw new Error('one untagged address per segment');
      }
      flatUsed ||= a.vlan === undefined;
      await exec(['ip', 'link', 'set', dev, 'address', a.mac]);
      await exec(['ip', 'addr', 'add', a.ip, 'dev', dev]);
      await exec(['ip', 'link', 'set', dev, 'up']);
      return { dev, ip: a.ip.split('/')[0], mac: a.mac };
    },
  };
}
