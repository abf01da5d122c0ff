// The OVS test bed: simulated hypervisors (real ovs-vswitchd each in its own namespace), a VXLAN underlay, and VMs.
//
// Follows /work/shared/TESTBED.md. Usage (every path absolute, every name unique to the run):
//
//   import { describeWithOvs } from '../support/ovsAvailability.ts';
//   import { OvsTestbed } from '../support/ovsTestbed.ts';
//   describeWithOvs('my suite', () => {
//     let tb: OvsTestbed;
//     beforeAll(async () => {
//       tb = await OvsTestbed.create();                     // also removes stale runs of earlier killed tests
//       const a = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
//       const b = await tb.addHost({ name: 'B', datapathId: 0xa2n, tunnelIp: '192.168.50.2' });
//       await a.setController({ tcpPort: 6653 });           // socat relay to 127.0.0.1:6653 (or { unixPath })
//       await a.addVm({ name: 'A1', iface: 'tapA1', mac: '02:00:00:00:01:01', ip: '10.0.0.11/24', ofport: 1 });
//     });
//     afterAll(() => tb?.teardown());                        // kills daemons by pid, deletes namespaces
//   });
//
// - Hosts: `OvsHost` (./ovsHost.ts). Namespace `<prefix>h<name>`, run dir `<runDir>/h<name>` (OVS_RUNDIR:
//   db.sock, br-int.mgmt, ovs-vswitchd.ctl, logs). br-int: netdev, OpenFlow13, fail_mode=secure, the given
//   datapath id, and with `tunnelIp` a flow-based `vxlan0` port (ofport 100; see HostSpec.tunnelPorts).
//   With `tunnelIp` the host also gets br-phy (VTEP address, MAC 02:50:00:00:00:<index+1>) whose uplink
//   veth joins a Linux bridge in the run's underlay namespace `<prefix>u`; static tnl/neigh entries
//   between all hosts are (re)set whenever a host is added.
// - Helpers on a host: exec (in its namespace), vsctl, ofctl (-O OpenFlow13), appctl, dumpFlows,
//   flowLines (dump-flows as sorted lines without stats), dumpGroups, dumpMeters, addFlows, trace
//   (ofproto/trace), ofportOf, mgmtSocket, setController, restartVswitchd, addVm.
// - A VM is a namespace `<prefix>v<name>` with `eth0` (tx offload off): vm.exec(argv), vm.ping(ip).
// - Every helper rejects with CommandError (./ovsExec.ts: argv, exit code, stderr) when a command fails;
//   waitFor(what, check, {timeoutMs}) polls a condition with a deadline instead of sleeping.
// - Names: the run prefix is `esx` + 4 random characters; interface names stay <= 15 characters.
// - No traffic ever leaves the namespaces the test bed creates.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWNER_FILE, RUN_PREFIX_LEN, TESTBED_BASE_DIR, TESTBED_FAMILY, removeRun, removeStaleRuns } from './ovsCleanup.ts';
import { run } from './ovsExec.ts';
import { OvsHost, type HostSpec } from './ovsHost.ts';

export { OvsHost } from './ovsHost.ts';
export type { HostSpec, VmSpec, Vm, TunnelPortSpec } from './ovsHost.ts';

/** Random characters in a run prefix: 36^4 runs before a collision is even possible. */
const RUN_ID_CHARS = RUN_PREFIX_LEN - TESTBED_FAMILY.length;
/** MTU of the underlay: VXLAN adds 50 bytes to the VMs' 1500 (TESTBED.md gotcha 2). */
const UNDERLAY_MTU = '1600';

export interface TestbedOptions {
  /** skip removing stale runs (only for tests of the cleanup itself) */
  keepStale?: boolean;
}

export class OvsTestbed {
  readonly hosts: OvsHost[] = [];
  private underlay: Promise<{ ns: string; bridge: string }> | undefined;
  private tornDown = false;

  private constructor(
    /** unique prefix of every namespace of this run, e.g. 'esxk3p9' */
    readonly prefix: string,
    /** absolute directory holding every host's run directory */
    readonly runDir: string,
  ) {}

  /** Removes stale runs of earlier killed tests, then creates an empty run. */
  static async create(opts: TestbedOptions = {}): Promise<OvsTestbed> {
    if (!opts.keepStale) await removeStaleRuns();
    mkdirSync(TESTBED_BASE_DIR, { recursive: true });
    for (;;) {
      const id = Math.random().toString(36).slice(2, 2 + RUN_ID_CHARS).padEnd(RUN_ID_CHARS, '0');
      const prefix = `${TESTBED_FAMILY}${id}`;
      const runDir = join(TESTBED_BASE_DIR, prefix);
      try {
        mkdirSync(runDir); // fails if another run holds this prefix
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw e;
      }
      writeFileSync(join(runDir, OWNER_FILE), String(process.pid));
      return new OvsTestbed(prefix, runDir);
    }
  }

  /** Name of the underlay namespace (exists once a host with a tunnelIp was added). */
  get underlayNs(): string {
    return `${this.prefix}u`;
  }

  /** Runs a command in the underlay namespace, e.g. tcpdump on 'ul0'. */
  underlayExec(argv: readonly string[]): Promise<import('./ovsExec.ts').RunResult> {
    return run(['ip', 'netns', 'exec', this.underlayNs, ...argv]);
  }

  /** Adds and starts one hypervisor; with a tunnelIp it joins the underlay and all tunnel neighbours are set. */
  async addHost(spec: HostSpec): Promise<OvsHost> {
    if (!/^[A-Za-z0-9]{1,4}$/.test(spec.name)) throw new Error(`host name must be 1-4 letters or digits: ${spec.name}`);
    if (this.hosts.some((h) => h.spec.name === spec.name)) throw new Error(`host ${spec.name} exists`);
    const host = new OvsHost(spec, this.hosts.length, {
      prefix: this.prefix,
      runDir: this.runDir,
      ensureUnderlay: () => (this.underlay ??= this.createUnderlay()),
      phyMac: (i) => `02:50:00:00:00:${(i + 1).toString(16).padStart(2, '0')}`,
    });
    this.hosts.push(host);
    await host.start();
    if (spec.tunnelIp) {
      for (const h of this.hosts) if (h.spec.tunnelIp) await h.setTunnelNeighbours(this.hosts);
    }
    return host;
  }

  host(name: string): OvsHost {
    const h = this.hosts.find((x) => x.spec.name === name);
    if (!h) throw new Error(`no host ${name}`);
    return h;
  }

  /** Restarts one host's ovs-vswitchd and restores its underlay plumbing (flows on br-int are gone). */
  restartVswitchd(name: string): Promise<void> {
    return this.host(name).restartVswitchd(this.hosts);
  }

  private async createUnderlay(): Promise<{ ns: string; bridge: string }> {
    const ns = this.underlayNs;
    const bridge = 'ul0';
    await run(['ip', 'netns', 'add', ns]);
    await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', ns, 'link', 'add', bridge, 'mtu', UNDERLAY_MTU, 'type', 'bridge']);
    await run(['ip', '-n', ns, 'link', 'set', bridge, 'up']);
    return { ns, bridge };
  }

  /** Kills every daemon of the run by pid and deletes its namespaces and directory; safe to call twice. */
  async teardown(): Promise<void> {
    if (this.tornDown) return;
    this.tornDown = true;
    await removeRun(this.prefix);
  }
}
