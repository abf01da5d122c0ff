// One simulated hypervisor of the OVS test bed: a network namespace with its own ovsdb-server, ovs-vswitchd, br-int, VMs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OVS_SCHEMA } from './ovsAvailability.ts';
import { killPid } from './ovsCleanup.ts';
import { run, runOut, waitFor, type RunOptions, type RunResult } from './ovsExec.ts';
import { pingStats } from './pingStats.ts';

/** ovs-vsctl gives up after this many seconds instead of waiting forever for ovs-vswitchd. */
const VSCTL_TIMEOUT_S = 20;
/** UDP port of VXLAN (RFC 7348). */
export const VXLAN_PORT = 4789;

export interface TunnelPortSpec {
  /** OVS interface name on br-int, e.g. 'vxlan0' */
  name: string;
  type: 'vxlan' | 'geneve';
  ofport: number;
}

export interface HostSpec {
  /** short host name, 1-4 characters ([A-Za-z0-9]); used in namespace and interface names */
  name: string;
  /** br-int's datapath id (other_config:datapath-id) */
  datapathId: bigint;
  /** VXLAN endpoint address on br-phy; give it to attach the host to the underlay */
  tunnelIp?: string;
  /** flow-based tunnel ports on br-int (default: one 'vxlan0', type vxlan, ofport 100) */
  tunnelPorts?: TunnelPortSpec[];
  /** do not create br-int (for tests that set bridges up themselves) */
  noBrInt?: boolean;
}

export interface VmSpec {
  /** short VM name, 1-6 characters; its namespace is <run prefix>v<name> */
  name: string;
  /** interface name on br-int in the host namespace (<= 15 characters), e.g. 'tap0123456789a' */
  iface: string;
  mac: string;
  /** address with prefix length, e.g. '10.0.0.11/24' */
  ip: string;
  /** OpenFlow port number to request; omitted: OVS picks one */
  ofport?: number;
  /** extra commands run in the VM namespace after the address is set, e.g. a default route */
  routes?: string[][];
}

/** A "VM": a network namespace with one veth whose peer is a port on br-int. */
export interface Vm {
  spec: VmSpec;
  ns: string;
  /** interface name inside the VM namespace */
  dev: string;
  /** the IP without prefix length */
  addr: string;
  exec(argv: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** `count` pings from this VM, each given `timeoutS` for its answer (pingStats); never throws for lost packets */
  ping(target: string, opts?: { count?: number; intervalS?: number; timeoutS?: number }): Promise<{ sent: number; received: number; output: string }>;
}

/** What a host needs from its test bed. */
export interface HostContext {
  prefix: string;
  runDir: string;
  /** underlay namespace and Linux bridge, created on first use */
  ensureUnderlay(): Promise<{ ns: string; bridge: string }>;
  /** br-phy MAC address for the host with this index */
  phyMac(index: number): string;
}

export class OvsHost {
  readonly ns: string;
  /** absolute run directory of this host: OVS_RUNDIR, logs, sockets, pid files */
  readonly dir: string;
  readonly vms: Vm[] = [];
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly spec: HostSpec,
    readonly index: number,
    private readonly ctx: HostContext,
  ) {
    this.ns = `${ctx.prefix}h${spec.name}`;
    this.dir = join(ctx.runDir, `h${spec.name}`);
    this.env = { ...process.env, OVS_RUNDIR: this.dir, OVS_LOGDIR: this.dir, OVS_DBDIR: this.dir };
  }

  get ctlPath(): string {
    return join(this.dir, 'ovs-vswitchd.ctl');
  }
  get brPhyMac(): string {
    return this.ctx.phyMac(this.index);
  }

  /** Runs a command inside this host's namespace. */
  exec(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(['ip', 'netns', 'exec', this.ns, ...argv], { env: this.env, ...opts });
  }

  vsctl(...args: string[]): Promise<string> {
    return runOut(['ovs-vsctl', `--db=unix:${this.dir}/db.sock`, `--timeout=${VSCTL_TIMEOUT_S}`, ...args], { env: this.env });
  }

  /** `ovs-ofctl -O OpenFlow13 ARGS` against this host's bridges (bridge names resolve in OVS_RUNDIR). */
  ofctl(...args: string[]): Promise<string> {
    return runOut(['ovs-ofctl', '-O', 'OpenFlow13', ...args], { env: this.env });
  }

  appctl(...args: string[]): Promise<string> {
    return runOut(['ovs-appctl', '-t', this.ctlPath, ...args], { env: this.env });
  }

  /** Path of a bridge's management socket, usable as `unix:PATH` by ovs-ofctl or a test client. */
  mgmtSocket(bridge = 'br-int'): string {
    return join(this.dir, `${bridge}.mgmt`);
  }

  dumpFlows(bridge = 'br-int', ...extra: string[]): Promise<string> {
    return this.ofctl('dump-flows', bridge, ...extra);
  }
  /** dump-flows without stats and header, one flow per entry, sorted: comparable between runs. */
  async flowLines(bridge = 'br-int', ...extra: string[]): Promise<string[]> {
    const out = await this.ofctl('--no-stats', '--no-names', 'dump-flows', bridge, ...extra);
    return out.split('\n').map((l) => l.trim()).filter((l) => l.includes('actions=')).sort();
  }
  dumpGroups(bridge = 'br-int'): Promise<string> {
    return this.ofctl('dump-groups', bridge);
  }
  dumpMeters(bridge = 'br-int'): Promise<string> {
    return this.ofctl('dump-meters', bridge);
  }

  /** Loads flows (ovs-ofctl add-flows syntax, one per line) from a file in the run directory. */
  async addFlows(bridge: string, lines: readonly string[], ...opts: string[]): Promise<void> {
    const file = join(this.dir, `flows-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await this.ofctl(...opts, 'add-flows', bridge, file);
  }

  /** `ovs-appctl ofproto/trace BRIDGE FLOW [extra...]`, e.g. extra = ['--ct-next', 'trk,new']. */
  trace(bridge: string, flow: string, ...extra: string[]): Promise<string> {
    return this.appctl('ofproto/trace', bridge, flow, ...extra);
  }

  /** The OpenFlow port number OVS gave an interface. */
  async ofportOf(iface: string): Promise<number> {
    return waitFor(`ofport of ${iface}`, async () => {
      const n = Number.parseInt((await this.vsctl('get', 'Interface', iface, 'ofport')).trim(), 10);
      return n > 0 ? n : undefined;
    });
  }

  /** Creates the namespace and database, starts both daemons, and br-int (+ br-phy on the underlay). */
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    await run(['ip', 'netns', 'add', this.ns]);
    await this.exec(['ip', 'link', 'set', 'lo', 'up']);
    await run(['ovsdb-tool', 'create', `${this.dir}/conf.db`, OVS_SCHEMA]);
    await run(
      ['ovsdb-server', `${this.dir}/conf.db`, `--remote=punix:${this.dir}/db.sock`, `--pidfile=${this.dir}/ovsdb-server.pid`,
        `--unixctl=${this.dir}/ovsdb-server.ctl`, `--log-file=${this.dir}/ovsdb-server.log`, '--detach'],
      { env: this.env },
    );
    await this.vsctl('--no-wait', 'init');
    await this.startVswitchd();
    if (!this.spec.noBrInt) await this.createBrInt();
    if (this.spec.tunnelIp) await this.attachUnderlay(this.spec.tunnelIp);
  }

  private async startVswitchd(): Promise<void> {
    await this.exec([
      'ovs-vswitchd', '--disable-system', `unix:${this.dir}/db.sock`, `--pidfile=${this.dir}/ovs-vswitchd.pid`,
      `--unixctl=${this.ctlPath}`, `--log-file=${this.dir}/ovs-vswitchd.log`, '--detach',
    ]);
  }

  private async createBrInt(): Promise<void> {
    const dpid = this.spec.datapathId.toString(16).padStart(16, '0');
    const args = ['--', 'add-br', 'br-int', '--', 'set', 'bridge', 'br-int', 'datapath_type=netdev', 'protocols=OpenFlow13',
      'fail_mode=secure', `other_config:datapath-id=${dpid}`];
    if (this.spec.tunnelIp) {
      const ports = this.spec.tunnelPorts ?? [{ name: 'vxlan0', type: 'vxlan', ofport: 100 }];
      for (const p of ports) {
        args.push('--', 'add-port', 'br-int', p.name, '--', 'set', 'interface', p.name, `type=${p.type}`, `ofport_request=${p.ofport}`,
          'options:remote_ip=flow', 'options:key=flow', `options:local_ip=${this.spec.tunnelIp}`);
      }
    }
    await this.vsctl(...args);
  }

  /** br-phy with the VTEP address, an uplink veth into the underlay bridge, and LOCAL<->uplink flows. */
  private async attachUnderlay(tunnelIp: string): Promise<void> {
    const { ns: uns, bridge } = await this.ctx.ensureUnderlay();
    const peer = `ul${this.spec.name}`;
    await run(['ip', '-n', this.ns, 'link', 'add', 'uplink', 'mtu', '1600', 'type', 'veth', 'peer', 'name', peer, 'mtu', '1600', 'netns', uns]);
    await run(['ip', '-n', uns, 'link', 'set', peer, 'master', bridge, 'up']);
    // the host kernel must not answer ARP for the VTEP with the veth's MAC (TESTBED.md gotcha 3)
    await run(['ip', '-n', this.ns, 'link', 'set', 'uplink', 'arp', 'off', 'up']);
    await this.vsctl('--', 'add-br', 'br-phy', '--', 'set', 'bridge', 'br-phy', 'datapath_type=netdev', 'protocols=OpenFlow13',
      'fail_mode=secure', `other_config:hwaddr=${this.brPhyMac}`, '--', 'add-port', 'br-phy', 'uplink');
    await run(['ip', '-n', this.ns, 'addr', 'add', `${tunnelIp}/24`, 'dev', 'br-phy']);
    await run(['ip', '-n', this.ns, 'link', 'set', 'br-phy', 'up']);
    await this.loadPhyFlows();
  }

  private async loadPhyFlows(): Promise<void> {
    await this.addFlows('br-phy', ['in_port=uplink actions=LOCAL', 'in_port=LOCAL actions=output:uplink']);
  }

  /** Static tunnel neighbour entries so the first packet to each peer VTEP is not lost. */
  async setTunnelNeighbours(peers: readonly OvsHost[]): Promise<void> {
    for (const p of peers) {
      if (p === this || !p.spec.tunnelIp) continue;
      await this.appctl('tnl/neigh/set', 'br-phy', p.spec.tunnelIp, p.brPhyMac);
    }
  }

  /** Creates a VM namespace with a veth (tx checksum offload off) whose peer joins br-int. */
  async addVm(spec: VmSpec): Promise<Vm> {
    const ns = `${this.ctx.prefix}v${spec.name}`;
    const dev = 'eth0';
    await run(['ip', 'netns', 'add', ns]);
    const vm: Vm = {
      spec, ns, dev, addr: spec.ip.split('/')[0],
      exec: (argv, opts = {}) => run(['ip', 'netns', 'exec', ns, ...argv], opts),
      ping: async (target, { count = 3, intervalS = 0.2, timeoutS = 2 } = {}) => {
        const r = await pingStats(vm, target, count, { intervalS, timeoutS });
        return { sent: r.sent, received: r.received, output: r.out };
      },
    };
    this.vms.push(vm);
    await vm.exec(['ip', 'link', 'set', 'lo', 'up']);
    await run(['ip', '-n', this.ns, 'link', 'add', spec.iface, 'type', 'veth', 'peer', 'name', dev, 'netns', ns]);
    await vm.exec(['ip', 'link', 'set', dev, 'address', spec.mac]);
    await vm.exec(['ip', 'addr', 'add', spec.ip, 'dev', dev]);
    // veth partial checksums break TCP after OVS's AF_PACKET path (TESTBED.md gotcha 1)
    await vm.exec(['ethtool', '-K', dev, 'tx', 'off']);
    await vm.exec(['ip', 'link', 'set', dev, 'up']);
    await run(['ip', '-n', this.ns, 'link', 'set', spec.iface, 'up']);
    for (const r of spec.routes ?? []) await vm.exec(r);
    const req = spec.ofport === undefined ? [] : ['--', 'set', 'interface', spec.iface, `ofport_request=${spec.ofport}`];
    await this.vsctl('add-port', 'br-int', spec.iface, ...req);
    return vm;
  }

  /**
   * Points br-int at a controller. `{ tcpPort }` starts a socat relay from a unix socket inside this
   * host's run directory to 127.0.0.1:tcpPort in the root namespace; `{ unixPath }` uses a unix socket
   * the test listens on itself (it must be inside `dir`). Setting the first controller wipes flows.
   * `lanes` (with tcpPort) adds one relay and one Controller row per lane, to tcpPort + 1 .. + lanes
   * (esdn --openflow-lanes); `settings` (e.g. max_backoff=1000) go on every row. Returns the main
   * relay's path.
   */
  async setController(target: { tcpPort: number; lanes?: number } | { unixPath: string }, bridge = 'br-int', settings: readonly string[] = []): Promise<string> {
    let path: string;
    const lanePaths: string[] = [];
    if ('tcpPort' in target) {
      path = await this.relay(`${bridge}`, target.tcpPort);
      for (let k = 1; k <= (target.lanes ?? 0); k++) lanePaths.push(await this.relay(`${bridge}-lane${k}`, target.tcpPort + k));
    } else {
      if (!target.unixPath.startsWith(`${this.dir}/`)) throw new Error(`controller socket must be inside ${this.dir}`);
      path = target.unixPath;
    }
    if (lanePaths.length === 0) {
      await this.vsctl('set-controller', bridge, `unix:${path}`);
      if (settings.length > 0) await this.vsctl('set', 'controller', bridge, ...settings);
      return path;
    }
    // `set controller BRIDGE` needs a bridge with one row: create every row with its settings in one go
    const targets = [path, ...lanePaths];
    await this.vsctl(...targets.flatMap((p, i) => ['--', `--id=@c${i}`, 'create', 'controller', `target="unix:${p}"`, ...settings]),
      '--', 'set', 'bridge', bridge, `controller=${targets.map((_, i) => `@c${i}`).join(',')}`);
    return path;
  }

  /** Path of the relay socket named `name` (relay-NAME.sock; its pid in socat-NAME.pid). */
  relayPath(name: string): string {
    return join(this.dir, `relay-${name}.sock`);
  }

  /** A socat relay from relay-NAME.sock to 127.0.0.1:tcpPort; a second call replaces the first (its pid file). */
  private async relay(name: string, tcpPort: number): Promise<string> {
    const path = this.relayPath(name);
    // the old socat would otherwise outlive its pid file
    const pidFile = join(this.dir, `socat-${name}.pid`);
    if (existsSync(pidFile)) await killPid(Number(readFileSync(pidFile, 'utf8')));
    rmSync(path, { force: true });
    const child = spawn('socat', [`UNIX-LISTEN:${path},fork`, `TCP:127.0.0.1:${tcpPort}`], { detached: true, stdio: 'ignore' });
    writeFileSync(pidFile, String(child.pid));
    child.unref();
    await waitFor(`socat relay ${path}`, async () => ((await run(['test', '-S', path], { allowFailure: true })).code === 0 ? true : undefined));
    return path;
  }

  /** Kills ovs-vswitchd and starts it again; flows and static tunnel neighbours are gone, br-phy flows are reloaded. */
  async restartVswitchd(peers: readonly OvsHost[] = []): Promise<void> {
    const pid = Number.parseInt(readFileSync(join(this.dir, 'ovs-vswitchd.pid'), 'utf8'), 10);
    await killPid(pid);
    await this.startVswitchd();
    if (this.spec.tunnelIp) {
      await this.loadPhyFlows();
      await this.setTunnelNeighbours(peers);
    }
  }
}
